#include "journal/pg_migrate.hpp"

#include <sqlite3.h>

#include <memory>

#include "common/sha256.hpp"
#include "journal/group_committer.hpp"
#include "journal/journal.hpp"
#include "journal/pg_conn.hpp"
#include "journal/pg_schema.hpp"

namespace swhub::journal::pg {
namespace {

// One table: the same columns in the same order on both sides, in the same key order. Kinds:
// 't' text or integer, 'b' bytes (bytea in PostgreSQL).
struct Table {
  const char* name;
  const char* columns;      // PostgreSQL's COPY column list
  const char* kinds;        // one letter per column
  const char* sqlite_rows;  // SELECT of the SQLite rows, in key order
  const char* pg_rows;      // SELECT of the same rows in PostgreSQL, same order
  bool copy = true;         // false: made by the target itself (party_totals: its triggers)
};

const std::vector<Table>& tables() {
  static const std::vector<Table> all = {
      {"messages", "id, partner, content_type, idempotency_key, digest, received_at, body, status, response, http_status, audit_seq, audit_hash",
       "ttttttbtbttt",
       "SELECT id, partner, content_type, idempotency_key, digest, received_at,"
       " coalesce((SELECT bytes FROM message_blobs b WHERE b.message_id = m.id AND b.part = 'body'), body), status,"
       " coalesce((SELECT bytes FROM message_blobs b WHERE b.message_id = m.id AND b.part = 'response'), response),"
       " http_status, audit_seq, audit_hash FROM messages m WHERE status <> 'staging' ORDER BY rowid",
       "SELECT id, partner, content_type, idempotency_key, digest, received_at, body, status, response, http_status,"
       " audit_seq, audit_hash FROM messages ORDER BY written"},
      {"cases", "id, partner, reference, filing, state, version, consignment_json, message_id, created_at, updated_at, status_json, duplicate_of, seller_id, buyer_id",
       "tttttttttttttt",
       "SELECT id, partner, reference, filing, state, version, consignment_json, message_id, created_at, updated_at,"
       " status_json, duplicate_of, seller_id, buyer_id FROM cases ORDER BY rowid",
       "SELECT id, partner, reference, filing, state, version, consignment_json, message_id, created_at, updated_at,"
       " status_json, duplicate_of, seller_id, buyer_id FROM cases ORDER BY written"},
      {"case_events", "seq, case_id, at, actor, kind, from_state, to_state, detail_json, message_id, audit_seq, audit_hash",
       "ttttttttttt",
       "SELECT seq, case_id, at, actor, kind, from_state, to_state, detail_json, message_id, audit_seq, audit_hash"
       " FROM case_events ORDER BY seq",
       "SELECT seq, case_id, at, actor, kind, from_state, to_state, detail_json, message_id, audit_seq, audit_hash"
       " FROM case_events ORDER BY seq"},
      {"outbox", "seq, id, channel, recipient, case_id, content_type, body, attempts, state, next_attempt_at, last_error, created_at, lease_owner, lease_until, batch",
       "ttttttbtttttttt",
       "SELECT seq, id, channel, recipient, case_id, content_type, body, attempts, state, next_attempt_at, last_error,"
       " created_at, lease_owner, lease_until, batch FROM outbox ORDER BY seq",
       "SELECT seq, id, channel, recipient, case_id, content_type, body, attempts, state, next_attempt_at, last_error,"
       " created_at, lease_owner, lease_until, batch FROM outbox ORDER BY seq"},
      {"pull_dead_letters", "seq", "t", "SELECT seq FROM pull_dead_letters ORDER BY seq",
       "SELECT seq FROM pull_dead_letters ORDER BY seq"},
      {"licences", "agency, id, type, holder, valid_from, valid_to, quantity, remaining, updated_at", "ttttttttt",
       "SELECT agency, id, type, holder, valid_from, valid_to, quantity, remaining, updated_at FROM licences ORDER BY agency, id",
       "SELECT agency, id, type, holder, valid_from, valid_to, quantity, remaining, updated_at FROM licences ORDER BY agency, id"},
      {"licence_uses", "case_id, agency, item, licence_id, quantity, at", "tttttt",
       "SELECT case_id, agency, item, licence_id, quantity, at FROM licence_uses ORDER BY case_id, agency, item, licence_id",
       "SELECT case_id, agency, item, licence_id, quantity, at FROM licence_uses ORDER BY case_id, agency, item, licence_id"},
      {"statements", "id, account, period, issued_at, body", "ttttt",
       "SELECT id, account, period, issued_at, body FROM statements ORDER BY id",
       "SELECT id, account, period, issued_at, body FROM statements ORDER BY id"},
      {"statement_cases", "case_id, statement_id, released_at", "ttt",
       "SELECT case_id, statement_id, released_at FROM statement_cases ORDER BY case_id",
       "SELECT case_id, statement_id, released_at FROM statement_cases ORDER BY case_id"},
      {"statement_lines", "statement_id, seq, kind, case_id, tax, item, amount, currency, corrects", "ttttttttt",
       "SELECT statement_id, seq, kind, case_id, tax, item, amount, currency, corrects FROM statement_lines"
       " ORDER BY statement_id, seq",
       "SELECT statement_id, seq, kind, case_id, tax, item, amount, currency, corrects FROM statement_lines"
       " ORDER BY statement_id, seq"},
      {"declaration_links", "case_id, kind, type, completes, account, period, facts_json, at", "tttttttt",
       "SELECT case_id, kind, type, completes, account, period, facts_json, at FROM declaration_links ORDER BY rowid",
       "SELECT case_id, kind, type, completes, account, period, facts_json, at FROM declaration_links ORDER BY seq"},
      {"stat_rollups", "scope, hour, family, key1, key2, value", "tttttt",
       "SELECT scope, hour, family, key1, key2, value FROM stat_rollups ORDER BY scope COLLATE BINARY, hour,"
       " family COLLATE BINARY, key1 COLLATE BINARY, key2 COLLATE BINARY",
       "SELECT scope, hour, family, key1, key2, value FROM stat_rollups ORDER BY scope COLLATE \"C\", hour,"
       " family COLLATE \"C\", key1 COLLATE \"C\", key2 COLLATE \"C\""},
      {"stat_fill", "id, filled_at", "tt", "SELECT id, filled_at FROM stat_fill", "SELECT id, filled_at FROM stat_fill"},
      {"document_blobs", "digest, size, bytes, stored_at", "ttbt",
       "SELECT digest, size, bytes, stored_at FROM document_blobs ORDER BY digest",
       "SELECT digest, size, bytes, stored_at FROM document_blobs ORDER BY digest COLLATE \"C\""},
      {"case_documents", "case_id, digest, type, code, id, media_type, size, uploaded_by, uploaded_at", "ttttttttt",
       "SELECT case_id, digest, type, code, id, media_type, size, uploaded_by, uploaded_at FROM case_documents"
       " ORDER BY rowid",
       "SELECT case_id, digest, type, code, id, media_type, size, uploaded_by, uploaded_at FROM case_documents"
       " ORDER BY seq"},
      {"audit_checkpoints", "seq, head_hash, at, signature", "tttt",
       "SELECT seq, head_hash, at, signature FROM audit_checkpoints ORDER BY seq",
       "SELECT seq, head_hash, at, signature FROM audit_checkpoints ORDER BY seq"},
      {"audit_head", "seq, hash", "tt", "SELECT seq, hash FROM audit_head WHERE seq > 0", "SELECT seq, hash FROM audit_head WHERE seq > 0",
       false},
      {"party_totals", "role, id, cases, held", "tttt",
       "SELECT role, id, cases, held FROM party_totals WHERE cases <> 0 OR held <> 0 ORDER BY role COLLATE BINARY, id COLLATE BINARY",
       "SELECT role, id, cases, held FROM party_totals WHERE cases <> 0 OR held <> 0 ORDER BY role COLLATE \"C\", id COLLATE \"C\"",
       false},
      {"journal_totals", "name, value", "tt", "SELECT name, value FROM journal_totals ORDER BY name COLLATE BINARY",
       "SELECT name, value FROM journal_totals ORDER BY name COLLATE \"C\"", false},
  };
  return all;
}

// SHA-256 over each row's fields as netstrings ("<len>:<bytes>,"), NULL as "N".
class RowDigest {
 public:
  void null() { digest_.update("N"); }
  void field(const std::string& bytes) { digest_.field(bytes); }
  std::string hex() { return "sha256:" + digest_.hex(); }

