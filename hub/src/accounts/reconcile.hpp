#pragma once
// `swhub statement --reconcile` (README "Account statements"): proves, for one account and period,
// that every item released under the account model in the period is on exactly one statement (the
// period's), that nothing else is, that the statement's totals are the sums of its lines, and lists
// every case whose revenue as assessed before release (what the trader knew in advance) differs
// from what the statements accounted for it. Read-only.

#include <optional>
#include <string>
#include <vector>

#include "accounts/final_supplementary_check.hpp"
#include "accounts/statement_book.hpp"

namespace swhub::accounts {

struct Difference {
  // not-issued | not-on-statement | on-another-statement | not-released-in-period | total | due | revenue
  // | supplementary-missing | final-supplementary-missing | final-supplementary-count | final-supplementary-total
  std::string kind;
  std::string caseId;  // "" for a statement's own figures
  std::string detail;
};

struct Reconciliation {
  std::string account;
  std::string period;
  std::string statementId;
  bool issued = false;
  std::int64_t released = 0;     // items released under the account model in the period
  std::int64_t onStatement = 0;  // items on the period's statement
  std::int64_t linesChecked = 0;
  std::vector<Difference> differences;
  // The period against its final supplementary declaration (README "Supplementary declarations");
  // none when the period had no simplified declaration and no final supplementary.
  std::optional<FinalSupplementaryCheck> finalSupplementary;
  bool reconciled() const { return issued && differences.empty(); }
};

Reconciliation reconcile(journal::Journal& journal, const StatementBook& book, const std::string& account,
                         const Period& period);
std::string toJson(const Reconciliation& reconciliation);

}  // namespace swhub::accounts
