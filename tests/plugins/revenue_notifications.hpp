#pragma once
// Notifications about cases whose revenue the hub assessed (issue 9), with the details in the
// order the hub writes them, shared by the partner plugin tests and the schema output checks:
// - consumerFallback: a marketplace order filed under the vendor model with registration 'x': the
//   vendor model is refused (model_reason), the consumer pays a consignment-level fixed duty (rate
//   null: the EU's 3 EUR per tariff classification) and VAT on two items;
// - vendorCollected: an IOSS-like order whose VAT was collected at sale: nothing due at the border.

#include <string>

#include "swhub/sdk/model.hpp"

namespace swhub::testing {

inline const std::string kFixedDutyLine =
    R"({"tax":"duty","item":null,"base":"1","rate":null,"amount":"3.00","currency":"EUR",)"
    R"("why":"EU temporary low-value duty, 1 classification","collected_at_sale":false})";
inline const std::string kVatItem1Line =
    R"({"tax":"vat","item":1,"base":"48.00","rate":"23","amount":"11.04","currency":"EUR",)"
    R"("why":"VAT 23 % on the item's value and duty","collected_at_sale":false})";
inline const std::string kVatItem2Line =
    R"({"tax":"vat","item":2,"base":"10.00","rate":"23","amount":"2.30","currency":"EUR",)"
    R"("why":"VAT 23 % on the item's value and duty","collected_at_sale":false})";
inline const std::string kVatCollectedLine =
    R"({"tax":"vat","item":1,"base":"45.00","rate":"23","amount":"10.35","currency":"EUR",)"
    R"("why":"VAT 23 % collected at sale under IM9990000001","collected_at_sale":true})";
inline const std::string kModelReason =
    "vendor model refused: registration 'x' is malformed (expected ^IM[0-9]{10}$); the consumer pays";

inline sdk::Notification consumerFallback(const std::string& id = "N-41", const std::string& reference = "DM-2026-11-000777") {
  return sdk::Notification{id, "C-2026-000777", reference, "cleared", "cleared", "", "2026-11-29T08:10:00Z",
                           {{"previous_state", "under-assessment"},
                            {"revenue_due", "16.34"},
                            {"revenue_currency", "EUR"},
                            {"revenue_settled", "false"},
                            {"revenue_model", "consumer"},
                            {"revenue_model_reason", kModelReason},
                            {"revenue_line", kFixedDutyLine},
                            {"revenue_line", kVatItem1Line},
                            {"revenue_line", kVatItem2Line},
                            {"revenue_paid", "0.00"}}};
}

inline sdk::Notification vendorCollected(const std::string& id = "N-42", const std::string& reference = "DM-2026-11-000778") {
  return sdk::Notification{id, "C-2026-000778", reference, "released", "released", "", "2026-11-29T08:11:00Z",
                           {{"previous_state", "cleared"},
                            {"revenue_due", "0.00"},
                            {"revenue_currency", "EUR"},
                            {"revenue_settled", "true"},
                            {"revenue_model", "vendor"},
                            {"revenue_line", kVatCollectedLine},
                            {"revenue_paid", "0.00"}}};
}

}  // namespace swhub::testing
