// openJournal: picks the backend from the URL scheme.

#include <filesystem>
#include <system_error>

#include "journal/journal.hpp"
#include "journal/pg_journal.hpp"
#include "journal/sqlite_journal.hpp"

namespace swhub::journal {

std::string redactUrl(const std::string& url) {
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}
namespace {

[[noreturn]] void unsupported(const std::string& url, const std::string& why) {
  throw JournalError("unsupported journal URL '" + redactUrl(url) + "': expected sqlite:PATH" + why);
}

std::unique_ptr<Journal> openSqlite(const std::string& url, JournalOptions options) {
  std::string rest = url.substr(7);  // after "sqlite:"
  if (rest.rfind("//", 0) == 0) rest.erase(0, 2);  // accept sqlite:///abs/path too
  std::string vfs;
  if (const auto query = rest.find('?'); query != std::string::npos) {
    const std::string params = rest.substr(query + 1);
    rest.erase(query);
    if (params.rfind("vfs=", 0) != 0 || params.size() == 4 || params.find('&') != std::string::npos) {
      unsupported(url, "[?vfs=NAME] (unknown parameter '" + params + "')");
    }
    vfs = params.substr(4);
  }
  if (rest.empty()) unsupported(url, " (the path is empty)");

  std::error_code error;
  const std::filesystem::path path = std::filesystem::absolute(rest, error).lexically_normal();
  if (error) throw JournalError("journal path '" + rest + "': " + error.message());
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) {
      throw JournalError("cannot create the journal folder " + path.parent_path().string() + ": " + error.message());
    }
  }
  return std::make_unique<sqlite::SqliteJournal>(path.string(), vfs, std::move(options));
}

}  // namespace

std::unique_ptr<Journal> openJournal(const std::string& url, JournalOptions options) {
  if (url.rfind("sqlite:", 0) == 0) return openSqlite(url, std::move(options));
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return std::make_unique<pg::PgJournal>(url, std::move(options));
  }
  unsupported(url, " or postgresql://USER:PASSWORD@HOST:PORT/DB");
}

}  // namespace swhub::journal
