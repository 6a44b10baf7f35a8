#include "api/case_views.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "release/case_status.hpp"

namespace swhub::api {
namespace {

bool maySee(const Identity& caller, const journal::CaseRecord& record) {
  if (caller.kind == Identity::Kind::Admin) return true;
  if (caller.kind == Identity::Kind::Partner) return record.partner == caller.id;
  // An agency sees the cases routed to it.
  return release::CaseStatus::fromJson(record.status_json).agencies.count(caller.id) > 0;
}

Poco::JSON::Object summary(const journal::CaseRecord& record) {
  Poco::JSON::Object c(Poco::JSON_PRESERVE_KEY_ORDER);
  c.set("case_id", record.id);
  c.set("reference", record.reference);
  c.set("partner", record.partner);
  c.set("filing", record.filing);
  c.set("state", record.state);
  c.set("version", record.version);
  c.set("created_at", record.created_at);
  c.set("updated_at", record.updated_at);
  return c;
}

std::string stringify(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

// The case's revenue as the view shows it: the model (as filed until an agency assessed it, then
// as applied), every line, what is due, paid and in what currency, and whether it is settled.
Poco::JSON::Object revenueOf(const release::CaseStatus& status) {
  Poco::JSON::Object r(Poco::JSON_PRESERVE_KEY_ORDER);
  r.set("model", status.collection.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(status.collection));
  if (!status.modelReason.empty()) r.set("model_reason", status.modelReason);
  r.set("assessed", status.revenueAssessed);
  Poco::JSON::Array lines;
  for (const auto& line : status.revenueLines) {
    std::string text;
    release::writeRevenueLine(text, line);
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));  // the fields in their documented order
    lines.add(parser.parse(text));
  }
  r.set("lines", lines);
  r.set("due", status.revenueDue.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(status.revenueDue));
  r.set("paid", sdk::Decimal::parse(status.paid.empty() ? "0" : status.paid).value_or(sdk::Decimal()).toString());
  r.set("currency", status.revenueCurrency.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(status.revenueCurrency));
  r.set("settled", status.revenueSettled);
  // What returns gave back (README "Returns and refunds"); each refund's arithmetic is in `returns`.
  r.set("refunded", release::refundedTotal(status.returns).toString());
  return r;
}

// Risk criteria are confidential (a trader who learns them learns how to avoid them): the score
// and its reasons are for border agencies and admins; a partner's view has no `risk`, and its
// consignment no derived risk score or risk codes.
bool mayKnowRisk(const Identity& caller) { return caller.kind != Identity::Kind::Partner; }

HttpResult notFound(const std::string& caseId) {
  return problem(404, "case-not-found", "Not Found", "no case '" + caseId + "' for this caller");
}

}  // namespace

