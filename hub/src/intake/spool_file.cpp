#include "intake/spool_file.hpp"

#include <algorithm>
#include <mutex>
#include <random>
#include <set>
#include <system_error>

#include "model/text_util.hpp"

namespace swhub::intake {

SpoolFile::~SpoolFile() {
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

std::filesystem::path spoolFolder(const std::string& journalUrl) {
  namespace fs = std::filesystem;
  fs::path folder = fs::temp_directory_path() / "swhub-spool";
  if (journalUrl.rfind("sqlite:", 0) == 0) {
    std::string rest = journalUrl.substr(7);
    if (rest.rfind("//", 0) == 0) rest.erase(0, 2);
    rest = rest.substr(0, rest.find('?'));
    std::error_code error;
    const fs::path db = fs::absolute(rest, error).lexically_normal();
    if (!error && db.has_parent_path()) folder = db.parent_path() / "spool";
  }
  static std::mutex mutex;
  static std::set<fs::path> prepared;
  std::lock_guard lock(mutex);
  if (prepared.insert(folder).second) {
    std::error_code error;
    fs::create_directories(folder, error);
    // Files of a run that crashed: their requests were never acknowledged.
    for (const auto& entry : fs::directory_iterator(folder, error)) {
      const auto ext = entry.path().extension();
      if (ext == ".body" || ext == ".receipt" || ext == ".cases" || ext == ".entries") fs::remove(entry.path(), error);
    }
  }
  return folder;
}

std::filesystem::path spoolPath(const std::filesystem::path& folder, const std::string& suffix) {
  static std::mutex mutex;
  static std::mt19937_64 random(std::random_device{}());
  std::uint64_t n = 0;
  {
    std::lock_guard lock(mutex);
    n = random();
  }
  char name[32];
  std::snprintf(name, sizeof name, "%016llx", static_cast<unsigned long long>(n));
  return folder / (name + suffix);
}

FileSource::FileSource(const std::filesystem::path& path) : file_(std::fopen(path.c_str(), "rb")) {}

FileSource::~FileSource() {
  if (file_) std::fclose(file_);
}

std::size_t FileSource::read(char* buffer, std::size_t size) {
  return file_ ? std::fread(buffer, 1, size, file_) : 0;
}

std::size_t StringSource::read(char* buffer, std::size_t size) {
  const std::size_t n = std::min(size, bytes_.size() - offset_);
  std::copy_n(bytes_.data() + offset_, n, buffer);
  offset_ += n;
  return n;
}

std::string jsonQuoted(const std::string& text) {
  std::string out;
  model::detail::appendJsonString(out, text);
  return out;
}

}  // namespace swhub::intake
