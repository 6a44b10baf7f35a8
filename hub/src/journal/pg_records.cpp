// Licences and account statements on PostgreSQL: the SQL of sqlite_licences.cpp and
// sqlite_accounts.cpp in PostgreSQL's dialect.

#include "journal/pg_store.hpp"

namespace swhub::journal::pg {
namespace {

constexpr const char* kLicenceColumns = "agency, id, type, holder, valid_from, valid_to, quantity, remaining, updated_at";

Licence readLicence(const Result& r, int i) {
  return Licence{r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4),
                 r.text(i, 5), r.integer(i, 6), r.integer(i, 7), r.text(i, 8)};
}

std::vector<LicenceUse> readUses(const Result& r) {
  std::vector<LicenceUse> out;
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back(LicenceUse{r.text(i, 0), r.text(i, 1), static_cast<int>(r.integer(i, 2)), r.text(i, 3),
                             r.integer(i, 4), r.text(i, 5)});
  }
  return out;
}

StatementLineRecord readLine(const Result& r, int i) {
  StatementLineRecord l;
  l.statement_id = r.text(i, 0);
  l.kind = r.text(i, 1);
  l.case_id = r.text(i, 2);
  l.tax = r.text(i, 3);
  l.item = static_cast<int>(r.integer(i, 4));
  l.amount = r.text(i, 5);
  l.currency = r.text(i, 6);
  l.corrects = r.text(i, 7);
  return l;
}

}  // namespace

std::optional<std::string> applyLicenceChanges(Conn& db, const std::vector<LicenceChange>& changes, const std::string& now) {
  for (const auto& c : changes) {
    auto stored = db.exec("SELECT quantity FROM licence_uses WHERE case_id = $1 AND agency = $2 AND item = $3 AND licence_id = $4",
                          Params().text(c.case_id).text(c.agency).integer(c.item).text(c.licence_id));
    const std::int64_t delta = c.quantity - (stored.rows() ? stored.integer(0, 0) : 0);
    if (delta > 0) {
      // The write-down and its condition in one statement: the store decides who gets the last unit.
      auto take = db.exec(
          "UPDATE licences SET remaining = remaining - $1, updated_at = $2 WHERE agency = $3 AND id = $4 AND remaining >= $1",
          Params().integer(delta).text(now).text(c.agency).text(c.licence_id));
      if (take.affected() != 1) {
        return "licence '" + c.licence_id + "' of agency '" + c.agency + "' has less than the quantity case " +
               c.case_id + " takes for item " + std::to_string(c.item);
      }
    } else if (delta < 0) {
      db.exec("UPDATE licences SET remaining = remaining + $1, updated_at = $2 WHERE agency = $3 AND id = $4",
              Params().integer(-delta).text(now).text(c.agency).text(c.licence_id));
    }
    if (c.quantity > 0) {
      db.exec("INSERT INTO licence_uses (case_id, agency, item, licence_id, quantity, at) VALUES ($1, $2, $3, $4, $5, $6)"
              " ON CONFLICT (case_id, agency, item, licence_id) DO UPDATE SET quantity = excluded.quantity, at = excluded.at",
              Params().text(c.case_id).text(c.agency).integer(c.item).text(c.licence_id).integer(c.quantity).text(now));
    } else {
      db.exec("DELETE FROM licence_uses WHERE case_id = $1 AND agency = $2 AND item = $3 AND licence_id = $4",
              Params().text(c.case_id).text(c.agency).integer(c.item).text(c.licence_id));
    }
  }
  return std::nullopt;
}

std::optional<Licence> licenceById(Conn& db, const std::string& agency, const std::string& id) {
  auto r = db.exec(std::string("SELECT ") + kLicenceColumns + " FROM licences WHERE agency = $1 AND id = $2",
                   Params().text(agency).text(id));
  if (r.rows() == 0) return std::nullopt;
  return readLicence(r, 0);
}

std::vector<Licence> licencesOf(Conn& db, const std::string& agency) {
  auto r = db.exec(std::string("SELECT ") + kLicenceColumns + " FROM licences WHERE $1 = '' OR agency = $1 ORDER BY agency, id",
                   Params().text(agency));
  std::vector<Licence> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(readLicence(r, i));
  return out;
}

std::vector<LicenceUse> usesOfCase(Conn& db, const std::string& case_id) {
  return readUses(db.exec("SELECT case_id, agency, item, licence_id, quantity, at FROM licence_uses WHERE case_id = $1"
                          " ORDER BY agency, item, licence_id",
                          Params().text(case_id)));
}

std::vector<LicenceUse> usesOfLicence(Conn& db, const std::string& agency, const std::string& id) {
  return readUses(db.exec("SELECT case_id, agency, item, licence_id, quantity, at FROM licence_uses WHERE agency = $1"
                          " AND licence_id = $2 ORDER BY at, case_id, item",
                          Params().text(agency).text(id)));
}

