#pragma once
// What a declaration declared beyond its consignment (sdk::DeclarationFacts, README "Supplementary
// declarations"), as the journal keeps it: a simplified declaration that a supplementary must
// complete, the case a supplementary completes, the account and period a final supplementary closes.
// The store enforces "once": a case is completed by one supplementary declaration, and an account's
// period is closed by one final supplementary declaration (unique constraints).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/instant.hpp"

namespace swhub::journal {

struct DeclarationLink {
  std::string case_id;     // the declaration's own case
  std::string kind;        // "simplified" | "supplementary" | "final-supplementary"
  std::string type;        // the additional declaration type as filed: "C", "Y", "Z", "Q", ...
  std::string completes;   // supplementary: the case it completes; "" otherwise
  std::string account;     // final-supplementary: the account it closes; "" otherwise
  std::string period;      // final-supplementary: "YYYY-MM"; "" otherwise
  std::string facts_json;  // final-supplementary: {"counts":[...],"totals":[...]}; "{}" otherwise
  common::Instant at;      // when it was filed

  bool operator==(const DeclarationLink&) const = default;
};

// What `link` conflicts with, read by the backend inside its writer's transaction: the case it
// completes completed already, or the period it closes closed already; nullopt when neither.
inline std::optional<std::string> declarationLinkConflict(
    const DeclarationLink& link, const std::function<std::optional<DeclarationLink>(const std::string&)>& completionOf,
    const std::function<std::optional<DeclarationLink>(const std::string&, const std::string&)>& finalSupplementary) {
  if (!link.completes.empty()) {
    if (auto done = completionOf(link.completes)) {
      return "case '" + link.completes + "' is completed already by supplementary declaration " + done->case_id;
    }
  }
  if (!link.account.empty()) {
    if (auto closed = finalSupplementary(link.account, link.period)) {
      return "period " + link.period + " of account " + link.account + " is closed already by " + closed->case_id;
    }
  }
  return std::nullopt;
}

}  // namespace swhub::journal
