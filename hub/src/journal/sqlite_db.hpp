#pragma once
// Thin RAII over the sqlite3 C API: a connection with a cache of prepared statements, and a
// statement with typed binds and columns. Errors carry the SQLite code name.

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace swhub::journal::sqlite {

// "disk I/O error (SQLITE_IOERR_FSYNC)"
std::string describeCode(int extended_code);

// I/O and store errors poison the journal; constraint-type errors only reject one batch.
bool isBatchError(int code);

class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int index, std::string_view text);
  // Without a copy: `text` must stay as it is until the statement is reset.
  Stmt& bindStatic(int index, std::string_view text);
  Stmt& bindBlob(int index, std::string_view bytes);
  Stmt& bind(int index, std::int64_t value);
  Stmt& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  // True while a row is available; throws on error (see Db::check).
  bool step();
  void reset();  // ready for reuse: clears binds

  std::string text(int column) const;
  // The column's bytes, valid until the statement steps again or is reset.
  std::string_view view(int column) const;
  std::int64_t integer(int column) const;

 private:
  // SQLITE_TRANSIENT (SQLite copies the text) or SQLITE_STATIC (it does not).
  Stmt& bindText(int index, std::string_view text, void (*destructor)(void*));

  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// A borrowed cached statement; resets on scope exit so that no read transaction stays open
// (an open one would pin the WAL snapshot and keep checkpoints from finishing).
class StmtRef {
 public:
  explicit StmtRef(Stmt& stmt) : stmt_(&stmt) {}
  ~StmtRef() { stmt_->reset(); }
  StmtRef(const StmtRef&) = delete;
  StmtRef& operator=(const StmtRef&) = delete;
  Stmt* operator->() const { return stmt_; }
  Stmt& operator*() const { return *stmt_; }

 private:
  Stmt* stmt_;
};

class Db {
 public:
  // vfs "" = the default VFS. Throws StoreFailure when the file cannot be opened.
  Db(const std::string& path, const std::string& vfs);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  sqlite3* handle() const { return db_; }
  void exec(const char* sql);
  // A cached statement, ready to bind. `sql` must be a string literal (the cache key).
  StmtRef prepare(const char* sql);
  // A statement without rows or binds run from the cache (BEGIN, COMMIT on a read path: exec
  // parses it again each time). `sql` must be a string literal.
  void run(const char* sql) { prepare(sql)->step(); }
  std::string pragma(const char* name);  // first column of "PRAGMA name" as text
  std::int64_t changes() const { return sqlite3_changes64(db_); }

  // Throws BatchRejected for constraint errors and StoreFailure for everything else.
  [[noreturn]] static void raise(sqlite3* db, int code, std::string_view what);

 private:
  sqlite3* db_ = nullptr;
  std::map<const char*, std::unique_ptr<Stmt>> statements_;
};

}  // namespace swhub::journal::sqlite
