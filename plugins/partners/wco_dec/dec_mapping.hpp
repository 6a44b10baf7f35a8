#pragma once
// A validated DMS declaration (md:MetaData/Declaration, WCO DM 3.6, UK CDS) -> sdk::Consignment.
// The rules are listed in README.md "Mapping"; every value remembers the DMS element it came from,
// so that the canonical checks of sdk::validateConsignment report DMS paths.

#include <cstddef>
#include <string>

#include "dms_reader.hpp"
#include "swhub/sdk/model.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::plugins::wco_dec {

struct MappingOptions {
  std::string default_currency = "GBP";  ///< for amounts declared without currencyID
  std::size_t max_items = 999;
};

/// The filing kind a DMS declaration type (DE 1/1 + 1/2, "IMA", "EXD", ...) and function code
/// (9 original, 13 amendment or cancellation request) stand for.
sdk::FilingKind filingKindOf(const std::string& typeCode, const std::string& functionCode);

/// UK CDS country codes that are not ISO 3166-1 (XI Northern Ireland, continental-shelf sectors
/// ZU, ZN, ...) -> the ISO country they belong to; any other code unchanged.
std::string isoCountry(const std::string& code);

/// Maps and checks (sdk::validateConsignment, XPath style, paths translated to the DMS element).
/// Any error: no consignment.
sdk::Result<sdk::Consignment> mapDeclaration(const XmlNode& root, const MappingOptions& options);

}  // namespace swhub::plugins::wco_dec
