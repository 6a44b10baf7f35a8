#pragma once
// What a DMS declaration declares beyond its goods (sdk::DeclarationFacts, README "Supplementary
// declarations"): the simplified declaration a supplementary must complete (additional types B, C,
// E, F, J, K), the declarations a supplementary completes (Y, Z: previous documents DE 2/1), the
// period and counts a final supplementary reports (Q: previous document FSD, AI FINSY/FINSZ/FINSL,
// tax totals).

#include <optional>
#include <string>

#include "dms_reader.hpp"
#include "swhub/sdk/model.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::plugins::wco_dec {

/// The facts of `declaration` (md:MetaData/Declaration, validated): nullopt for a declaration
/// that declares none (a standard one); errors name the DMS element.
sdk::Result<std::optional<sdk::DeclarationFacts>> declarationFacts(const XmlNode& declaration,
                                                                   const std::string& defaultCurrency);

/// The hub's tax name of a DE 4/3 tax type code ("A00" -> "duty", "B00" -> "vat"); "" when unknown.
std::string taxOfTypeCode(const std::string& code);

}  // namespace swhub::plugins::wco_dec
