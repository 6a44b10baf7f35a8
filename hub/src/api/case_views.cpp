#include "api/case_views.hpp"

#include <string>

#include "api/document_api.hpp"
#include "api/json_members.hpp"
#include "model/json_writer.hpp"
#include "release/case_status.hpp"

namespace swhub::api {

void writeCaseSummary(model::ObjectWriter& c, const journal::CaseRecord& record) {
  c.string("case_id", record.id, true);
  c.string("reference", record.reference, true);
  c.string("partner", record.partner, true);
  c.string("filing", record.filing, true);
  c.string("state", toString(record.state), true);
  c.integer("version", record.version);
  c.string("created_at", common::toString(record.created_at), true);
  c.string("updated_at", common::toString(record.updated_at), true);
}

namespace {

// A string member, null when empty.
void orNull(model::ObjectWriter& w, std::string_view name, const std::string& value) {
  if (value.empty()) {
    w.raw(name, "null");
  } else {
    w.string(name, value, true);
  }
}

// The case's revenue as the view shows it: the model (as filed until an agency assessed it, then
// as applied), every line, what is due, paid and in what currency, and whether it is settled.
void writeRevenue(std::string& out, const release::CaseStatus& status) {
  model::ObjectWriter r(out);
  orNull(r, "model", status.collection);
  r.string("model_reason", status.modelReason);
  r.boolean("assessed", status.revenueAssessed);
  std::string& lines = r.key("lines");
  lines += '[';
  for (std::size_t i = 0; i < status.revenueLines.size(); ++i) {
    if (i) lines += ',';
    release::writeRevenueLine(lines, status.revenueLines[i]);
  }
  lines += ']';
  orNull(r, "due", status.revenueDue);
  r.string("paid", sdk::Decimal::parse(status.paid.empty() ? "0" : status.paid).value_or(sdk::Decimal()).toString(), true);
  orNull(r, "currency", status.revenueCurrency);
  r.boolean("settled", status.revenueSettled);
  // What returns gave back (README "Returns and refunds"); each refund's arithmetic is in `returns`.
  r.string("refunded", release::refundedTotal(status.returns).toString(), true);
}

// Risk criteria are confidential (a trader who learns them learns how to avoid them): the score
// and its reasons are for border agencies and admins; a partner's view has no `risk`, and its
// consignment no derived risk score or risk codes.
bool mayKnowRisk(const Identity& caller) { return caller.kind != Identity::Kind::Partner; }

void writeDecisions(std::string& out, const release::CaseStatus& status) {
  model::ObjectWriter decisions(out);
  for (const auto& [agency, a] : status.agencies) {
    model::ObjectWriter d(decisions.key(agency));
    d.string("outcome", release::outcomeName(release::agencyOutcome(a)), true);
    d.integers("items", a.items);
    if (!a.history.empty()) {
      const auto& last = a.history.back();
      d.string("decision", common::toString(last.decision), true);
      d.string("reason", last.reason, true);
      d.strings("reason_codes", last.reason_codes);
      d.string("decided_at", common::toString(last.decided_at), true);
    }
    // Every decision the agency gave, in the order received, each with its reason and codes.
    std::string& given = d.key("history");
    given += '[';
    for (std::size_t i = 0; i < a.history.size(); ++i) {
      if (i) given += ',';
      const auto& h = a.history[i];
      model::ObjectWriter g(given);
      g.string("decision", common::toString(h.decision), true);
      g.string("reason", h.reason, true);
      g.strings("reason_codes", h.reason_codes);
      g.integers("items", h.items);
      g.string("decided_at", common::toString(h.decided_at), true);
      g.string("source", h.source, true);
    }
    given += ']';
  }
}

void writeRisk(std::string& out, const release::CaseStatus& status) {
  if (!status.riskScore) {
    out += "null";
    return;
  }
  model::ObjectWriter risk(out);
  risk.integer("score", *status.riskScore);
  std::string& reasons = risk.key("reasons");
  reasons += '[';
  for (std::size_t i = 0; i < status.riskReasons.size(); ++i) {
    if (i) reasons += ',';
    model::ObjectWriter reason(reasons);
    reason.string("code", status.riskReasons[i].code, true);
    reason.integer("weight", status.riskReasons[i].weight);
    reason.string("detail", status.riskReasons[i].detail, true);
  }
  reasons += ']';
  risk.string("assessed_by", status.findingsBy, true);
}

// The case's history; each event's detail as the journal holds it (JSON the hub wrote).
void writeHistory(std::string& out, const std::vector<journal::CaseEvent>& events) {
  out += '[';
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i) out += ',';
    const auto& event = events[i];
    model::ObjectWriter e(out);
    e.integer("seq", event.seq);
    e.string("at", common::toString(event.at), true);
    e.string("actor", common::toString(event.actor), true);
    e.string("kind", event.kind, true);
    if (event.from_state) e.string("from", toString(*event.from_state));
    if (event.to_state) e.string("to", toString(*event.to_state));
    e.string("message_id", event.message_id);
    std::string& detail = e.key("detail");
    if (event.detail_json.empty() || !appendWithout(detail, event.detail_json, "", {})) detail += "{}";
  }
  out += ']';
}

