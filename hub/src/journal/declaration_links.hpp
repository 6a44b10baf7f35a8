#pragma once
// What a declaration declared beyond its consignment (sdk::DeclarationFacts, README "Supplementary
// declarations"), as the journal keeps it: a simplified declaration that a supplementary must
// complete, the case a supplementary completes, the account and period a final supplementary closes.
// The store enforces "once": a case is completed by one supplementary declaration, and an account's
// period is closed by one final supplementary declaration (unique constraints).

#include <string>

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

}  // namespace swhub::journal