HttpResult CaseViews::byId(const Identity& caller, const std::string& caseId) const {
  auto read = journal_.caseWithEvents(caseId);
  if (!read || !maySee(caller, read->first)) return notFound(caseId);
  const auto* record = &read->first;
  Poco::JSON::Object body = summary(*record);
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));  // the canonical field order
  Poco::Dynamic::Var consignment = parser.parse(record->consignment_json);
  if (!mayKnowRisk(caller)) {
    auto object = consignment.extract<Poco::JSON::Object::Ptr>();
    if (auto derived = object->getObject("derived")) {
      derived->remove("risk_score");
      derived->remove("reason_codes");
    }
  }
  body.set("consignment", consignment);
  Poco::JSON::Object decisions(Poco::JSON_PRESERVE_KEY_ORDER);
  const auto status = release::CaseStatus::fromJson(record->status_json);
  for (const auto& [agency, a] : status.agencies) {
    Poco::JSON::Object d(Poco::JSON_PRESERVE_KEY_ORDER);
    d.set("outcome", release::agencyOutcome(a));
    Poco::JSON::Array items;
    for (int i : a.items) items.add(i);
    d.set("items", items);
    auto codes = [](const std::vector<std::string>& list) {
      Poco::JSON::Array out;
      for (const auto& code : list) out.add(code);
      return out;
    };
    if (!a.history.empty()) {
      d.set("decision", a.history.back().decision);
      d.set("reason", a.history.back().reason);
      d.set("reason_codes", codes(a.history.back().reason_codes));
      d.set("decided_at", a.history.back().decided_at);
    }
    // Every decision the agency gave, in the order received, each with its reason and codes.
    Poco::JSON::Array given;
    for (const auto& h : a.history) {
      Poco::JSON::Object g(Poco::JSON_PRESERVE_KEY_ORDER);
      g.set("decision", h.decision);
      g.set("reason", h.reason);
      g.set("reason_codes", codes(h.reason_codes));
      Poco::JSON::Array decidedItems;
      for (int i : h.items) decidedItems.add(i);
      g.set("items", decidedItems);
      g.set("decided_at", h.decided_at);
      g.set("source", h.source);
      given.add(g);
    }
    d.set("history", given);
    decisions.set(agency, d);
  }
  body.set("decisions", decisions);
  body.set("arrived", status.arrived);
  body.set("revenue_settled", status.revenueSettled);
  body.set("category", status.category ? Poco::Dynamic::Var(*status.category) : Poco::Dynamic::Var());
  if (mayKnowRisk(caller)) {
    if (status.riskScore) {
      Poco::JSON::Object risk(Poco::JSON_PRESERVE_KEY_ORDER);
      risk.set("score", *status.riskScore);
      Poco::JSON::Array reasons;
      for (const auto& r : status.riskReasons) {
        Poco::JSON::Object reason(Poco::JSON_PRESERVE_KEY_ORDER);
        reason.set("code", r.code);
        reason.set("weight", r.weight);
        reason.set("detail", r.detail);
        reasons.add(reason);
      }
      risk.set("reasons", reasons);
      risk.set("assessed_by", status.findingsBy);
      body.set("risk", risk);
    } else {
      body.set("risk", Poco::Dynamic::Var());
    }
  }
  body.set("revenue", revenueOf(status));
  {
    std::string returns;
    release::writeReturns(returns, status.returns);
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));  // the fields in their documented order
    body.set("returns", parser.parse(returns));
  }
  Poco::JSON::Array history;
  for (const auto& event : read->second) {
    Poco::JSON::Object e(Poco::JSON_PRESERVE_KEY_ORDER);
    e.set("seq", event.seq);
    e.set("at", event.at);
    e.set("actor", event.actor);
    e.set("kind", event.kind);
    if (!event.from_state.empty()) e.set("from", event.from_state);
    if (!event.to_state.empty()) e.set("to", event.to_state);
    if (!event.message_id.empty()) e.set("message_id", event.message_id);
    Poco::JSON::Parser detailParser(new Poco::JSON::ParseHandler(true));
    e.set("detail", detailParser.parse(event.detail_json.empty() ? "{}" : event.detail_json));
    history.add(e);
  }
  body.set("history", history);
  return json(200, stringify(body));
}

HttpResult CaseViews::byReference(const Identity& caller, const std::string& reference,
                                  const std::string& partner) const {
  if (reference.empty()) {
    return problem(400, "invalid-query", "Bad Request", "the query needs a reference",
                   {{"reference", "required query parameter missing"}});
  }
  std::string owner = caller.id;
  if (caller.kind == Identity::Kind::Admin) {
    if (partner.empty()) {
      return problem(400, "invalid-query", "Bad Request", "an admin names the partner of the reference",
                     {{"partner", "required query parameter missing"}});
    }
    owner = partner;
  } else if (caller.kind != Identity::Kind::Partner) {
    return problem(403, "not-a-partner", "Forbidden", "cases by reference are a partner's or an admin's view");
  }
  Poco::JSON::Array cases;
  for (const auto& record : journal_.findCases(owner, reference)) cases.add(summary(record));
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("cases", cases);
  return json(200, stringify(body));
}

}  // namespace swhub::api