// What the case declared beyond its goods and what completes it (README "Supplementary
// declarations"): null for a standard declaration that no supplementary completes.
void writeDeclared(model::ObjectWriter& b, const std::vector<journal::DeclarationLink>& links,
                   const std::optional<journal::DeclarationLink>& completion) {
  if (links.empty() && !completion) {
    b.raw("supplementary", "null");
    return;
  }
  model::ObjectWriter d(b.key("supplementary"));
  d.string("type", links.empty() ? std::string() : links.front().type);
  d.boolean("simplified", !links.empty() && links.front().kind == "simplified");
  std::vector<std::string> completes;
  for (const auto& l : links) {
    if (l.kind == "supplementary") completes.push_back(l.completes);
  }
  d.strings("completes", completes);
  if (completion) {
    d.string("completed_by", completion->case_id, true);
  } else {
    d.raw("completed_by", "null");
  }
  if (!links.empty() && links.front().kind == "final-supplementary") {
    model::ObjectWriter closes(d.key("closes"));
    closes.string("account", links.front().account, true);
    closes.string("period", links.front().period, true);
  } else {
    d.raw("closes", "null");
  }
}

// The case's supporting documents, in the order attached (README "Supporting documents").
void writeDocuments(std::string& out, const std::vector<journal::CaseDocument>& documents) {
  out += '[';
  for (std::size_t i = 0; i < documents.size(); ++i) {
    if (i) out += ',';
    writeDocument(out, documents[i], false);
  }
  out += ']';
}

HttpResult notFound(const std::string& caseId) { return caseNotFound(caseId); }

}  // namespace

bool maySeeCase(const Identity& caller, const journal::CaseRecord& record, const release::CaseStatus& status) {
  if (caller.kind == Identity::Kind::Admin) return true;
  if (caller.kind == Identity::Kind::Partner) return record.partner == caller.id;
  // An agency sees the cases routed to it.
  return status.agencies.count(caller.id) > 0;
}

HttpResult caseNotFound(const std::string& caseId) {
  return problem(404, "case-not-found", "Not Found", "no case '" + caseId + "' for this caller");
}

// Written straight into one string with the model's JSON writer (no DOM: the view was most of a
// lookup's time, tests/bench/README.md "lookup_bench"), in the documented field order; the
// consignment and the events' details are copied as the journal holds them.
HttpResult CaseViews::byId(const Identity& caller, const std::string& caseId) const {
  // One read of everything the view shows, as of one instant.
  const auto read = journal_.caseFile(caseId);
  if (!read) return notFound(caseId);
  const journal::CaseRecord& record = read->record;
  const auto status = release::CaseStatus::fromJson(record.status_json);
  if (!maySeeCase(caller, record, status)) return notFound(caseId);
  std::string body;
  body.reserve(record.consignment_json.size() + record.status_json.size() + 256 * read->events.size() + 512);
  {
    model::ObjectWriter b(body);
    writeCaseSummary(b, record);
    std::string& consignment = b.key("consignment");
    const bool copied = mayKnowRisk(caller)
                            ? appendWithout(consignment, record.consignment_json, "derived", {}).has_value()
                            : appendWithout(consignment, record.consignment_json, "derived", {"risk_score", "reason_codes"})
                                  .has_value();
    if (!copied) {
      return problem(500, "journal-unreadable", "Internal Server Error",
                     "case '" + caseId + "': its stored consignment is not JSON");
    }
    writeDecisions(b.key("decisions"), status);
    b.boolean("arrived", status.arrived);
    b.boolean("revenue_settled", status.revenueSettled);
    if (status.category) {
      b.integer("category", *status.category);
    } else {
      b.raw("category", "null");
    }
    if (mayKnowRisk(caller)) writeRisk(b.key("risk"), status);
    writeRevenue(b.key("revenue"), status);
    release::writeReturns(b.key("returns"), status.returns);
    writeDeclared(b, read->links, read->completion);
    writeDocuments(b.key("documents"), read->documents);
    writeHistory(b.key("history"), read->events);
  }
  return json(200, std::move(body));
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
  std::string body;
  {
    model::ObjectWriter b(body);
    std::string& cases = b.key("cases");
    cases += '[';
    bool first = true;
    for (const auto& record : journal_.findCases(owner, reference)) {
      if (!first) cases += ',';
      first = false;
      model::ObjectWriter c(cases);
      writeCaseSummary(c, record);
    }
    cases += ']';
  }
  return json(200, std::move(body));
}

}  // namespace swhub::api
