#pragma once
// One case's life in the batches the hub would commit: filed pre-arrival by demo-post with two
// items, routed to customs and food; customs assesses (category 3, VAT 9.20 and duty 2.50 EUR,
// a line collected at sale) and holds it (FS-VET, X-1), then gives a late clear; food clears;
// the goods arrive, 11.70 EUR is paid and the case is released (2 h 30 s after filing, 30 s
// after arrival).

#include <optional>
#include <string>
#include <vector>

#include "instants.hpp"
#include "journal/journal.hpp"
#include "release/case_status.hpp"

namespace swhub::stats::test_support {

inline journal::CaseEvent lifeEvent(const std::string& caseId, const std::string& when, const std::string& kind,
                                    std::optional<common::CaseState> from = {}, std::optional<common::CaseState> to = {},
                                    const std::string& detail = "{}") {
  return {0, caseId, swhub::testing::at(when), common::Actor::hub(), kind, from, to, detail, ""};
}

inline std::string decisionDetail(const std::string& agency, const std::string& outcome, const std::string& effect,
                                  const std::string& codes = "") {
  return R"({"agency":")" + agency + R"(","decision":")" + outcome + R"(","reason":"r","items":[],"effect":")" + effect +
         "\"" + (codes.empty() ? "" : R"(,"reason_codes":[)" + codes + "]") + "}";
}

inline std::vector<journal::WriteBatch> caseLife(const std::string& caseId = "C1") {
  using common::CaseState;
  release::CaseStatus status;
  status.agencies["customs"].mode = "plugin";
  status.agencies["food"].mode = "external";
  status.collection = "consumer";

  journal::CaseRecord c;
  c.id = caseId;
  c.partner = "demo-post";
  c.reference = "R-" + caseId;
  c.filing = "pre-arrival";
  c.consignment_json = R"({"reference":"R1","items":[{"sequence":1},{"sequence":2}]})";
  c.message_id = "M-" + caseId;
  c.created_at = swhub::testing::at("2026-12-01T10:00:00Z");
  c.updated_at = c.created_at;
  c.state = CaseState::UnderAssessment;
  c.status_json = status.toJson();
  journal::WriteBatch filed;
  filed.new_cases.push_back(c);
  filed.events = {lifeEvent(caseId, "2026-12-01T10:00:00Z", "received", {}, {}, R"({"filing":"pre-arrival"})"),
                  lifeEvent(caseId, "2026-12-01T10:00:00Z", "transition", {}, CaseState::Accepted),
                  lifeEvent(caseId, "2026-12-01T10:00:00Z", "routed", {}, {}, R"({"agencies":"customs,food"})"),
                  lifeEvent(caseId, "2026-12-01T10:00:00Z", "transition", CaseState::Accepted, CaseState::UnderAssessment)};

  release::CaseStatus assessed = status;
  assessed.findingsBy = "customs";
  assessed.category = 3;
  assessed.revenueAssessed = true;
  sdk::RevenueLine vat;
  vat.tax = "vat";
  vat.amount = *sdk::Decimal::parse("9.20");
  vat.currency = "EUR";
  sdk::RevenueLine duty = vat;
  duty.tax = "duty";
  duty.amount = *sdk::Decimal::parse("2.5");
  sdk::RevenueLine atSale = vat;
  atSale.collected_at_sale = true;
  assessed.revenueLines = {vat, duty, atSale};
  journal::WriteBatch decided;
  decided.case_updates.push_back({caseId, 1, CaseState::Held, "", "", std::nullopt, assessed.toJson()});
  decided.events = {
      lifeEvent(caseId, "2026-12-01T10:20:00Z", "assessed", {}, {}, R"({"agency":"customs","category":3,"model":"consumer"})"),
      lifeEvent(caseId, "2026-12-01T10:30:00Z", "decision", {}, {}, decisionDetail("customs", "hold", "applied", R"("FS-VET","X-1")")),
      lifeEvent(caseId, "2026-12-01T10:30:00Z", "transition", CaseState::UnderAssessment, CaseState::Held),
      lifeEvent(caseId, "2026-12-01T10:31:00Z", "decision", {}, {}, decisionDetail("customs", "clear", "late: a newer decision stands")),
      lifeEvent(caseId, "2026-12-01T11:45:00Z", "decision", {}, {}, decisionDetail("food", "clear", "applied"))};

  journal::WriteBatch released;
  released.case_updates.push_back({caseId, 2, CaseState::Released, "arrival", "", std::nullopt, ""});
  released.events = {lifeEvent(caseId, "2026-12-01T12:00:00Z", "received", {}, {}, R"({"filing":"arrival"})"),
                     lifeEvent(caseId, "2026-12-01T12:00:30Z", "payment", {}, {}, R"({"amount":"11.70","currency":"EUR"})"),
                     lifeEvent(caseId, "2026-12-01T12:00:30Z", "transition", CaseState::Held, CaseState::Released)};
  return {filed, decided, released};
}

}  // namespace swhub::stats::test_support
