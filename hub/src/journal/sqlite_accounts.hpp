#pragma once
// The SQL of account statements (Journal's statement methods): their tables, created with the
// rest of the schema, and one function per statement.

#include <optional>
#include <string>
#include <vector>

#include "journal/journal.hpp"
#include "journal/sqlite_db.hpp"

namespace swhub::journal::sqlite {

// CREATE ... IF NOT EXISTS of the statement tables, run by ensureSchema in its transaction.
const char* accountsSchema();

// Up to `limit` cases of `partner` first released in [from, to) after (after_at, after_seq), in
// release order; each with the seq of its release event (the next page's key).
std::vector<std::pair<std::int64_t, ReleasedCase>> releasedPage(Db& db, const std::string& partner,
                                                                const std::string& from, const std::string& to,
                                                                const std::string& after_at, std::int64_t after_seq,
                                                                std::size_t limit);
std::string firstRelease(Db& db, const std::string& partner);
std::optional<StatementRecord> statementOf(Db& db, const std::string& account, const std::string& period);
std::string latestStatementPeriod(Db& db, const std::string& account);
std::string statementOfCase(Db& db, const std::string& case_id);
std::vector<StatementLineRecord> linesOfChangedCases(Db& db, const std::string& account);
// Inside the writer's savepoint. Duplicate when (account, period) exists; throws BatchRejected
// when a case is on another statement already.
CommitResult insertStatement(Db& db, const StatementRecord& statement);
// Inside the writer's savepoint. A second completion of a case or final supplementary of a period:
// what it conflicts with (nothing written; the unique constraints stay the backstop).
std::optional<std::string> insertDeclarationLinks(Db& db, const std::vector<DeclarationLink>& links);
std::vector<DeclarationLink> linksOf(Db& db, const std::string& case_id);
std::optional<DeclarationLink> completionOf(Db& db, const std::string& case_id);
std::optional<DeclarationLink> finalSupplementary(Db& db, const std::string& account, const std::string& period);

}  // namespace swhub::journal::sqlite
