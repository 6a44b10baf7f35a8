#pragma once
// What is due and why -> a DMS tax calculation response (FunctionCode 13, DMSTAX: "the details of
// the customs debt, the aggregated customs debt on declaration level"), in WCO_RES_2_DMS.xsd order.
// See README.md "Duties and taxes".

#include <string>

#include "json/revenue.hpp"
#include "swhub/sdk/model.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::plugins::wco_dec {

/// The CDS tax type code (DE 4/3, UK CDS Appendix 8) of a hub tax name: duty A00, vat B00,
/// additional-duty A20, anti-dumping A30, countervailing A40; "" for any other (no TypeCode).
std::string taxTypeCode(const std::string& tax);

/// "48.00" as an n..16,3 amount: as written with at most 3 fraction digits, else rounded half away
/// from zero to 3 ("1.2345" -> "1.235"); "" when it is not an amount the DMS can carry.
std::string dmsAmount(const std::string& decimal);

/// Appends the <Response> with FunctionCode 13 for notification `n`, its revenue `r`, issued at
/// `when` (formatCode 304). Errors name `at` ("/notifications[2]").
sdk::Result<std::string> taxResponse(const sdk::Notification& n, const json::Revenue& r, const std::string& when,
                                     const std::string& at);

}  // namespace swhub::plugins::wco_dec
