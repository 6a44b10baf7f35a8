#include "release/case_status.hpp"

#include <algorithm>

#include "common/ids.hpp"
#include "model/json_read.hpp"
#include "model/json_writer.hpp"
#include "swhub/sdk/model.hpp"

namespace swhub::release {
namespace {


using model::json::Value;

// An instant in the status JSON (RFC 3339 UTC). A journal written before times were made
// canonical may hold one that does not parse: it reads as the epoch (older than any decision).
Instant instantAt(const Value& o, std::string_view key) {
  return common::parseInstant(model::json::text(o, key)).value_or(Instant{});
}

// A decision in the status JSON; a word this hub does not know (none was ever written) reads as
// a hold: the goods stay until an agency decides again.
Decision decisionAt(const Value& o) {
  return common::parseDecision(model::json::text(o, "decision")).value_or(Decision::Hold);
}

sdk::Decimal decimalAt(const Value& o, std::string_view key) {
  const Value* v = model::json::member(o, key);
  return sdk::Decimal::parse(v ? model::json::text(*v) : std::string("0")).value_or(sdk::Decimal());
}

}  // namespace

void writeRevenueLine(std::string& out, const sdk::RevenueLine& line) {
  model::ObjectWriter lj(out);
  lj.string("tax", line.tax, true);
  if (line.item) {
    lj.integer("item", *line.item);
  } else {
    lj.raw("item", "null");
  }
  lj.string("base", line.base.toString(), true);
  if (line.rate) {
    lj.string("rate", line.rate->toString(), true);
  } else {
    lj.raw("rate", "null");
  }
  lj.string("amount", line.amount.toString(), true);
  lj.string("currency", line.currency, true);
  lj.string("why", line.why, true);
  lj.boolean("collected_at_sale", line.collected_at_sale);
}

sdk::RevenueLine readRevenueLine(const Value& o) {
  using namespace model::json;
  sdk::RevenueLine line;
  line.tax = text(o, "tax");
  line.item = integer(o, "item");
  line.base = decimalAt(o, "base");
  if (const Value* rate = member(o, "rate"); rate && !rate->IsNull()) line.rate = decimalAt(o, "rate");
  line.amount = decimalAt(o, "amount");
  line.currency = text(o, "currency");
  line.why = text(o, "why");
  line.collected_at_sale = boolean(o, "collected_at_sale", false);
  return line;
}

std::string notADecision(const std::string& word) {
  std::string names;
  for (const auto& [value, name] : common::kDecisionNames) names += (names.empty() ? "" : ", ") + std::string(name);
  return "'" + word + "' is not one of: " + names;
}

DecisionEffect applyDecision(CaseStatus& status, const std::string& agency, const DecisionRecord& decision) {
  AgencyStatus& a = status.agencies.at(agency);
  for (const auto& seen : a.history) {
    if (seen.sameAs(decision)) return DecisionEffect::Duplicate;
  }
  a.history.push_back(decision);
  if (status.released || status.cancelled) return DecisionEffect::AfterRelease;
  std::vector<int> items = decision.items.empty() ? a.items : decision.items;
  if (items.empty()) items = {0};
  bool appliedAny = false;
  for (int item : items) {
    auto it = a.byItem.find(item);
    // Decisions are ordered by the agency's own timestamps: an older one never overrides.
    if (it != a.byItem.end() && it->second.decided_at > decision.decided_at) continue;
    a.byItem[item] = ItemDecision{decision.decision, decision.reason, decision.decided_at, decision.reason_codes, std::nullopt};
    appliedAny = true;
  }
  return appliedAny ? DecisionEffect::Applied : DecisionEffect::Late;
}

std::optional<Decision> agencyOutcome(const AgencyStatus& agency) {
  const std::vector<int> items = agency.items.empty() ? std::vector<int>{0} : agency.items;
  std::optional<Decision> worst;
  bool undecided = false;
  for (int item : items) {
    auto it = agency.byItem.find(item);
    // An answered request for information waits for the agency again.
    if (it == agency.byItem.end() || (it->second.decision == Decision::RequestInfo && it->second.answered_at)) {
      undecided = true;
    } else if (!worst || it->second.decision > *worst) {
      worst = it->second.decision;
    }
  }
  // A decision other than clear on one item stops the case even while other items wait.
  if (worst && (*worst > Decision::Clear || !undecided)) return worst;
  return std::nullopt;
}

std::vector<std::string> answerRequests(CaseStatus& status, Instant now) {
  std::vector<std::string> reopened;
  if (status.released || status.cancelled) return reopened;
  for (auto& [id, agency] : status.agencies) {
    bool any = false;
    for (auto& [item, d] : agency.byItem) {
      if (d.decision != Decision::RequestInfo || d.answered_at) continue;
      d.answered_at = now;
      any = true;
    }
    if (any) reopened.push_back(id);
  }
  return reopened;
}

std::string_view outcomeName(const std::optional<Decision>& outcome) {
  return outcome ? common::toString(*outcome) : std::string_view("pending");
}

void CaseStatus::settleRevenue() {
  // The intermediary (the carrier or the post) is charged on its account and collects from the
  // consignee on delivery; an account is guaranteed and pays periodically: neither waits.
  if (collectedAtSale || collection == "vendor" || collection == "account" || collection == "intermediary") {
    revenueSettled = true;
    return;
  }
  const auto due = sdk::Decimal::parse(revenueDue.empty() ? "0" : revenueDue).value_or(sdk::Decimal());
  const auto covered = sdk::Decimal::parse(paid.empty() ? "0" : paid).value_or(sdk::Decimal());
  revenueSettled = due <= covered;
}

void CaseStatus::recordFindings(const std::string& agency, const sdk::Findings& findings) {
  findingsBy = agency;
  if (findings.category) category = findings.category;
  if (findings.risk_score) {
    riskScore = findings.risk_score;
    riskReasons = findings.risk_reasons;
  }
  if (findings.revenue_assessed) {
    revenueAssessed = true;
    collection = std::string(sdk::toString(findings.model));
    collectedAtSale = findings.model == sdk::CollectionModel::Vendor;
    modelReason = findings.model_reason;
    revenueLines = findings.revenue;
    revenueDue = findings.due.toString();
    revenueCurrency = findings.currency;
    settleRevenue();
  }
}

bool CaseStatus::goodsReturned() const {
  for (const auto& r : returns) {
    if (r.state == ReturnState::Returned || r.state == ReturnState::Refunded) return true;
  }
  return false;
}

CaseState deriveState(const CaseStatus& status) {
  if (status.refunded) return CaseState::Refunded;
  for (const auto& r : status.returns) {
    if (r.state == ReturnState::Refunded) return CaseState::Refunded;
  }
  if (status.goodsReturned()) return CaseState::Returned;
  if (status.cancelled) return CaseState::Cancelled;
  if (status.released) return CaseState::Released;
  Decision worst = Decision::Clear;
  bool pending = false;
  for (const auto& [id, agency] : status.agencies) {
    const auto outcome = agencyOutcome(agency);
    if (!outcome) {
      pending = true;
    } else {
      worst = std::max(worst, *outcome);
    }
  }
  if (worst == Decision::Reject) return CaseState::Rejected;
  if (common::stopsGoods(worst)) return CaseState::Held;  // inspect, hold and do-not-load
  if (worst == Decision::RequestInfo) return CaseState::InfoRequested;
  if (pending) return CaseState::UnderAssessment;
  if (status.revenueSettled && status.arrived) return CaseState::Released;
  return CaseState::Cleared;
}

std::string CaseStatus::toJson() const {
  // Written directly (no DOM): this runs for every case of a 200,000-line manifest.
  std::string out;
  {
    model::ObjectWriter root(out);
    {
      model::ObjectWriter agenciesJson(root.key("agencies"));
      for (const auto& [id, a] : agencies) {
        model::ObjectWriter aj(agenciesJson.key(id));
        aj.string("mode", a.mode, true);
        aj.integers("items", a.items);
        aj.string("outcome", outcomeName(agencyOutcome(a)), true);
        {
          model::ObjectWriter byItem(aj.key("by_item"));
          for (const auto& [item, d] : a.byItem) {
            model::ObjectWriter dj(byItem.key(std::to_string(item)));
            dj.string("decision", common::toString(d.decision), true);
            dj.string("reason", d.reason, true);
            dj.string("decided_at", common::toString(d.decided_at), true);
            if (!d.reason_codes.empty()) dj.strings("reason_codes", d.reason_codes);
            if (d.answered_at) dj.string("answered_at", common::toString(*d.answered_at), true);
          }
        }
        std::string& history = aj.key("history");
        history += '[';
        for (std::size_t i = 0; i < a.history.size(); ++i) {
          const auto& h = a.history[i];
          if (i) history += ',';
          model::ObjectWriter hj(history);
          hj.string("decision", common::toString(h.decision), true);
          hj.string("reason", h.reason, true);
          hj.integers("items", h.items);
          hj.string("decided_at", common::toString(h.decided_at), true);
          hj.string("received_at", common::toString(h.received_at), true);
          hj.string("source", h.source, true);
          hj.string("duties", h.duties);
          hj.string("taxes", h.taxes);
          hj.string("currency", h.currency);
          if (!h.reason_codes.empty()) hj.strings("reason_codes", h.reason_codes);
        }
        history += ']';
      }
    }
    root.strings("routes", routes);
    root.strings("notify", notify);
    root.boolean("arrived", arrived);
    root.boolean("revenue_settled", revenueSettled);
    root.boolean("cancelled", cancelled);
    root.boolean("released", released);
    root.boolean("refunded", refunded);
    root.string("released_at", releasedAt ? common::toString(*releasedAt) : std::string());
    if (!returns.empty()) writeReturns(root.key("returns"), returns);
    root.string("collection", collection, true);
    root.boolean("collected_at_sale", collectedAtSale);
    root.string("revenue_due", revenueDue, true);
    root.string("revenue_currency", revenueCurrency, true);
    root.string("paid", paid, true);
    if (!payments.empty()) {
      std::string& list = root.key("payments");
      list += '[';
      for (std::size_t i = 0; i < payments.size(); ++i) {
        if (i) list += ',';
        model::ObjectWriter pj(list);
        pj.string("transaction_id", payments[i].transaction_id, true);
        pj.string("amount", payments[i].amount, true);
        pj.string("currency", payments[i].currency, true);
        pj.string("refunded", payments[i].refunded, true);
        pj.string("partner", payments[i].partner);
        pj.string("instructed", payments[i].instructed);
      }
      list += ']';
    }
    root.string("findings_by", findingsBy);
    if (category) root.integer("category", *category);
    if (riskScore) {
      root.integer("risk_score", *riskScore);
      std::string& list = root.key("risk_reasons");
      list += '[';
      for (std::size_t i = 0; i < riskReasons.size(); ++i) {
        if (i) list += ',';
        model::ObjectWriter rj(list);
        rj.string("code", riskReasons[i].code, true);
        rj.integer("weight", riskReasons[i].weight);
        rj.string("detail", riskReasons[i].detail, true);
      }
      list += ']';
    }
    if (revenueAssessed) {
      root.boolean("revenue_assessed", true);
      root.string("model_reason", modelReason);
      std::string& list = root.key("revenue_lines");
      list += '[';
      for (std::size_t i = 0; i < revenueLines.size(); ++i) {
        if (i) list += ',';
        writeRevenueLine(list, revenueLines[i]);
      }
      list += ']';
    }
  }
  return out;
}

CaseStatus CaseStatus::fromJson(const std::string& json) {
  using namespace model::json;
  CaseStatus status;
  if (json.empty() || json == "{}") return status;
  rapidjson::Document document;
  const Value& root = parseObject(document, json, "case status");
  if (const Value* agencies = object(root, "agencies")) {
    for (const auto& entry : agencies->GetObject()) {
      const Value& aj = entry.value;
      AgencyStatus a;
      a.mode = text(aj, "mode");
      a.items = ints(aj, "items");
      if (const Value* byItem = object(aj, "by_item")) {
        for (const auto& item : byItem->GetObject()) {
          const Value& dj = item.value;
          ItemDecision d{decisionAt(dj), text(dj, "reason"), instantAt(dj, "decided_at"), strings(dj, "reason_codes"),
                         std::nullopt};
          if (member(dj, "answered_at")) d.answered_at = instantAt(dj, "answered_at");
          a.byItem[std::stoi(item.name.GetString())] = std::move(d);
        }
      }
      eachObject(aj, "history", [&](const Value& hj) {
        a.history.push_back(DecisionRecord{decisionAt(hj), text(hj, "reason"), ints(hj, "items"),
                                           instantAt(hj, "decided_at"), instantAt(hj, "received_at"), text(hj, "source"),
                                           text(hj, "duties"), text(hj, "taxes"), text(hj, "currency"),
                                           strings(hj, "reason_codes")});
      });
      status.agencies[std::string(entry.name.GetString(), entry.name.GetStringLength())] = std::move(a);
    }
  }
  status.routes = strings(root, "routes");
  status.notify = strings(root, "notify");
  status.arrived = boolean(root, "arrived", false);
  status.revenueSettled = boolean(root, "revenue_settled", true);
  status.cancelled = boolean(root, "cancelled", false);
  status.released = boolean(root, "released", false);
  status.refunded = boolean(root, "refunded", false);
  if (auto at = common::parseInstant(text(root, "released_at"))) status.releasedAt = at;
  eachObject(root, "returns", [&](const Value& r) { status.returns.push_back(readReturn(r)); });
  status.collection = text(root, "collection");
  status.collectedAtSale = boolean(root, "collected_at_sale", false);
  status.revenueDue = text(root, "revenue_due");
  status.revenueCurrency = text(root, "revenue_currency");
  status.paid = text(root, "paid");
  eachObject(root, "payments", [&](const Value& pj) {
    status.payments.push_back(PaymentRecord{text(pj, "transaction_id"), text(pj, "amount"), text(pj, "currency"),
                                            text(pj, "refunded"), text(pj, "partner"), text(pj, "instructed")});
  });
  status.findingsBy = text(root, "findings_by");
  status.category = integer(root, "category");
  status.riskScore = integer(root, "risk_score");
  eachObject(root, "risk_reasons", [&](const Value& rj) {
    status.riskReasons.push_back({text(rj, "code"), integer(rj, "weight", 0), text(rj, "detail")});
  });
  status.revenueAssessed = boolean(root, "revenue_assessed", false);
  status.modelReason = text(root, "model_reason");
  eachObject(root, "revenue_lines", [&](const Value& l) { status.revenueLines.push_back(readRevenueLine(l)); });
  return status;
}

void deriveInto(sdk::Consignment& c, const CaseStatus& status) {
  c.derived.category = status.category;
  c.derived.risk_score = status.riskScore;
  c.derived.reason_codes.clear();
  for (const auto& r : status.riskReasons) c.derived.reason_codes.push_back(r.code);
  if (status.revenueAssessed) {
    sdk::Decimal duties, taxes;
    for (const auto& line : status.revenueLines) {
      sdk::Decimal& sum = line.tax == "duty" ? duties : taxes;
      sum = sum + line.amount;
    }
    c.derived.duties = duties;
    c.derived.taxes = taxes;
    c.derived.revenue_currency = status.revenueCurrency;
  }
}

}  // namespace swhub::release
