#pragma once
// What the hub does with the facts a declaration declares beyond its goods (sdk::DeclarationFacts,
// README "Supplementary declarations"): a supplementary declaration (UK CDS types Y, Z) completes
// released or cleared cases of its own filer, each once; a final supplementary declaration (type Q)
// closes one period of its filer's account, once; a simplified declaration is marked as one that a
// supplementary must complete. Checked when the filing is decoded (a refusal names the element the
// previous document came from); the links go into the filing's commit, where the store enforces
// "once" also under a race.

#include <optional>
#include <string>
#include <vector>

#include "journal/journal.hpp"
#include "swhub/sdk/model.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::intake {

struct DeclarationPlan {
  std::vector<journal::DeclarationLink> links;
  std::vector<journal::CaseEvent> events;  // on the declaration's case and on the cases it completes
};

// `filing` has its case id assigned; `facts` are what its decoder yielded before it (nullopt when
// none); `account` the filer's configured account ("" when it has none). Errors at `location`
// or at the previous document's own location.
sdk::Result<DeclarationPlan> planDeclaration(journal::Journal& journal, const sdk::Consignment& filing,
                                             const std::optional<sdk::DeclarationFacts>& facts,
                                             const std::string& account, const std::string& messageId,
                                             common::Instant now, const std::string& location);

// {"counts":[{"type":"Y","finalised":2,"due":2}],"totals":[{"tax":"vat","amount":"11.04","currency":"EUR"}]}
std::string finalFactsJson(const sdk::DeclarationFacts& facts);

}  // namespace swhub::intake
