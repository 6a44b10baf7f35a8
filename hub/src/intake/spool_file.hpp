#pragma once
// Files that hold what is too large for memory on the filing path: a spooled request body, and
// the parts of a large receipt. A spool file is removed when its owner goes; a crash leaves files
// that the next start of the hub removes (spoolFolder).

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>

#include "swhub/sdk/plugin.hpp"

namespace swhub::intake {

// Bodies up to this size stay in memory (the fast path); larger ones are spooled.
inline constexpr std::int64_t kSpoolThreshold = 1 << 20;

// A file owned by one request; removed by the destructor.
class SpoolFile {
 public:
  explicit SpoolFile(std::filesystem::path path) : path_(std::move(path)) {}
  ~SpoolFile();
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The spool folder of a journal URL: beside an SQLite journal file (<folder>/spool), else in the
// system's temporary folder. Created, and emptied of a crashed run's files, on first use.
std::filesystem::path spoolFolder(const std::string& journalUrl);
// A fresh file name in `folder` with `suffix` (".body", ".receipt").
std::filesystem::path spoolPath(const std::filesystem::path& folder, const std::string& suffix);

// Reads a file in pieces (a spooled body for a partner plugin's decoder).
class FileSource : public sdk::ByteSource {
 public:
  explicit FileSource(const std::filesystem::path& path);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  bool ok() const { return file_ != nullptr; }
  std::size_t read(char* buffer, std::size_t size) override;

 private:
  std::FILE* file_ = nullptr;
};

// Reads a string in pieces (a body held in memory).
class StringSource : public sdk::ByteSource {
 public:
  explicit StringSource(const std::string& bytes) : bytes_(bytes) {}
  std::size_t read(char* buffer, std::size_t size) override;

 private:
  const std::string& bytes_;
  std::size_t offset_ = 0;
};

// Bytes sent in pieces: `size` bytes pulled with `read` (0 = ended early).
struct StreamedBody {
  std::int64_t size = 0;
  std::function<std::size_t(char*, std::size_t)> read;
};

// "\"...\"": a JSON string literal.
std::string jsonQuoted(const std::string& text);

}  // namespace swhub::intake
