#pragma once
// `swhub migrate --journal postgresql://... --from sqlite:PATH`: copies an SQLite journal into an
// empty PostgreSQL journal (COPY FROM STDIN, one transaction) and verifies it: per table, the
// row count and a SHA-256 digest of every row's fields in key order, computed on both sides.

#include <cstdint>
#include <string>
#include <vector>

namespace swhub::journal::pg {

struct TableCheck {
  std::string table;
  std::int64_t rows = 0;         // in the SQLite journal
  std::int64_t copied_rows = 0;  // in the PostgreSQL journal after the copy
  std::string digest;            // "sha256:<hex>" of the SQLite rows
  std::string copied_digest;     // of the PostgreSQL rows
  bool matches() const { return rows == copied_rows && digest == copied_digest; }
};

struct MigrationReport {
  std::vector<TableCheck> tables;
  bool verified() const {
    for (const auto& t : tables) {
      if (!t.matches()) return false;
    }
    return true;
  }
};

// Throws JournalError when either journal cannot be opened, the SQLite one is not at the schema
// this hub writes (open it with this hub once), or the PostgreSQL one already holds messages.
MigrationReport migrateFromSqlite(const std::string& sqlite_url, const std::string& postgresql_url);

}  // namespace swhub::journal::pg
