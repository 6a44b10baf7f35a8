#pragma once
// Thin RAII over libpq for the PostgreSQL journal: a connection, results, typed parameters, a
// pipeline of statements sent at once, and COPY FROM STDIN. Errors carry the SQLSTATE.
//
// Why libpq itself rather than libpqxx or POCO's PostgreSQL connector: the journal's two
// throughput paths are libpq features that the wrappers hide. Pipeline mode (libpq 14+) sends
// every INSERT of a group's batches without waiting for each answer, so a group costs about one
// round trip plus its one durable COMMIT; POCO::Data::PostgreSQL has no pipeline mode and no COPY,
// and libpqxx's pipeline is a separate class that cannot mix with savepoints as the group committer
// needs. COPY FROM STDIN (PQputCopyData) feeds `swhub migrate` at the server's bulk rate. libpq is
// also what both wrappers link, so it adds no dependency (Debian's libpq-dev).

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace swhub::journal::pg {

// Parameters of one statement: text by default, bytea as binary (bytes with NULs intact).
class Params {
 public:
  Params& text(std::string_view value);
  Params& bytes(std::string_view value);
  Params& integer(std::int64_t value);
  Params& null();

  int size() const { return static_cast<int>(values_.size()); }
  // The arrays PQexecParams takes (valid until the next change).
  const char* const* values() const;
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::vector<std::optional<std::string>> values_;
  mutable std::vector<const char*> pointers_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

// One result (text format); rows and columns from 0.
class Result {
 public:
  explicit Result(PGresult* result) : result_(result, &PQclear) {}
  int rows() const { return PQntuples(result_.get()); }
  bool isNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string text(int row, int column) const;
  std::int64_t integer(int row, int column) const;
  std::string bytes(int row, int column) const;  // a bytea column, decoded
  std::int64_t affected() const;                 // rows an INSERT / UPDATE / DELETE touched
  PGresult* get() const { return result_.get(); }

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
};

struct Query {
  std::string sql;
  Params params;
};

class Conn {
 public:
  // Throws StoreFailure when it cannot connect.
  explicit Conn(const std::string& conninfo);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  PGconn* handle() const { return conn_; }
  // Runs one statement (several when there are no parameters). Throws BatchRejected for errors
  // that refuse one batch (constraints, bad data) and StoreFailure for everything else.
  Result exec(const std::string& sql, const Params& params = {});
  // Sends every query at once in pipeline mode and reads the answers after; throws as exec()
  // for the first that failed (the later ones are then skipped by the server).
  std::vector<Result> pipeline(const std::vector<Query>& queries);
  // COPY ... FROM STDIN with rows already in COPY text format (copyField escapes a value).
  void copyIn(const std::string& copy_sql, const std::string& rows);
  bool ok() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

 private:
  [[noreturn]] void raise(const PGresult* result, const std::string& what);
  PGconn* conn_ = nullptr;
};

// One field in COPY text format (backslash escapes); bytea as \\x hex.
std::string copyText(std::string_view value);
std::string copyBytes(std::string_view value);

// The SQLSTATE of a failed statement and whether it refuses one batch only (integrity, data).
bool isBatchState(const std::string& sqlstate);

}  // namespace swhub::journal::pg