 private:
  common::Sha256 digest_;
};

class SqliteSource {
 public:
  explicit SqliteSource(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw JournalError("cannot read journal sqlite:" + path + ": " + why);
    }
    sqlite3_busy_timeout(db_, 5000);
    exec("BEGIN");  // one snapshot for the copy and the check
  }
  ~SqliteSource() {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
  }
  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) throw JournalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  std::int64_t integer(const char* sql) {
    std::int64_t out = 0;
    rows(sql, [&](sqlite3_stmt* s) { out = sqlite3_column_int64(s, 0); });
    return out;
  }
  template <typename Fn>
  void rows(const char* sql, Fn&& fn) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK) {
      throw JournalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) fn(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) throw JournalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }

 private:
  sqlite3* db_ = nullptr;
};

std::string columnBytes(sqlite3_stmt* s, int i) {
  const void* data = sqlite3_column_blob(s, i);
  const int size = sqlite3_column_bytes(s, i);
  return data ? std::string(static_cast<const char*>(data), static_cast<std::size_t>(size)) : std::string();
}

constexpr std::size_t kCopyBatchBytes = 8 << 20;

}  // namespace

MigrationReport migrateFromSqlite(const std::string& sqlite_url, const std::string& postgresql_url) {
  if (sqlite_url.rfind("sqlite:", 0) != 0) throw JournalError("--from expects sqlite:PATH, not '" + sqlite_url + "'");
  // Opening it brings an older journal to the schema this hub writes (nothing is lost by it).
  openJournal(sqlite_url).reset();
  std::string path = sqlite_url.substr(7);
  if (path.rfind("//", 0) == 0) path.erase(0, 2);
  path = path.substr(0, path.find('?'));
  SqliteSource source(path);

  // Opening it migrates an empty database to this hub's schema.
  openJournal(postgresql_url).reset();
  std::unique_ptr<Conn> target;
  try {
    target = std::make_unique<Conn>(postgresql_url);
  } catch (const std::exception& e) {
    throw JournalError(e.what());
  }
  MigrationReport report;
  try {
    target->exec("SET synchronous_commit = on");
    target->exec("BEGIN");
    const std::int64_t held = target->exec("SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM cases)"
                                           " + (SELECT count(*) FROM outbox)").integer(0, 0);
    if (held != 0) throw JournalError("the PostgreSQL journal is not empty: swhub migrate copies into a new one only");
    for (const auto& table : tables()) {
      TableCheck check;
      check.table = table.name;
      RowDigest digest;
      std::string copy;
      const std::string columns = table.columns;
      const std::string kinds = table.kinds;
      auto flush = [&] {
        if (copy.empty()) return;
        target->copyIn("COPY " + check.table + " (" + columns + ") FROM STDIN", copy);
        copy.clear();
      };
      source.rows(table.sqlite_rows, [&](sqlite3_stmt* s) {
        ++check.rows;
        for (int i = 0; i < static_cast<int>(kinds.size()); ++i) {
          if (i > 0) copy += '\t';
          if (sqlite3_column_type(s, i) == SQLITE_NULL) {
            digest.null();
            copy += "\\N";
            continue;
          }
          const std::string value = columnBytes(s, i);
          digest.field(value);
          copy += kinds[static_cast<std::size_t>(i)] == 'b' ? copyBytes(value) : copyText(value);
        }
        copy += '\n';
        if (!table.copy) copy.clear();
        if (copy.size() >= kCopyBatchBytes) flush();
      });
      if (table.copy) flush();
      check.digest = digest.hex();
      if (check.table == "audit_head") {
        source.rows(table.sqlite_rows, [&](sqlite3_stmt* s) {
          target->exec("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1",
                       Params().text(columnBytes(s, 0)).text(columnBytes(s, 1)));
        });
      }
      report.tables.push_back(std::move(check));
    }
    // Seqs go on from where SQLite was (AUTOINCREMENT never reuses one: neither do these).
    for (const char* table : {"case_events", "outbox"}) {
      const std::string sql = std::string("SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '") + table +
                              "'), 0), coalesce((SELECT max(seq) FROM " + table + "), 0))";
      const std::int64_t last = source.integer(sql.c_str());
      target->exec(std::string("SELECT setval('") + table + "_seq_seq', $1, $2)",
                   Params().integer(std::max<std::int64_t>(last, 1)).text(last > 0 ? "true" : "false"));
    }
    // The check, inside the same transaction: what PostgreSQL now holds, read back.
    for (std::size_t t = 0; t < tables().size(); ++t) {
      const auto& table = tables()[t];
      const std::string kinds = table.kinds;
      auto rows = target->exec(table.pg_rows);
      RowDigest digest;
      for (int r = 0; r < rows.rows(); ++r) {
        for (int i = 0; i < static_cast<int>(kinds.size()); ++i) {
          if (rows.isNull(r, i)) {
            digest.null();
          } else {
            digest.field(kinds[static_cast<std::size_t>(i)] == 'b' ? rows.bytes(r, i) : rows.text(r, i));
          }
        }
      }
      report.tables[t].copied_rows = rows.rows();
      report.tables[t].copied_digest = digest.hex();
    }
    if (!report.verified()) {
      PQclear(PQexec(target->handle(), "ROLLBACK"));
      return report;
    }
    target->exec("COMMIT");
  } catch (const JournalError&) {
    PQclear(PQexec(target->handle(), "ROLLBACK"));
    throw;
  } catch (const std::exception& e) {
    PQclear(PQexec(target->handle(), "ROLLBACK"));
    throw JournalError(std::string("migrate: ") + e.what());
  }
  return report;
}

}  // namespace swhub::journal::pg