LicencePutResult putLicence(Conn& db, const Licence& l, LicencePut mode, const std::string& now) {
  LicencePutResult result;
  auto stored = licenceById(db, l.agency, l.id);
  if (mode != LicencePut::Update) {
    if (stored) {
      result.status = mode == LicencePut::Insert ? LicencePutResult::Status::Exists : LicencePutResult::Status::Unchanged;
      result.stored = *stored;
      return result;
    }
    db.exec("INSERT INTO licences (agency, id, type, holder, valid_from, valid_to, quantity, remaining, updated_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)",
            Params().text(l.agency).text(l.id).text(l.type).text(l.holder).text(l.valid_from).text(l.valid_to)
                .integer(l.quantity).text(now));
  } else {
    if (!stored) {
      result.status = LicencePutResult::Status::Missing;
      return result;
    }
    const std::int64_t used = stored->quantity - stored->remaining;
    if (l.quantity < used) {
      result.status = LicencePutResult::Status::BelowUsed;
      result.stored = *stored;
      return result;
    }
    db.exec("UPDATE licences SET type = $1, holder = $2, valid_from = $3, valid_to = $4, quantity = $5, remaining = $6,"
            " updated_at = $7 WHERE agency = $8 AND id = $9",
            Params().text(l.type).text(l.holder).text(l.valid_from).text(l.valid_to).integer(l.quantity)
                .integer(l.quantity - used).text(now).text(l.agency).text(l.id));
  }
  result.stored = *licenceById(db, l.agency, l.id);
  return result;
}

std::vector<std::pair<std::int64_t, ReleasedCase>> releasedPage(Conn& db, const std::string& partner,
                                                                const std::string& from, const std::string& to,
                                                                const std::string& after_at, std::int64_t after_seq,
                                                                std::size_t limit) {
  auto r = db.exec(
      "SELECT e.seq, e.at, c.id, c.partner, c.reference, c.status_json,"
      " coalesce((SELECT substr(x.value #>> '{}', 5) FROM jsonb_array_elements(CASE WHEN jsonb_typeof("
      "   c.consignment_json::jsonb #> '{fiscal,payment_refs}') = 'array' THEN c.consignment_json::jsonb #> '{fiscal,payment_refs}'"
      "   ELSE '[]'::jsonb END) x WHERE jsonb_typeof(x.value) = 'string' AND (x.value #>> '{}') LIKE 'DAN %' LIMIT 1), ''),"
      " coalesce((SELECT sc.statement_id FROM statement_cases sc WHERE sc.case_id = c.id), '')"
      " FROM case_events e JOIN cases c ON c.id = e.case_id"
      " WHERE e.kind = 'transition' AND e.to_state = 'released' AND e.at >= $1 AND e.at < $2"
      " AND (e.at > $3 OR (e.at = $3 AND e.seq > $4)) AND c.partner = $5"
      " AND NOT EXISTS (SELECT 1 FROM case_events p WHERE p.case_id = e.case_id AND p.kind = 'transition'"
      " AND p.to_state = 'released' AND p.seq < e.seq)"
      " ORDER BY e.at, e.seq LIMIT $6",
      Params().text(from).text(to).text(after_at).integer(after_seq).text(partner).integer(static_cast<std::int64_t>(limit)));
  std::vector<std::pair<std::int64_t, ReleasedCase>> page;
  for (int i = 0; i < r.rows(); ++i) {
    page.emplace_back(r.integer(i, 0), ReleasedCase{r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 1),
                                                    r.text(i, 5), r.text(i, 6), r.text(i, 7)});
  }
  return page;
}

std::string firstRelease(Conn& db, const std::string& partner) {
  auto r = db.exec("SELECT e.at FROM case_events e JOIN cases c ON c.id = e.case_id WHERE e.kind = 'transition'"
                   " AND e.to_state = 'released' AND c.partner = $1 ORDER BY e.at LIMIT 1",
                   Params().text(partner));
  return r.rows() ? r.text(0, 0) : std::string();
}

std::optional<StatementRecord> statementOf(Conn& db, const std::string& account, const std::string& period) {
  auto head = db.exec("SELECT id, account, period, issued_at, body FROM statements WHERE account = $1 AND period = $2",
                      Params().text(account).text(period));
  if (head.rows() == 0) return std::nullopt;
  StatementRecord s{head.text(0, 0), head.text(0, 1), head.text(0, 2), head.text(0, 3), head.text(0, 4), {}, {}};
  auto cases = db.exec("SELECT case_id, released_at FROM statement_cases WHERE statement_id = $1 ORDER BY released_at, case_id",
                       Params().text(s.id));
  for (int i = 0; i < cases.rows(); ++i) s.cases.emplace_back(cases.text(i, 0), cases.text(i, 1));
  auto lines = db.exec("SELECT statement_id, kind, case_id, tax, item, amount, currency, corrects FROM statement_lines"
                       " WHERE statement_id = $1 ORDER BY seq",
                       Params().text(s.id));
  for (int i = 0; i < lines.rows(); ++i) s.lines.push_back(readLine(lines, i));
  return s;
}

