#include "journal/pg_conn.hpp"

#include <cstdlib>

#include "journal/group_committer.hpp"

namespace swhub::journal::pg {
namespace {

std::string errorOf(PGconn* conn) {
  std::string text = conn ? PQerrorMessage(conn) : "out of memory";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// The first words of a statement: enough to say which one failed without dumping the SQL.
std::string label(const std::string& sql) {
  std::string text = sql.substr(0, sql.find_first_of("(\n"));
  if (text.size() > 40) text = text.substr(0, 40) + "...";
  return text;
}

}  // namespace

Params& Params::text(std::string_view value) {
  values_.emplace_back(std::string(value));
  lengths_.push_back(static_cast<int>(value.size()));
  formats_.push_back(0);
  return *this;
}

Params& Params::bytes(std::string_view value) {
  values_.emplace_back(std::string(value));
  lengths_.push_back(static_cast<int>(value.size()));
  formats_.push_back(1);
  return *this;
}

Params& Params::integer(std::int64_t value) { return text(std::to_string(value)); }

Params& Params::null() {
  values_.emplace_back(std::nullopt);
  lengths_.push_back(0);
  formats_.push_back(0);
  return *this;
}

const char* const* Params::values() const {
  pointers_.clear();
  for (const auto& value : values_) pointers_.push_back(value ? value->data() : nullptr);
  return pointers_.data();
}

std::string Result::text(int row, int column) const {
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::int64_t Result::integer(int row, int column) const {
  if (isNull(row, column)) return 0;
  return std::strtoll(PQgetvalue(result_.get(), row, column), nullptr, 10);
}

std::string Result::bytes(int row, int column) const {
  if (isNull(row, column)) return {};
  std::size_t size = 0;
  unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row, column)), &size);
  if (!raw) throw StoreFailure("journal: cannot decode a bytea value (out of memory)");
  std::string out(reinterpret_cast<const char*>(raw), size);
  PQfreemem(raw);
  return out;
}

std::int64_t Result::affected() const {
  const char* text = PQcmdTuples(result_.get());
  return text && *text ? std::strtoll(text, nullptr, 10) : 0;
}

bool isBatchState(const std::string& sqlstate) {
  // 23: integrity constraint violation; 22: data exception (e.g. text that is not UTF-8);
  // 54: program limit exceeded (a value too large); 40P01: a deadlock the server broke by failing
  // this statement (two nodes' groups taking rows in another order; the savepoint undoes it and
  // the job is answered Invalid: a claim hands out nothing, a completion leaves its lease).
  // Everything else poisons the journal.
  return sqlstate.rfind("23", 0) == 0 || sqlstate.rfind("22", 0) == 0 || sqlstate.rfind("54", 0) == 0 ||
         sqlstate == "40P01";
}

Conn::Conn(const std::string& conninfo) {
  conn_ = PQconnectdb(conninfo.c_str());
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    const std::string why = errorOf(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    throw StoreFailure("journal: cannot connect to PostgreSQL: " + why);
  }
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);  // "relation exists, skipping"
}

Conn::~Conn() { PQfinish(conn_); }

void Conn::raise(const PGresult* result, const std::string& what) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state ? state : "";
  std::string message = result ? PQresultErrorMessage(result) : "";
  if (message.empty()) message = errorOf(conn_);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  const std::string text = "journal: " + what + ": " + message + (sqlstate.empty() ? "" : " (SQLSTATE " + sqlstate + ")");
  if (!sqlstate.empty() && isBatchState(sqlstate)) throw BatchRejected(text);
  throw StoreFailure(text);
}

Result Conn::exec(const std::string& sql, const Params& params) {
  PGresult* raw = params.size() == 0
                      ? PQexec(conn_, sql.c_str())
                      : PQexecParams(conn_, sql.c_str(), params.size(), nullptr, params.values(), params.lengths(),
                                     params.formats(), 0);
  Result result(raw);
  const auto status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_COPY_IN) raise(raw, label(sql));
  return result;
}

std::vector<Result> Conn::pipeline(const std::vector<Query>& queries) {
  std::vector<Result> results;
  if (queries.empty()) return results;
  if (queries.size() == 1) {
    results.push_back(exec(queries[0].sql, queries[0].params));
    return results;
  }
  if (PQenterPipelineMode(conn_) != 1) throw StoreFailure("journal: cannot enter pipeline mode: " + errorOf(conn_));
  struct Leave {
    PGconn* conn;
    ~Leave() { PQexitPipelineMode(conn); }
  } leave{conn_};
  for (const auto& q : queries) {
    if (PQsendQueryParams(conn_, q.sql.c_str(), q.params.size(), nullptr, q.params.values(), q.params.lengths(),
                          q.params.formats(), 0) != 1) {
      throw StoreFailure("journal: cannot send a pipelined statement: " + errorOf(conn_));
    }
  }
  if (PQpipelineSync(conn_) != 1) throw StoreFailure("journal: cannot sync the pipeline: " + errorOf(conn_));
  // Answers come in order, each followed by a NULL; the sync's answer ends the pipeline.
  std::optional<Result> failed;
  std::string failed_label;
  std::size_t index = 0;
  for (;;) {
    PGresult* raw = PQgetResult(conn_);
    if (!raw) {
      if (PQstatus(conn_) != CONNECTION_OK) throw StoreFailure("journal: the connection broke: " + errorOf(conn_));
      continue;  // the end of one query's answers
    }
    const auto status = PQresultStatus(raw);
    if (status == PGRES_PIPELINE_SYNC) {
      PQclear(raw);
      break;
    }
    Result result(raw);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      results.push_back(std::move(result));
    } else if (status != PGRES_PIPELINE_ABORTED && !failed) {
      failed_label = index < queries.size() ? label(queries[index].sql) : "pipeline";
      failed.emplace(std::move(result));
    }
    ++index;
  }
  if (failed) raise(failed->get(), failed_label);
  return results;
}

void Conn::copyIn(const std::string& copy_sql, const std::string& rows) {
  exec(copy_sql);
  constexpr std::size_t kChunk = 1 << 20;
  for (std::size_t at = 0; at < rows.size(); at += kChunk) {
    const std::size_t n = std::min(kChunk, rows.size() - at);
    if (PQputCopyData(conn_, rows.data() + at, static_cast<int>(n)) != 1) {
      throw StoreFailure("journal: COPY failed: " + errorOf(conn_));
    }
  }
  if (PQputCopyEnd(conn_, nullptr) != 1) throw StoreFailure("journal: COPY failed: " + errorOf(conn_));
  for (PGresult* raw; (raw = PQgetResult(conn_)) != nullptr;) {
    Result result(raw);
    if (PQresultStatus(raw) != PGRES_COMMAND_OK) raise(raw, label(copy_sql));
  }
}

std::string copyText(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out;
}

std::string copyBytes(std::string_view value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "\\\\x";
  out.reserve(3 + value.size() * 2);
  for (unsigned char c : value) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xf];
  }
  return out;
}

}  // namespace swhub::journal::pg
