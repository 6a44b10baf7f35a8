#include "journal/sqlite_accounts.hpp"

namespace swhub::journal::sqlite {
namespace {

// A statement, once issued, never changes: the store refuses it, whoever asks.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS statements (
  id TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  period TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS statements_period ON statements (account, period);
-- A case is accounted as an item on one statement only.
CREATE TABLE IF NOT EXISTS statement_cases (
  case_id TEXT PRIMARY KEY,
  statement_id TEXT NOT NULL REFERENCES statements (id),
  released_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS statement_cases_statement ON statement_cases (statement_id);
CREATE TABLE IF NOT EXISTS statement_lines (
  statement_id TEXT NOT NULL REFERENCES statements (id),
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  case_id TEXT NOT NULL,
  tax TEXT NOT NULL,
  item INTEGER NOT NULL,
  amount TEXT NOT NULL,
  currency TEXT NOT NULL,
  corrects TEXT NOT NULL,
  PRIMARY KEY (statement_id, seq)
);
CREATE INDEX IF NOT EXISTS statement_lines_case ON statement_lines (case_id);
CREATE TRIGGER IF NOT EXISTS statements_no_update BEFORE UPDATE ON statements
  BEGIN SELECT RAISE(ABORT, 'an issued statement never changes'); END;
CREATE TRIGGER IF NOT EXISTS statements_no_delete BEFORE DELETE ON statements
  BEGIN SELECT RAISE(ABORT, 'an issued statement never changes'); END;
CREATE TRIGGER IF NOT EXISTS statement_cases_no_update BEFORE UPDATE ON statement_cases
  BEGIN SELECT RAISE(ABORT, 'an issued statement never changes'); END;
CREATE TRIGGER IF NOT EXISTS statement_cases_no_delete BEFORE DELETE ON statement_cases
  BEGIN SELECT RAISE(ABORT, 'an issued statement never changes'); END;
CREATE TRIGGER IF NOT EXISTS statement_lines_no_update BEFORE UPDATE ON statement_lines
  BEGIN SELECT RAISE(ABORT, 'an issued statement never changes'); END;
CREATE TRIGGER IF NOT EXISTS statement_lines_no_delete BEFORE DELETE ON statement_lines
  BEGIN SELECT RAISE(ABORT, 'an issued statement never changes'); END;
-- What declarations declared beyond their goods (declaration_links.hpp): a case is completed by
-- one supplementary declaration, a period of an account closed by one final supplementary (NULLs
-- are distinct in a UNIQUE constraint: the other kinds leave them NULL).
CREATE TABLE IF NOT EXISTS declaration_links (
  case_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  type TEXT NOT NULL,
  completes TEXT UNIQUE,
  account TEXT,
  period TEXT,
  facts_json TEXT NOT NULL,
  at TEXT NOT NULL,
  UNIQUE (account, period)
);
CREATE INDEX IF NOT EXISTS declaration_links_case ON declaration_links (case_id);
-- Releases by instant, for the statements of a period.
CREATE INDEX IF NOT EXISTS case_events_released ON case_events (at)
  WHERE kind = 'transition' AND to_state = 'released';
)sql";

StatementLineRecord readLine(const Stmt& row) {
  StatementLineRecord l;
  l.statement_id = row.text(0);
  l.kind = row.text(1);
  l.case_id = row.text(2);
  l.tax = row.text(3);
  l.item = static_cast<int>(row.integer(4));
  l.amount = row.text(5);
  l.currency = row.text(6);
  l.corrects = row.text(7);
  return l;
}

}  // namespace

const char* accountsSchema() { return kSchema; }

std::vector<std::pair<std::int64_t, ReleasedCase>> releasedPage(Db& db, const std::string& partner,
                                                                const std::string& from, const std::string& to,
                                                                const std::string& after_at, std::int64_t after_seq,
                                                                std::size_t limit) {
  // A case released once is never released again; the NOT EXISTS keeps its first release only,
  // should a journal ever hold two.
  auto stmt = db.prepare(
      "SELECT e.seq, e.at, c.id, c.partner, c.reference, c.status_json,"
      " coalesce((SELECT substr(r.value, 5) FROM json_each(c.consignment_json, '$.fiscal.payment_refs') r"
      " WHERE r.type = 'text' AND r.value LIKE 'DAN %' LIMIT 1), ''),"
      " coalesce((SELECT sc.statement_id FROM statement_cases sc WHERE sc.case_id = c.id), '')"
      " FROM case_events e"
      " JOIN cases c ON c.id = e.case_id"
      " WHERE e.kind = 'transition' AND e.to_state = 'released' AND e.at >= ?1 AND e.at < ?2"
      " AND (e.at > ?3 OR (e.at = ?3 AND e.seq > ?4)) AND c.partner = ?5"
      " AND NOT EXISTS (SELECT 1 FROM case_events p WHERE p.case_id = e.case_id AND p.kind = 'transition'"
      " AND p.to_state = 'released' AND p.seq < e.seq)"
      " ORDER BY e.at, e.seq LIMIT ?6");
  stmt->bind(1, from).bind(2, to).bind(3, after_at).bind(4, after_seq).bind(5, partner).bind(
      6, static_cast<std::int64_t>(limit));
  std::vector<std::pair<std::int64_t, ReleasedCase>> page;
  while (stmt->step()) {
    page.emplace_back(stmt->integer(0),
                      ReleasedCase{stmt->text(2), stmt->text(3), stmt->text(4), stmt->text(1), stmt->text(5),
                                   stmt->text(6), stmt->text(7)});
  }
  return page;
}

std::string firstRelease(Db& db, const std::string& partner) {
  auto stmt = db.prepare(
      "SELECT e.at FROM case_events e JOIN cases c ON c.id = e.case_id"
      " WHERE e.kind = 'transition' AND e.to_state = 'released' AND c.partner = ? ORDER BY e.at LIMIT 1");
  stmt->bind(1, partner);
  return stmt->step() ? stmt->text(0) : std::string();
}

std::optional<StatementRecord> statementOf(Db& db, const std::string& account, const std::string& period) {
  StatementRecord s;
  {
    auto stmt = db.prepare("SELECT id, account, period, issued_at, body FROM statements WHERE account = ? AND period = ?");
    stmt->bind(1, account).bind(2, period);
    if (!stmt->step()) return std::nullopt;
    s = StatementRecord{stmt->text(0), stmt->text(1), stmt->text(2), stmt->text(3), stmt->text(4), {}, {}};
  }
  {
    auto stmt = db.prepare(
        "SELECT case_id, released_at FROM statement_cases WHERE statement_id = ? ORDER BY released_at, case_id");
    stmt->bind(1, s.id);
    while (stmt->step()) s.cases.emplace_back(stmt->text(0), stmt->text(1));
  }
  auto stmt = db.prepare(
      "SELECT statement_id, kind, case_id, tax, item, amount, currency, corrects FROM statement_lines"
      " WHERE statement_id = ? ORDER BY seq");
  stmt->bind(1, s.id);
  while (stmt->step()) s.lines.push_back(readLine(*stmt));
  return s;
}

std::string latestStatementPeriod(Db& db, const std::string& account) {
  auto stmt = db.prepare("SELECT max(period) FROM statements WHERE account = ?");
  stmt->bind(1, account);
  return stmt->step() ? stmt->text(0) : std::string();
}

std::string statementOfCase(Db& db, const std::string& case_id) {
  auto stmt = db.prepare("SELECT statement_id FROM statement_cases WHERE case_id = ?");
  stmt->bind(1, case_id);
  return stmt->step() ? stmt->text(0) : std::string();
}

std::vector<StatementLineRecord> linesOfChangedCases(Db& db, const std::string& account) {
  auto stmt = db.prepare(
      "SELECT l.statement_id, l.kind, l.case_id, l.tax, l.item, l.amount, l.currency, l.corrects"
      " FROM statements s JOIN statement_cases sc ON sc.statement_id = s.id"
      " JOIN cases c ON c.id = sc.case_id"
      " JOIN statement_lines l ON l.case_id = sc.case_id"
      " WHERE s.account = ? AND c.updated_at > s.issued_at"
      " ORDER BY l.case_id, l.statement_id, l.seq");
  stmt->bind(1, account);
  std::vector<StatementLineRecord> lines;
  while (stmt->step()) lines.push_back(readLine(*stmt));
  return lines;
}

CommitResult insertStatement(Db& db, const StatementRecord& s) {
  {
    auto stmt = db.prepare("SELECT 1 FROM statements WHERE account = ? AND period = ?");
    stmt->bind(1, s.account).bind(2, s.period);
    if (stmt->step()) {
      CommitResult taken;
      taken.status = CommitResult::Status::Duplicate;
      return taken;
    }
  }
  db.prepare("INSERT INTO statements (id, account, period, issued_at, body) VALUES (?, ?, ?, ?, ?)")
      ->bind(1, s.id)
      .bind(2, s.account)
      .bind(3, s.period)
      .bind(4, s.issued_at)
      .bind(5, s.body)
      .step();
  for (const auto& [caseId, releasedAt] : s.cases) {
    db.prepare("INSERT INTO statement_cases (case_id, statement_id, released_at) VALUES (?, ?, ?)")
        ->bind(1, caseId)
        .bind(2, s.id)
        .bind(3, releasedAt)
        .step();
  }
  std::int64_t seq = 0;
  for (const auto& l : s.lines) {
    db.prepare(
          "INSERT INTO statement_lines (statement_id, seq, kind, case_id, tax, item, amount, currency, corrects)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        ->bind(1, s.id)
        .bind(2, ++seq)
        .bind(3, l.kind)
        .bind(4, l.case_id)
        .bind(5, l.tax)
        .bind(6, l.item)
        .bind(7, l.amount)
        .bind(8, l.currency)
        .bind(9, l.corrects)
        .step();
  }
  return CommitResult{};
}

namespace {

DeclarationLink readLink(const Stmt& row) {
  return {row.text(0), row.text(1), row.text(2), row.text(3), row.text(4), row.text(5), row.text(6),
          common::parseInstant(row.text(7)).value_or(common::Instant{})};
}

// Db::prepare caches by the literal's address: each query is one literal.
#define SWHUB_LINK_COLUMNS                                                                                      \
  "SELECT case_id, kind, type, coalesce(completes, ''), coalesce(account, ''), coalesce(period, ''), facts_json, at" \
  " FROM declaration_links "

}  // namespace

std::optional<std::string> insertDeclarationLinks(Db& db, const std::vector<DeclarationLink>& links) {
  for (const auto& l : links) {
    // Inside the writer's transaction: what another message linked since this one was checked.
    if (auto conflict = declarationLinkConflict(
            l, [&](const std::string& c) { return completionOf(db, c); },
            [&](const std::string& a, const std::string& p) { return finalSupplementary(db, a, p); })) {
      return conflict;
    }
    auto stmt = db.prepare(
        "INSERT INTO declaration_links (case_id, kind, type, completes, account, period, facts_json, at)"
        " VALUES (?, ?, ?, nullif(?, ''), nullif(?, ''), nullif(?, ''), ?, ?)");
    stmt->bind(1, l.case_id).bind(2, l.kind).bind(3, l.type).bind(4, l.completes);
    stmt->bind(5, l.account).bind(6, l.period).bind(7, l.facts_json.empty() ? std::string("{}") : l.facts_json);
    stmt->bind(8, common::toString(l.at)).step();
  }
  return std::nullopt;
}

std::vector<DeclarationLink> linksOf(Db& db, const std::string& case_id) {
  auto stmt = db.prepare(SWHUB_LINK_COLUMNS "WHERE case_id = ? ORDER BY rowid");
  stmt->bind(1, case_id);
  std::vector<DeclarationLink> out;
  while (stmt->step()) out.push_back(readLink(*stmt));
  return out;
}

std::optional<DeclarationLink> completionOf(Db& db, const std::string& case_id) {
  auto stmt = db.prepare(SWHUB_LINK_COLUMNS "WHERE completes = ?");
  stmt->bind(1, case_id);
  if (!stmt->step()) return std::nullopt;
  return readLink(*stmt);
}

std::optional<DeclarationLink> finalSupplementary(Db& db, const std::string& account, const std::string& period) {
  auto stmt = db.prepare(SWHUB_LINK_COLUMNS "WHERE account = ? AND period = ?");
  stmt->bind(1, account).bind(2, period);
  if (!stmt->step()) return std::nullopt;
  return readLink(*stmt);
}

}  // namespace swhub::journal::sqlite
