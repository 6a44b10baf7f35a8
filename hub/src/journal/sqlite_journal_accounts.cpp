// SqliteJournal's account statement methods (the SQL is in sqlite_accounts.cpp).
#include "journal/sqlite_accounts.hpp"
#include "journal/sqlite_journal.hpp"
#include "journal/sqlite_journal_reader.hpp"

namespace swhub::journal::sqlite {

void SqliteJournal::forEachCaseReleased(const std::string& partner, const std::string& from, const std::string& to,
                                        const std::function<bool(const ReleasedCase&)>& visit) {
  constexpr std::size_t kPage = 2000;
  std::string afterAt;
  std::int64_t afterSeq = 0;
  for (;;) {
    auto page = withReader([&](Db& db) { return releasedPage(db, partner, from, to, afterAt, afterSeq, kPage); });
    for (const auto& [seq, released] : page) {
      if (!visit(released)) return;
    }
    if (page.size() < kPage) return;
    afterAt = page.back().second.released_at;
    afterSeq = page.back().first;
  }
}

std::string SqliteJournal::firstRelease(const std::string& partner) {
  return withReader([&](Db& db) { return sqlite::firstRelease(db, partner); });
}

std::optional<StatementRecord> SqliteJournal::statement(const std::string& account, const std::string& period) {
  return withReader([&](Db& db) {
    // One snapshot for the statement, its cases and its lines.
    return inSnapshot(db, [&](Db& db) { return statementOf(db, account, period); });
  });
}

std::string SqliteJournal::latestStatementPeriod(const std::string& account) {
  return withReader([&](Db& db) { return sqlite::latestStatementPeriod(db, account); });
}

std::string SqliteJournal::statementOfCase(const std::string& case_id) {
  return withReader([&](Db& db) { return sqlite::statementOfCase(db, case_id); });
}

std::vector<StatementLineRecord> SqliteJournal::linesOfChangedCases(const std::string& account) {
  return withReader([&](Db& db) { return sqlite::linesOfChangedCases(db, account); });
}

CommitResult SqliteJournal::issueStatement(const StatementRecord& statement) {
  return committer_->run([this, &statement] { return insertStatement(*writer_, statement); }, false);
}

std::vector<DeclarationLink> SqliteJournal::linksOf(const std::string& case_id) {
  return withReader([&](Db& db) { return sqlite::linksOf(db, case_id); });
}

std::optional<DeclarationLink> SqliteJournal::completionOf(const std::string& case_id) {
  return withReader([&](Db& db) { return sqlite::completionOf(db, case_id); });
}

std::optional<DeclarationLink> SqliteJournal::finalSupplementary(const std::string& account, const std::string& period) {
  return withReader([&](Db& db) { return sqlite::finalSupplementary(db, account, period); });
}

}  // namespace swhub::journal::sqlite
