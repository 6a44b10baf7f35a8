#include "customs_agency.hpp"

#include <chrono>
#include <cstdio>
#include <exception>
#include <utility>
#include <vector>

#include "swhub/sdk/validate.hpp"

namespace swhub::plugins::customs {

namespace {

std::string money(sdk::Decimal amount, const std::string& currency) { return amount.toString() + " " + currency; }

// The registration the vendor model was judged on, as the revenue engine takes it.
std::string registrationOf(const sdk::Consignment& c) {
  if (!c.fiscal.registration.empty()) return c.fiscal.registration;
  return c.parties.seller ? c.parties.seller->registration : std::string();
}

// What is due and who pays it, for a filer: "23.40 EUR due from the consumer".
std::string dueText(const Assessment& a, const sdk::Consignment& c) {
  const bool nothing = a.due == sdk::Decimal();
  switch (a.model) {
    case sdk::CollectionModel::Vendor: {
      std::string out = "collected at sale under " + registrationOf(c);
      return nothing ? out : out + "; " + money(a.due, a.currency) + " still due";
    }
    case sdk::CollectionModel::Intermediary:
      return nothing ? "nothing due" : money(a.due, a.currency) + " charged to the intermediary's account";
    case sdk::CollectionModel::Account:
      return nothing ? "nothing due" : money(a.due, a.currency) + " charged to the account under its guarantee";
    case sdk::CollectionModel::Consumer:
      break;
  }
  return nothing ? "nothing due" : money(a.due, a.currency) + " due from the consumer";
}

void mapFindings(const Assessment& a, sdk::Findings& f) {
  f.category = a.category;
  f.revenue_assessed = true;
  f.model = a.model;
  f.model_reason = a.model_reason;
  f.due = a.due;
  f.currency = a.currency;
  for (const RevenueLine& l : a.lines) {
    f.revenue.push_back({l.tax, l.item, l.base, l.rate, l.amount, l.currency, l.why, l.collected_at_sale});
  }
}

// Decision::duties and ::taxes for a hub that reads no findings: what is due, duty lines apart.
void setAmounts(const Assessment& a, sdk::Decision& d) {
  sdk::Decimal duties, taxes;
  for (const RevenueLine& l : a.lines) {
    if (l.collected_at_sale) continue;
    (l.tax == "duty" ? duties : taxes) = (l.tax == "duty" ? duties : taxes) + l.amount;
  }
  d.duties = duties;
  d.taxes = taxes;
}

void addPart(std::string& reason, const std::string& part) { reason += (reason.empty() ? "" : "; ") + part; }

}  // namespace

Date assessmentDate(const std::string& receivedAt) {
  if (sdk::isRfc3339Utc(receivedAt)) {
    if (auto day = Date::parse(std::string_view(receivedAt).substr(0, 10))) return *day;
  }
  const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(today.year()),
                static_cast<unsigned>(today.month()), static_cast<unsigned>(today.day()));
  return *Date::parse(text);
}

CustomsAgency::CustomsAgency(std::string id, Settings revenue, std::optional<RiskSettings> risk)
    : id_(std::move(id)),
      revenue_(std::move(revenue)),
      risk_(risk ? std::optional<RiskEngine>(std::in_place, std::move(*risk)) : std::nullopt) {}

sdk::CaseAssessment CustomsAgency::decide(const sdk::AssessmentRequest& request) const {
  const sdk::Consignment& c = request.consignment;
  const Date day = assessmentDate(request.received_at);
  const Assessment revenue = revenue_.assess(c, day);
  sdk::CaseAssessment out;
  sdk::Findings& f = out.findings;
  sdk::Decision d;

  RiskLevel level = RiskLevel::Clear;
  if (risk_) {
    RiskOutcome risk = risk_->assess(request, revenue_.settings(), day);
    f.risk_score = risk.score;
    f.risk_reasons = std::move(risk.reasons);
    d.risk_score = risk.score;
    level = risk.level;
  }

  // The strongest of the risk outcome and a revenue that cannot be assessed (held, never
  // released at zero); a do-not-load referral stays one.
  if (level == RiskLevel::DoNotLoad) {
    d.decision = "do-not-load";
    addPart(d.reason, "do not load: high-risk consignment (ICS2 referral)");
    d.reason_codes.push_back(kDoNotLoadCode);
  }
  if (!revenue.ok()) {
    if (d.decision.empty()) d.decision = "hold";
    addPart(d.reason, revenue.error);
    d.reason_codes.push_back(kUnassessableCode);
  }
  if (level == RiskLevel::Hold || level == RiskLevel::Inspect) {
    if (d.decision.empty()) d.decision = level == RiskLevel::Hold ? "hold" : "inspect";
    addPart(d.reason, "selected for a customs check");
    d.reason_codes.push_back(level == RiskLevel::Hold ? kHoldCode : kInspectCode);
  }
  if (revenue.ok()) {
    mapFindings(revenue, f);
    setAmounts(revenue, d);
    if (d.decision.empty()) {
      d.decision = "clear";
      addPart(d.reason, "no customs concern; duties and taxes assessed: " + dueText(revenue, c));
      d.reason_codes.push_back(kClearCode);
    }
    if (!revenue.model_reason.empty()) {
      addPart(d.reason, revenue.model_reason);
      d.reason_codes.push_back(revenue.declared_model == sdk::CollectionModel::Vendor ? kVendorRefusedCode
                                                                                      : kModelRefusedCode);
    }
  }
  out.assessment.decisions.push_back(std::move(d));
  return out;
}

sdk::Result<sdk::CaseAssessment> CustomsAgency::assessCase(const sdk::AssessmentRequest& request) const noexcept {
  try {
    return decide(request);
  } catch (const std::exception& e) {
    return sdk::Errors{{"", "customs agency '" + id_ + "' failed: " + e.what()}};
  } catch (...) {
    return sdk::Errors{{"", "customs agency '" + id_ + "' failed: unknown exception"}};
  }
}

sdk::Result<sdk::Assessment> CustomsAgency::assess(const sdk::AssessmentRequest& request) const noexcept {
  auto full = assessCase(request);
  if (!full) return full.errors();
  return std::move(full.value().assessment);
}

}  // namespace swhub::plugins::customs
