// The SQLite wrapper's borrowed columns and binds: a column read as a view goes into another
// statement without a copy, and empty text stays empty text (not NULL) both ways.

#include <gtest/gtest.h>

#include <string>

#include "journal/sqlite_db.hpp"
#include "temp_dir.hpp"

namespace swhub::journal::sqlite {
namespace {

TEST(journal_sqlite_db, AColumnViewBoundStaticallyIsCopiedIntoTheRowAndEmptyTextStaysText) {
  swhub::testing::TempDir dir;
  Db db(dir.file("t.db"), "");
  db.exec("CREATE TABLE source (a TEXT NOT NULL, b TEXT NOT NULL); CREATE TABLE copy (a TEXT NOT NULL, b TEXT NOT NULL);"
          "INSERT INTO source VALUES ('', 'héllo'), ('x', '');");
  {
    auto read = db.prepare("SELECT a, b FROM source ORDER BY rowid");
    while (read->step()) {
      db.prepare("INSERT INTO copy (a, b) VALUES (?, ?)")->bindStatic(1, read->view(0)).bindStatic(2, read->view(1)).step();
    }
  }
  db.prepare("INSERT INTO copy (a, b) VALUES (?, ?)")->bindStatic(1, std::string_view()).bind(2, std::string_view()).step();
  auto rows = db.prepare("SELECT a, b, typeof(a), typeof(b) FROM copy ORDER BY rowid");
  std::string seen;
  while (rows->step()) {
    seen += "[" + std::string(rows->view(0)) + "|" + rows->text(1) + "|" + rows->text(2) + "|" + rows->text(3) + "]";
  }
  EXPECT_EQ(seen, "[|héllo|text|text][x||text|text][||text|text]");
}

}  // namespace
}  // namespace swhub::journal::sqlite
