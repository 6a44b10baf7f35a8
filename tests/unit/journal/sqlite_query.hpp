#pragma once
// Reads one value straight from a journal's SQLite file, for tests that check what is stored.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

namespace swhub::journal::test_support {

// The first column of the first row of `sql` as text ("" when there is no row).
inline std::string queryText(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  std::string text;
  if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
    text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  return text;
}

}  // namespace swhub::journal::test_support
