#pragma once
// Large request bodies and receipts go through spool files rather than memory: a body above the
// memory limit is streamed into <spool folder>/<random>.body while its SHA-256 is computed, and a
// large receipt is written into a .receipt file and sent from there. A spool file is removed
// when its owner goes; a crash leaves files that the next start of the hub removes.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <string>

#include "api/http_result.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::api {

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

// A request body as received.
struct ReceivedBody {
  enum class Status { Ok, TooLarge, Failed };
  Status status = Status::Ok;
  std::string bytes;                  // the body when it stayed in memory
  std::unique_ptr<SpoolFile> file;    // the body when it was spooled (bytes empty)
  std::int64_t size = 0;
  std::string digest;                 // "sha256:<hex>" when spooled
  std::string error;                  // for Failed: why the spool file could not be written
};

// Reads `in` (`contentLength` < 0: unknown) up to `limit` bytes: in memory up to `memoryLimit`,
// then into a spool file in `folder`. Past `limit` the rest is drained up to 16 times the limit
// (so that the client reads its 413) and TooLarge is returned.
ReceivedBody receiveBody(std::istream& in, std::int64_t contentLength, std::int64_t limit, std::int64_t memoryLimit,
                         const std::filesystem::path& folder);

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

// A response body sent in pieces: `size` bytes pulled with `read` (0 = ended early).
struct StreamedBody {
  std::int64_t size = 0;
  std::function<std::size_t(char*, std::size_t)> read;
};

// What the filing path answers: a result, whose body may come from a stream instead.
struct FilingOutcome {
  HttpResult result;
  std::optional<StreamedBody> stream;  // set: result.body is empty, send this instead
};

// "\"...\"": a JSON string literal.
std::string jsonQuoted(const std::string& text);

}  // namespace swhub::api
