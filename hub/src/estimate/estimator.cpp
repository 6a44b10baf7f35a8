#include "estimate/estimator.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "common/case_state.hpp"
#include "model/json_writer.hpp"
#include "release/case_status.hpp"

namespace swhub::estimate {
namespace {

constexpr const char* kNotice =
    "An estimate, not a decision: computed by the border's own rules and agencies on the goods as described "
    "here, with the rates in force today. The duties and taxes are assessed again when the goods are filed and "
    "differ if the goods, their value, classification, origin or documents differ, or if the rates change; "
    "any agency may still check the goods at the border.";

// Rounds of agencies: the category an agency derives may route the goods to more agencies, whose
// findings could route them further; a route table adds each agency once, so a few rounds end it.
constexpr int kMaxRounds = 4;

// What one agency answered for the estimate.
struct Answer {
  bool pending = false;
  bool scoresRisk = false;  // its findings carry a risk score or reasons: nothing of it is shown
  std::vector<sdk::Decision> decisions;
};

sdk::Consignment consignmentOf(const EstimateQuery& q) {
  sdk::Consignment c;
  c.case_id = "estimate";
  c.reference = "estimate";
  c.filing = sdk::FilingKind::PreArrival;
  sdk::Party buyer;
  buyer.country = q.destination;
  c.parties.buyer = buyer;
  c.transport.destination = q.destination;
  c.transport.departure = q.departure;
  c.transport.mode = q.mode;
  for (std::size_t i = 0; i < q.items.size(); ++i) {
    const ItemQuery& in = q.items[i];
    sdk::Item item;
    item.sequence = static_cast<int>(i) + 1;
    item.description = in.description;
    item.hs = in.hs;
    item.quantity = in.quantity;
    item.unit = "pce";
    item.value = in.value;
    item.currency = in.currency;
    item.origin = in.origin;
    item.nature = sdk::Nature::Sale;
    c.items.push_back(std::move(item));
  }
  c.fiscal.model = q.model;
  c.fiscal.collected_at_sale = q.model == sdk::CollectionModel::Vendor;
  c.fiscal.registration = q.registration;
  c.fiscal.tax_collected = q.tax_collected;
  c.fiscal.tax_currency = q.tax_currency.empty() && q.tax_collected ? q.items.front().currency : q.tax_currency;
  return c;
}

bool covers(const std::vector<int>& items, int sequence) {
  return items.empty() || std::find(items.begin(), items.end(), sequence) != items.end();
}

std::string listOf(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

}  // namespace

Estimator::Estimator(EstimateSources sources, HeadingSearch headings)
    : sources_(std::move(sources)), headings_(std::move(headings)) {}

EstimateOutcome Estimator::resolve(EstimateQuery& query) const {
  EstimateOutcome out;
  std::string candidates;
  bool unknown = false;
  for (std::size_t i = 0; i < query.items.size(); ++i) {
    ItemQuery& item = query.items[i];
    const std::string at = "items[" + std::to_string(i) + "]";
    if (item.search.empty()) {
      if (item.description.empty()) {
        const config::Heading* heading = headings_.of(item.hs);
        item.description = heading != nullptr ? heading->description : "goods of HS " + item.hs;
      }
      continue;
    }
    if (headings_.empty()) {
      out.errors.push_back({at + ".search", "this hub has no nomenclature to search: give the HS code as " + at + ".hs"});
      unknown = true;
      continue;
    }
    const auto found = headings_.search(item.search);
    if (found.empty()) {
      out.errors.push_back({at + ".search", "no subheading is known for '" + item.search + "': try another word, or give the HS code as " + at + ".hs"});
      unknown = true;
      continue;
    }
    if (found.size() == 1) {
      item.hs = found.front()->hs;
      if (item.description.empty()) item.description = found.front()->description;
      continue;
    }
    std::string named;
    for (const auto* heading : found) named += (named.empty() ? "" : ", ") + heading->hs + " (" + heading->description + ")";
    out.errors.push_back({at + ".search", "'" + item.search + "' fits " + std::to_string(found.size()) +
                                              " subheadings: " + named + "; ask again with one of them as " + at + ".hs"});
    candidates += candidates.empty() ? "" : ",";
    model::ObjectWriter o(candidates);
    o.string("path", at + ".search", true);
    o.string("search", item.search, true);
    std::string& list = o.key("headings");
    list += '[';
    for (std::size_t k = 0; k < found.size(); ++k) {
      if (k) list += ',';
      model::ObjectWriter h(list);
      h.string("hs", found[k]->hs, true);
      h.string("description", found[k]->description, true);
    }
    list += ']';
  }
  if (!out.errors.empty()) {
    out.kind = EstimateOutcome::Kind::Invalid;
    out.ambiguous = !unknown;
    if (!candidates.empty()) out.candidates = "[" + candidates + "]";
  }
  return out;
}

EstimateOutcome Estimator::estimate(EstimateQuery query, common::Instant now) const {
  const auto& served = sources_.destinations;
  if (!served.empty() && std::find(served.begin(), served.end(), query.destination) == served.end()) {
    EstimateOutcome out;
    out.kind = EstimateOutcome::Kind::Invalid;
    out.errors.push_back({"destination", "this hub estimates for goods bound for " + listOf(served) + " only, not " +
                                             query.destination});
    return out;
  }
  if (EstimateOutcome resolved = resolve(query); resolved.kind != EstimateOutcome::Kind::Estimated) return resolved;

  sdk::Consignment consignment = consignmentOf(query);
  const std::string receivedAt = common::toString(now);
  const auto table = sources_.routes ? sources_.routes() : nullptr;
  release::CaseStatus status;
  std::map<std::string, std::vector<int>> routed;  // every agency the goods went to -> its items
  std::map<std::string, Answer> answers;           // the in-process ones' answers
  for (int round = 0; round < kMaxRounds && table; ++round) {
    const routing::RoutingDecision decision = table->route(consignment);
    std::vector<std::string> fresh;
    for (const auto& id : decision.agencies) {
      if (routed.count(id)) continue;
      auto items = decision.itemsByAgency.find(id);
      routed[id] = items != decision.itemsByAgency.end() ? items->second : std::vector<int>{};
      fresh.push_back(id);
    }
    if (fresh.empty()) break;
    // Each agency of a round sees the goods as the round began, as the border's agencies see a
    // case before any of them recorded what it derived.
    const sdk::Consignment asRouted = consignment;
    for (const auto& id : fresh) {
      auto plugin = sources_.plugins.find(id);
      if (plugin == sources_.plugins.end()) continue;  // an external system: it decides at the border
      auto called = release::callAgency(plugin->second, release::assessmentRequest(asRouted, id, routed[id], receivedAt));
      if (!called.ok()) {
        if (auto failure = called.errors().empty() ? std::nullopt : plugin::failureOf(called.errors().front())) {
          if (sources_.countFailure) sources_.countFailure(*failure);
        }
        EstimateOutcome out;
        out.kind = EstimateOutcome::Kind::Unavailable;
        out.errors.push_back({"agencies." + id, "the agency '" + id + "' could not assess the goods just now; try again"});
        return out;
      }
      sdk::CaseAssessment& assessed = called.value();
      Answer answer;
      answer.pending = assessed.assessment.pending;
      answer.decisions = std::move(assessed.assessment.decisions);
      for (const auto& d : answer.decisions) {
        if (!common::parseDecision(d.decision)) {
          // Garbage, as the assessment worker counts it.
          const std::string& name = plugin->second.name.empty() ? id : plugin->second.name;
          if (sources_.countFailure) {
            sources_.countFailure(plugin::Failure{name, plugin::FailureKind::Garbage, "assess", "an invalid decision"});
          }
          EstimateOutcome out;
          out.kind = EstimateOutcome::Kind::Unavailable;
          out.errors.push_back({"agencies." + id, "the agency '" + id + "' answered what the hub cannot read; try again"});
          return out;
        }
      }
      if (plugin->second.findings) {
        answer.scoresRisk = assessed.findings.risk_score.has_value() || !assessed.findings.risk_reasons.empty();
        status.recordFindings(id, assessed.findings);
      }
      answers[id] = std::move(answer);
    }
    release::deriveInto(consignment, status);
  }
  const std::string day = receivedAt.substr(0, 10);
  if (!status.revenueAssessed) {
    EstimateOutcome out;
    out.kind = EstimateOutcome::Kind::NotAssessable;
    out.errors.push_back({"items", "no agency could assess duties and taxes on these goods on " + day +
                                       " (a currency without an exchange rate in force, for instance)"});
    return out;
  }

  EstimateOutcome out;
  std::string& body = out.body;
  {
    model::ObjectWriter o(body);
    o.boolean("estimate", true);
    o.string("notice", kNotice, true);
    o.string("destination", query.destination, true);
    o.string("assessed_on", day, true);
    if (status.category) o.integer("category", *status.category);
    else o.raw("category", "null");
    o.string("model", status.collection, true);
    o.string("model_reason", status.modelReason);
    o.string("currency", status.revenueCurrency, true);
    std::string& lines = o.key("lines");
    lines += '[';
    sdk::Decimal total;
    for (std::size_t i = 0; i < status.revenueLines.size(); ++i) {
      if (i) lines += ',';
      release::writeRevenueLine(lines, status.revenueLines[i]);
      total = total + status.revenueLines[i].amount;
    }
    lines += ']';
    o.string("total", total.toString(), true);
    o.string("due", status.revenueDue, true);
    std::string& items = o.key("items");
    items += '[';
    for (std::size_t i = 0; i < consignment.items.size(); ++i) {
      const sdk::Item& item = consignment.items[i];
      if (i) items += ',';
      model::ObjectWriter it(items);
      it.integer("item", item.sequence);
      it.string("hs", item.hs, true);
      it.string("description", item.description, true);
      it.string("resolved_from", query.items[i].search);
      std::string& agencies = it.key("agencies");
      agencies += '[';
      bool first = true;
      for (const auto& [id, agencyItems] : routed) {
        if (!covers(agencyItems, item.sequence)) continue;
        if (!first) agencies += ',';
        first = false;
        auto answer = answers.find(id);
        const bool automatic = answer != answers.end() && !answer->second.pending;
        auto name = sources_.agencyNames.find(id);
        model::ObjectWriter a(agencies);
        a.string("agency", id, true);
        a.string("name", name != sources_.agencyNames.end() ? name->second : id, true);
        a.string("decides", automatic ? "automatically" : "by-an-officer", true);
        std::string& requirements = a.key("requirements");
        requirements += '[';
        bool firstRequirement = true;
        auto next = [&]() -> std::string& {
          if (!firstRequirement) requirements += ',';
          firstRequirement = false;
          return requirements;
        };
        if (sources_.licences) {
          if (const release::LicenceRequirement* need = sources_.licences->scope(id, item)) {
            model::ObjectWriter r(next());
            r.string("kind", "licence", true);
            r.string("text", "a licence or certificate of type " + listOf(need->document_types) + " (" + need->name +
                                 ") registered with " + (name != sources_.agencyNames.end() ? name->second : id) +
                                 ", held by the importer, with quantity left",
                     true);
            r.strings("document_types", need->document_types);
          }
        }
        if (answer != answers.end() && !answer->second.scoresRisk) {
          std::set<std::string> told;
          for (const auto& d : answer->second.decisions) {
            if (d.decision == common::toString(common::Decision::Clear) || !covers(d.items, item.sequence)) continue;
            if (!told.insert(d.decision + "\n" + d.reason).second) continue;
            model::ObjectWriter r(next());
            r.string("kind", "rule", true);
            r.string("text", d.reason, true);
            r.string("decision", d.decision, true);
            if (!d.reason_codes.empty()) r.string("code", d.reason_codes.front(), true);
          }
        }
        requirements += ']';
      }
      agencies += ']';
    }
    items += ']';
  }
  return out;
}

}  // namespace swhub::estimate
