#include "journal/sqlite_db.hpp"

#include "journal/group_committer.hpp"

namespace swhub::journal::sqlite {
namespace {

const char* codeName(int code) {
  switch (code) {
    case SQLITE_ERROR: return "SQLITE_ERROR";
    case SQLITE_BUSY: return "SQLITE_BUSY";
    case SQLITE_LOCKED: return "SQLITE_LOCKED";
    case SQLITE_NOMEM: return "SQLITE_NOMEM";
    case SQLITE_READONLY: return "SQLITE_READONLY";
    case SQLITE_IOERR: return "SQLITE_IOERR";
    case SQLITE_IOERR_READ: return "SQLITE_IOERR_READ";
    case SQLITE_IOERR_SHORT_READ: return "SQLITE_IOERR_SHORT_READ";
    case SQLITE_IOERR_WRITE: return "SQLITE_IOERR_WRITE";
    case SQLITE_IOERR_FSYNC: return "SQLITE_IOERR_FSYNC";
    case SQLITE_IOERR_DIR_FSYNC: return "SQLITE_IOERR_DIR_FSYNC";
    case SQLITE_IOERR_TRUNCATE: return "SQLITE_IOERR_TRUNCATE";
    case SQLITE_IOERR_SHMMAP: return "SQLITE_IOERR_SHMMAP";
    case SQLITE_CORRUPT: return "SQLITE_CORRUPT";
    case SQLITE_FULL: return "SQLITE_FULL";
    case SQLITE_CANTOPEN: return "SQLITE_CANTOPEN";
    case SQLITE_CONSTRAINT: return "SQLITE_CONSTRAINT";
    case SQLITE_CONSTRAINT_UNIQUE: return "SQLITE_CONSTRAINT_UNIQUE";
    case SQLITE_CONSTRAINT_PRIMARYKEY: return "SQLITE_CONSTRAINT_PRIMARYKEY";
    case SQLITE_CONSTRAINT_FOREIGNKEY: return "SQLITE_CONSTRAINT_FOREIGNKEY";
    case SQLITE_CONSTRAINT_NOTNULL: return "SQLITE_CONSTRAINT_NOTNULL";
    case SQLITE_TOOBIG: return "SQLITE_TOOBIG";
    case SQLITE_MISMATCH: return "SQLITE_MISMATCH";
    default: return nullptr;
  }
}

// The first words of a statement, enough to say which write failed without dumping the SQL.
std::string statementLabel(const char* sql) {
  std::string label = sql ? sql : "";
  const auto start = label.find_first_not_of(" \n");
  label = start == std::string::npos ? std::string() : label.substr(start);
  if (label.size() > 40) label = label.substr(0, 40) + "...";
  return label;
}

}  // namespace

std::string describeCode(int extended_code) {
  std::string text = sqlite3_errstr(extended_code);
  const char* name = codeName(extended_code);
  if (name == nullptr) name = codeName(extended_code & 0xff);
  text += " (";
  text += name ? name : "SQLite code";
  text += ", " + std::to_string(extended_code) + ")";
  return text;
}

bool isBatchError(int code) {
  const int primary = code & 0xff;
  return primary == SQLITE_CONSTRAINT || primary == SQLITE_TOOBIG || primary == SQLITE_MISMATCH;
}

void Db::raise(sqlite3* db, int code, std::string_view what) {
  std::string message = "journal: ";
  message += what;
  message += ": ";
  message += describeCode(code);
  if (db != nullptr) {
    const std::string detail = sqlite3_errmsg(db);
    if (detail != sqlite3_errstr(code)) message += ": " + detail;
  }
  if (isBatchError(code)) throw BatchRejected(message);
  throw StoreFailure(message);
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

Stmt& Stmt::bind(int index, std::string_view text) { return bindText(index, text, SQLITE_TRANSIENT); }

Stmt& Stmt::bindStatic(int index, std::string_view text) { return bindText(index, text, SQLITE_STATIC); }

Stmt& Stmt::bindText(int index, std::string_view text, void (*destructor)(void*)) {
  // An empty view may have no data at all: still empty text, not NULL.
  const int rc = sqlite3_bind_text64(stmt_, index, text.data() ? text.data() : "", text.size(), destructor, SQLITE_UTF8);
  if (rc != SQLITE_OK) Db::raise(db_, rc, "bind");
  return *this;
}

Stmt& Stmt::bindBlob(int index, std::string_view bytes) {
  // An empty blob stays a zero-length blob, not NULL.
  static const char kEmpty = 0;
  const char* data = bytes.empty() ? &kEmpty : bytes.data();
  const int rc = sqlite3_bind_blob64(stmt_, index, data, bytes.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) Db::raise(db_, rc, "bind");
  return *this;
}

Stmt& Stmt::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) Db::raise(db_, rc, "bind");
  return *this;
}

bool Stmt::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const int extended = sqlite3_extended_errcode(db_);
  sqlite3_reset(stmt_);
  Db::raise(db_, extended, statementLabel(sqlite3_sql(stmt_)));
}

void Stmt::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Stmt::text(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  return data ? std::string(static_cast<const char*>(data), static_cast<std::size_t>(size)) : std::string();
}

std::string_view Stmt::view(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  return data ? std::string_view(static_cast<const char*>(data), static_cast<std::size_t>(size)) : std::string_view();
}

std::int64_t Stmt::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

Db::Db(const std::string& path, const std::string& vfs) {
  // NOMUTEX: each connection is used by one thread at a time (writer thread, or a pooled reader).
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, vfs.empty() ? nullptr : vfs.c_str());
  if (rc != SQLITE_OK) {
    std::string message = "cannot open " + path;
    if (!vfs.empty()) message += " with VFS '" + vfs + "'";
    message += ": " + (db_ ? std::string(sqlite3_errmsg(db_)) : describeCode(rc));
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw StoreFailure(message);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Db::~Db() {
  statements_.clear();  // finalize before close
  sqlite3_close_v2(db_);
}

void Db::exec(const char* sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  sqlite3_free(error);
  if (rc != SQLITE_OK) raise(db_, sqlite3_extended_errcode(db_), sql);
}

StmtRef Db::prepare(const char* sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) return StmtRef(*found->second);
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) raise(db_, rc, sql);
  auto& slot = statements_[sql];
  slot = std::make_unique<Stmt>(db_, stmt);
  return StmtRef(*slot);
}

std::string Db::pragma(const char* name) {
  std::string sql = "PRAGMA ";
  sql += name;
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr);
  if (rc != SQLITE_OK) raise(db_, rc, sql);
  Stmt stmt(db_, raw);
  return stmt.step() ? stmt.text(0) : std::string();
}

}  // namespace swhub::journal::sqlite