std::string latestStatementPeriod(Conn& db, const std::string& account) {
  auto r = db.exec("SELECT coalesce(max(period), '') FROM statements WHERE account = $1", Params().text(account));
  return r.text(0, 0);
}

std::string statementOfCase(Conn& db, const std::string& case_id) {
  auto r = db.exec("SELECT statement_id FROM statement_cases WHERE case_id = $1", Params().text(case_id));
  return r.rows() ? r.text(0, 0) : std::string();
}

std::vector<StatementLineRecord> linesOfChangedCases(Conn& db, const std::string& account) {
  auto r = db.exec(
      "SELECT l.statement_id, l.kind, l.case_id, l.tax, l.item, l.amount, l.currency, l.corrects"
      " FROM statements s JOIN statement_cases sc ON sc.statement_id = s.id JOIN cases c ON c.id = sc.case_id"
      " JOIN statement_lines l ON l.case_id = sc.case_id WHERE s.account = $1 AND c.updated_at > s.issued_at"
      " ORDER BY l.case_id, l.statement_id, l.seq",
      Params().text(account));
  std::vector<StatementLineRecord> lines;
  for (int i = 0; i < r.rows(); ++i) lines.push_back(readLine(r, i));
  return lines;
}

CommitResult insertStatement(Conn& db, const StatementRecord& s) {
  auto taken = db.exec("SELECT 1 FROM statements WHERE account = $1 AND period = $2", Params().text(s.account).text(s.period));
  if (taken.rows()) {
    CommitResult result;
    result.status = CommitResult::Status::Duplicate;
    return result;
  }
  std::vector<Query> writes;
  writes.push_back(Query{"INSERT INTO statements (id, account, period, issued_at, body) VALUES ($1, $2, $3, $4, $5)",
                         Params().text(s.id).text(s.account).text(s.period).text(s.issued_at).text(s.body)});
  for (const auto& [caseId, releasedAt] : s.cases) {
    writes.push_back(Query{"INSERT INTO statement_cases (case_id, statement_id, released_at) VALUES ($1, $2, $3)",
                           Params().text(caseId).text(s.id).text(releasedAt)});
  }
  std::int64_t seq = 0;
  for (const auto& l : s.lines) {
    writes.push_back(Query{"INSERT INTO statement_lines (statement_id, seq, kind, case_id, tax, item, amount, currency,"
                           " corrects) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                           Params().text(s.id).integer(++seq).text(l.kind).text(l.case_id).text(l.tax).integer(l.item)
                               .text(l.amount).text(l.currency).text(l.corrects)});
  }
  db.pipeline(writes);
  return CommitResult{};
}

namespace {

constexpr const char* kLinkColumns =
    "SELECT case_id, kind, type, coalesce(completes, ''), coalesce(account, ''), coalesce(period, ''), facts_json, at"
    " FROM declaration_links ";

std::vector<DeclarationLink> readLinks(const Result& r) {
  std::vector<DeclarationLink> out;
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5), r.text(i, 6),
                   common::parseInstant(r.text(i, 7)).value_or(common::Instant{})});
  }
  return out;
}

std::optional<DeclarationLink> firstLink(const Result& r) {
  auto links = readLinks(r);
  if (links.empty()) return std::nullopt;
  return links.front();
}

// '' as NULL: the unique constraints hold only for the kinds that name them.
Params& orNull(Params& p, const std::string& value) { return value.empty() ? p.null() : p.text(value); }

}  // namespace

std::optional<std::string> insertDeclarationLinks(Conn& db, const std::vector<DeclarationLink>& links) {
  for (const auto& l : links) {
    if (auto conflict = declarationLinkConflict(
            l, [&](const std::string& c) { return completionOf(db, c); },
            [&](const std::string& a, const std::string& p) { return finalSupplementary(db, a, p); })) {
      return conflict;
    }
    Params p;
    p.text(l.case_id).text(l.kind).text(l.type);
    orNull(p, l.completes);
    orNull(p, l.account);
    orNull(p, l.period);
    p.text(l.facts_json.empty() ? std::string("{}") : l.facts_json).text(common::toString(l.at));
    db.exec("INSERT INTO declaration_links (case_id, kind, type, completes, account, period, facts_json, at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            p);
  }
  return std::nullopt;
}

std::vector<DeclarationLink> linksOf(Conn& db, const std::string& case_id) {
  return readLinks(db.exec(std::string(kLinkColumns) + "WHERE case_id = $1 ORDER BY seq", Params().text(case_id)));
}

std::optional<DeclarationLink> completionOf(Conn& db, const std::string& case_id) {
  return firstLink(db.exec(std::string(kLinkColumns) + "WHERE completes = $1", Params().text(case_id)));
}

std::optional<DeclarationLink> finalSupplementary(Conn& db, const std::string& account, const std::string& period) {
  return firstLink(db.exec(std::string(kLinkColumns) + "WHERE account = $1 AND period = $2",
                           Params().text(account).text(period)));
}

}  // namespace swhub::journal::pg
