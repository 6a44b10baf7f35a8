#include "release/coordinator.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <optional>
#include <sstream>

#include "common/calendar_day.hpp"
#include "common/ids.hpp"
#include "common/words.hpp"
#include "model/canonical_json.hpp"
#include "model/json_writer.hpp"

namespace swhub::release {
namespace {

std::string stringify(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

bool goodsPresented(sdk::FilingKind kind) {
  // Pre-loading and pre-arrival data come ahead of the goods; a declaration or a return is made
  // for goods that are presented, a supplementary or final supplementary declaration after the
  // goods were released.
  return kind == sdk::FilingKind::Declaration || kind == sdk::FilingKind::Return ||
         kind == sdk::FilingKind::Supplementary || kind == sdk::FilingKind::FinalSupplementary;
}

// Revenue as filed: the collection model, and what the hub derived as due (if anything yet).
void fiscalInto(CaseStatus& status, const sdk::Consignment& c) {
  status.collection = std::string(sdk::toString(c.fiscal.model));
  status.collectedAtSale = c.fiscal.collected_at_sale;
  if (c.derived.duties || c.derived.taxes) {
    const sdk::Decimal due = c.derived.duties.value_or(sdk::Decimal()) + c.derived.taxes.value_or(sdk::Decimal());
    status.revenueDue = due.toString();
    status.revenueCurrency = c.derived.revenue_currency;
  }
  status.settleRevenue();
}

std::string detailJson(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  {
    model::ObjectWriter o(out);
    for (const auto& [k, v] : fields) o.string(k, v, true);
  }
  return out;
}

sdk::Decimal decimalOr0(const std::string& text) {
  return sdk::Decimal::parse(text.empty() ? "0" : text).value_or(sdk::Decimal());
}

// A refund gives back (part of) a settled payment of a released, returned or already refunded
// case, in that payment's currency, never more than the payment has left. Anything else is
// refused with the reason and changes nothing: a refund never decides a case over the agencies.
std::optional<sdk::Errors> checkRefund(const CaseStatus& status, const journal::CaseRecord& record,
                                       const sdk::HubEvent& event) {
  if (!status.released && record.state != CaseState::Returned && record.state != CaseState::Refunded) {
    return sdk::Errors{{"/refunded_transaction_id", "case " + record.id + " is " + std::string(toString(record.state)) +
                                                        ": only a released, returned or refunded case can be refunded"}};
  }
  const PaymentRecord* paid = nullptr;
  for (const auto& p : status.payments) {
    if (p.transaction_id == event.refunded_transaction_id) paid = &p;
  }
  if (paid == nullptr) {
    return sdk::Errors{{"/refunded_transaction_id", "case " + record.id + " has no settled payment '" +
                                                        event.refunded_transaction_id + "' to refund"}};
  }
  if (event.currency != paid->currency) {
    return sdk::Errors{{"/currency", "refund in " + event.currency + " of payment '" + paid->transaction_id +
                                         "' that was made in " + paid->currency}};
  }
  const sdk::Decimal left = decimalOr0(paid->amount) - decimalOr0(paid->refunded);
  if (left < event.amount) {
    return sdk::Errors{{"/amount", "refund of " + event.amount.toString() + " " + event.currency + " exceeds the " +
                                       left.toString() + " " + paid->currency + " that payment '" +
                                       paid->transaction_id + "' has left unrefunded"}};
  }
  return std::nullopt;
}

// Licence changes into the batch, each with its trace event (what was written down or given back).
void planLicenceChanges(journal::WriteBatch& batch, const std::string& caseId, Instant now,
                        std::vector<journal::LicenceChange> changes, const std::vector<journal::LicenceUse>& uses) {
  for (auto& change : changes) {
    std::int64_t before = 0;
    for (const auto& use : uses) {
      if (use.agency == change.agency && use.item == change.item && use.licence_id == change.licence_id) {
        before = use.quantity;
      }
    }
    batch.events.push_back({0, caseId, now, Actor::hub(), "licence", {}, {}, licenceEventDetail(change, before), ""});
    batch.licence_changes.push_back(std::move(change));
  }
}

sdk::Consignment consignmentOf(const journal::CaseRecord& record) {
  model::DecodeOptions options;
  options.allow_hub_fields = true;
  options.validate = false;
  auto decoded = model::decodeConsignmentJson(record.consignment_json, options);
  return decoded.ok() ? decoded.take() : sdk::Consignment{};
}

}  // namespace

Coordinator::Coordinator(journal::Journal& journal, Directory directory,
                         std::shared_ptr<const routing::RouteTable> routes)
    : journal_(journal), directory_(std::move(directory)), routes_(std::move(routes)) {}

std::shared_ptr<const routing::RouteTable> Coordinator::routes() const {
  std::lock_guard lock(routesMutex_);
  return routes_;
}

void Coordinator::setRoutes(std::shared_ptr<const routing::RouteTable> routes) {
  std::lock_guard lock(routesMutex_);
  routes_ = std::move(routes);
}

CaseStatus Coordinator::routeStatus(const sdk::Consignment& consignment) const {
  CaseStatus status;
  const auto table = routes();
  const routing::RoutingDecision decision = table ? table->route(consignment) : routing::RoutingDecision{};
  for (const auto& agency : decision.agencies) {
    AgencyStatus a;
    auto endpoint = directory_.agencies.find(agency);
    a.mode = endpoint != directory_.agencies.end() && endpoint->second.plugin ? "plugin" : "external";
    auto items = decision.itemsByAgency.find(agency);
    if (items != decision.itemsByAgency.end()) a.items = items->second;
    status.agencies[agency] = std::move(a);
  }
  status.routes = decision.routes;
  status.notify = decision.notify;
  status.arrived = goodsPresented(consignment.filing);
  fiscalInto(status, consignment);
  return status;
}

void Coordinator::planTasks(journal::WriteBatch& batch, const journal::CaseRecord& record,
                            const std::string& consignmentJson, const CaseStatus& status, const std::string& action,
                            Instant now, const std::string& documentsJson) const {
  for (const auto& [agency, a] : status.agencies) {
    const std::string taskId = common::newId("T-");
    auto endpoint = directory_.agencies.find(agency);
    const bool plugin = a.mode == "plugin";
    const bool push = endpoint != directory_.agencies.end() && endpoint->second.push;
    std::string body;
    {
      model::ObjectWriter task(body);
      task.string("task_id", taskId, true);
      task.string("action", action, true);  // assess | cancel
      task.string("case_id", record.id, true);
      task.string("reference", record.reference, true);
      task.string("partner", record.partner, true);
      task.string("agency", agency, true);
      task.integer("version", record.version);
      task.integers("items", a.items);
      // An external agency reads the consignment in its task (canonical JSON already). The hub's
      // own assessment worker reads the case itself: its work item names the case and version only,
      // so that the consignment is journaled once per filing, not once more per plugin agency.
      if (!plugin) task.raw("consignment", consignmentJson);
      if (!documentsJson.empty()) task.raw("documents", documentsJson);
      task.string("created_at", common::toString(now), true);
    }
    journal::OutboxItem item;
    item.id = taskId;
    item.channel = plugin ? journal::Channel::Assess : journal::Channel::Task;
    item.recipient = agency;
    item.case_id = record.id;
    item.content_type = kTaskJsonType;
    item.body = std::move(body);
    // Plugin assessments are claimed by the hub's own worker; external tasks are pushed only to
    // agencies with a push endpoint, and always readable through GET /v1/agency/tasks.
    item.state = (plugin && action == "assess") || push ? journal::OutboxState::Pending : journal::OutboxState::Pull;
    if (plugin && action != "assess") item.state = journal::OutboxState::Delivered;  // nothing to tell a plugin
    item.created_at = now;
    batch.outbox.push_back(std::move(item));
    batch.events.push_back({0, record.id, now, Actor::hub(), "task", {}, {},
                            detailJson({{"task_id", taskId}, {"agency", agency}, {"action", action}}), ""});
  }
}

void Coordinator::planTransition(journal::WriteBatch& batch, const journal::CaseRecord& record,
                                 const CaseStatus& status, CaseState from, CaseState to,
                                 const Actor& actor, Instant now, const std::string& messageId,
                                 const std::string& event, const std::string& reason,
                                 const std::vector<std::string>& reasonCodes, const std::string& alsoTell,
                                 const std::vector<std::pair<std::string, std::string>>& extraDetails) const {
  // Codes travel with their reason: "FS-VET" (several joined by commas).
  std::string codes;
  for (const auto& code : reasonCodes) codes += (codes.empty() ? "" : ",") + code;
  if (from != to) {
    std::vector<std::pair<std::string, std::string>> detail;
    if (!reason.empty()) detail.push_back({"reason", reason});
    if (!codes.empty()) detail.push_back({"reason_codes", codes});
    batch.events.push_back({0, record.id, now, actor, "transition", from, to, detailJson(detail), messageId});
  }
  if (from == to && event == toString(to) && extraDetails.empty()) return;  // nothing new to tell
  std::vector<std::string> recipients{record.partner};
  if (!alsoTell.empty() && alsoTell != record.partner) recipients.push_back(alsoTell);
  for (const auto& p : status.notify) {
    if (std::find(recipients.begin(), recipients.end(), p) == recipients.end()) recipients.push_back(p);
  }
  for (const auto& partner : recipients) {
    auto endpoint = directory_.partners.find(partner);
    if (endpoint == directory_.partners.end()) continue;
    sdk::Notification n{common::newId("N-"), record.id, record.reference, event, std::string(toString(to)), reason,
                        common::toString(now), {}};
    if (from != to) n.details.push_back({"previous_state", std::string(toString(from))});
    if (!codes.empty()) n.details.push_back({"reason_codes", codes});
    // What the partner owes: duties and taxes an agency assessed, and whether they are paid.
    if (!status.revenueDue.empty()) {
      n.details.push_back({"revenue_due", status.revenueDue});
      n.details.push_back({"revenue_currency", status.revenueCurrency});
      n.details.push_back({"revenue_settled", status.revenueSettled ? "true" : "false"});
    }
    // And why: the model as applied, every line (a compact JSON object each), what was paid.
    if (status.revenueAssessed) {
      n.details.push_back({"revenue_model", status.collection});
      if (!status.modelReason.empty()) n.details.push_back({"revenue_model_reason", status.modelReason});
      for (const auto& line : status.revenueLines) {
        std::string text;
        writeRevenueLine(text, line);
        n.details.push_back({"revenue_line", std::move(text)});
      }
      n.details.push_back({"revenue_paid", decimalOr0(status.paid).toString()});
    }
    n.details.insert(n.details.end(), extraDetails.begin(), extraDetails.end());
    planNotice(batch, record, partner, std::move(n), now);
  }
}

// One notification to `partner` in the outbox (journaled in the canonical form; the partner's
// plugin encodes it when it leaves, notification_format.hpp, alone or in a batch with others) and
// its event in the case's history; nothing for a partner the hub does not know.
void Coordinator::planNotice(journal::WriteBatch& batch, const journal::CaseRecord& record, const std::string& partner,
                             sdk::Notification n, Instant now) const {
  auto endpoint = directory_.partners.find(partner);
  if (endpoint == directory_.partners.end()) return;
  journal::OutboxItem item;
  item.id = n.id;
  item.channel = journal::Channel::Notification;
  item.recipient = partner;
  item.case_id = record.id;
  item.content_type = std::string(model::kNotificationJsonType);
  item.body = model::encodeNotificationsJson({n});
  item.state = endpoint->second.push ? journal::OutboxState::Pending : journal::OutboxState::Pull;
  item.created_at = now;
  batch.outbox.push_back(std::move(item));
  batch.events.push_back({0, record.id, now, Actor::hub(), "notification", {}, {},
                          detailJson({{"notification_id", n.id}, {"recipient", partner}, {"event", n.event}}), ""});
}

CaseState Coordinator::planNewCase(journal::WriteBatch& batch, const sdk::Consignment& consignment,
                                   const std::string& messageId, const Actor& actor, Instant now) const {
  CaseStatus status = routeStatus(consignment);
  const CaseState state = deriveState(status);
  if (state == CaseState::Released) status.markReleased(now);
  const std::string filing(sdk::toString(consignment.filing));
  journal::CaseRecord record{consignment.case_id, consignment.partner, consignment.reference, filing, state, 1,
                             model::encodeConsignmentJson(consignment), messageId, now, now, status.toJson()};
  batch.events.push_back({0, record.id, now, actor, "received", {}, {}, detailJson({{"filing", filing}}), messageId});
  batch.events.push_back({0, record.id, now, Actor::hub(), "transition", {}, CaseState::Accepted, "{}", messageId});
  batch.events.push_back({0, record.id, now, Actor::hub(), "routed", {}, {},
                          detailJson({{"agencies", [&] {
                                         std::string s;
                                         for (const auto& [a, _] : status.agencies) s += (s.empty() ? "" : ",") + a;
                                         return s;
                                       }()}}),
                          messageId});
  planTasks(batch, record, record.consignment_json, status, "assess", now);
  planTransition(batch, record, status, CaseState::Accepted, state, Actor::hub(), now, messageId, "accepted", "");
  batch.new_cases.push_back(std::move(record));
  return state;
}

sdk::Result<CaseState> Coordinator::planFollowUp(journal::WriteBatch& batch, const journal::CaseRecord& record,
                                                 const sdk::Consignment& filing, const std::string& messageId,
                                                 const Actor& actor, Instant now, const std::string& location) const {
  CaseStatus status = CaseStatus::fromJson(record.status_json);
  const std::string kind(sdk::toString(filing.filing));
  if (filing.filing == sdk::FilingKind::Return) {
    return planReturn(batch, record, status, filing, messageId, actor, now, location);
  }
  if (status.cancelled || status.released || status.goodsReturned()) {
    if (filing.filing != sdk::FilingKind::Arrival || status.cancelled || status.goodsReturned()) {
      return sdk::Result<CaseState>::failure(location, "case " + record.id + " is " + std::string(toString(record.state)) +
                                                           ": " + common::withArticle(kind) + " cannot change it");
    }
  }
  batch.events.push_back({0, record.id, now, actor, "received", {}, {}, detailJson({{"filing", kind}}), messageId});
  journal::CaseUpdate update{record.id, record.version, std::nullopt, "", "", now, ""};
  std::string event = kind;
  std::string reason;
  switch (filing.filing) {
    case sdk::FilingKind::Amendment: {
      // The amended consignment replaces the case's; every required agency assesses it again.
      const sdk::Consignment current = consignmentOf(record);
      sdk::Consignment amended = filing;
      amended.case_id = record.id;
      amended.partner = record.partner;
      amended.reference = record.reference;
      amended.filing = current.filing == sdk::FilingKind::Amendment ? sdk::FilingKind::PreArrival : current.filing;
      amended.version = current.version + 1;
      CaseStatus rerouted = routeStatus(amended);
      rerouted.arrived = status.arrived || rerouted.arrived;
      rerouted.paid = status.paid;
      rerouted.payments = status.payments;
      rerouted.settleRevenue();
      for (auto& [agency, a] : rerouted.agencies) {
        auto before = status.agencies.find(agency);
        if (before != status.agencies.end()) a.history = before->second.history;
      }
      status = std::move(rerouted);
      update.consignment_json = model::encodeConsignmentJson(amended);
      update.filing = kind;
      journal::CaseRecord next = record;
      next.version = record.version + 1;
      planTasks(batch, next, update.consignment_json, status, "assess", now);
      // The licences the amended goods no longer use go back; the others are settled again when
      // the agencies decide on the amended consignment.
      std::map<std::string, std::vector<int>> routed;
      for (const auto& [agency, a] : status.agencies) routed[agency] = a.items;
      const auto uses = journal_.licenceUses(record.id);
      planLicenceChanges(batch, record.id, now, givenBack(record.id, uses, &amended, routed), uses);
      event = "amended";
      break;
    }
    case sdk::FilingKind::Cancellation: {
      status.cancelled = true;
      const auto uses = journal_.licenceUses(record.id);
      planLicenceChanges(batch, record.id, now, givenBack(record.id, uses, nullptr, {}), uses);
      planTasks(batch, record, record.consignment_json, status, "cancel", now);
      event = "cancelled";
      break;
    }
    case sdk::FilingKind::Arrival:
      status.arrived = true;
      event = "arrived";
      break;
    default:
      event = kind;
      break;
  }
  const CaseState state = deriveState(status);
  if (state == CaseState::Released) status.markReleased(now);
  update.state = state;
  update.status_json = status.toJson();
  batch.case_updates.push_back(update);
  planTransition(batch, record, status, record.state, state, actor, now, messageId,
                 state != record.state ? std::string(toString(state)) : event, reason);
  return state;
}

sdk::Result<CaseState> Coordinator::planEvent(journal::WriteBatch& batch, const journal::CaseRecord& record,
                                              const sdk::HubEvent& event, const std::string& messageId,
                                              const Actor& actor, Instant now, const std::string& location) const {
  CaseStatus status = CaseStatus::fromJson(record.status_json);
  const bool payment = event.kind == sdk::HubEvent::Kind::PaymentConfirmed;
  if (payment && !status.revenueCurrency.empty() && event.currency != status.revenueCurrency) {
    return sdk::Result<CaseState>::failure(location, "payment in " + event.currency + " for case " + record.id +
                                                           " whose duties and taxes are in " + status.revenueCurrency);
  }
  if (!payment) {
    if (auto refused = checkRefund(status, record, event)) return sdk::Result<CaseState>(std::move(*refused));
  }
  const char* kind = payment ? "payment" : "refund";
  std::vector<std::pair<std::string, std::string>> detail{
      {"transaction_id", event.transaction_id}, {"amount", event.amount.toString()}, {"currency", event.currency}};
  if (!payment) detail.push_back({"refunded_transaction_id", event.refunded_transaction_id});
  detail.push_back({"at", event.at});
  batch.events.push_back({0, record.id, now, actor, kind, {}, {}, detailJson(detail), messageId});
  if (payment) {
    const auto before = sdk::Decimal::parse(status.paid.empty() ? "0" : status.paid).value_or(sdk::Decimal());
    status.paid = (before + event.amount).toString();
    if (status.revenueCurrency.empty()) status.revenueCurrency = event.currency;
    // The provider is named so that a return's refund instruction goes to the one that was paid.
    const std::string provider = actor.is(Actor::Kind::Partner) ? actor.id : "";
    status.payments.push_back({event.transaction_id, event.amount.toString(), event.currency, "", provider, ""});
    status.settleRevenue();
  } else {
    for (auto& p : status.payments) {
      if (p.transaction_id != event.refunded_transaction_id) continue;
      p.refunded = (decimalOr0(p.refunded) + event.amount).toString();
      break;
    }
    status.refunded = true;
  }
  CaseState state = record.state;
  if (!status.released || !payment) {
    state = deriveState(status);
    if (state == CaseState::Released) status.markReleased(now);
  }
  batch.case_updates.push_back({record.id, record.version, state, "", "", now, status.toJson()});
  // The payment provider is told too: its acknowledgement, in its own format.
  const std::string payer = actor.is(Actor::Kind::Partner) ? actor.id : "";
  planTransition(batch, record, status, record.state, state, actor, now, messageId,
                 state != record.state ? std::string(toString(state)) : (payment ? "paid" : "refunded"), "", {}, payer);
  return state;
}

DecisionResult Coordinator::decide(const DecisionInput& input) const {
  return apply(input.agency, input.caseId, input.actor, {input.decision}, std::nullopt, std::nullopt);
}

DecisionResult Coordinator::recordAssessment(const AssessmentInput& input) const {
  return apply(input.agency, input.caseId, input.actor, input.decisions, input.findings, input.completes);
}

namespace {

// The trace's record of one decision: what was decided, by whom, and what became of it.
std::string decisionDetail(const std::string& agency, const DecisionRecord& d, DecisionEffect effect) {
  Poco::JSON::Object detail(Poco::JSON_PRESERVE_KEY_ORDER);
  detail.set("agency", agency);
  detail.set("decision", std::string(common::toString(d.decision)));
  detail.set("reason", d.reason);
  Poco::JSON::Array items;
  for (int i : d.items) items.add(i);
  detail.set("items", items);
  detail.set("decided_at", common::toString(d.decided_at));
  detail.set("source", d.source);
  if (!d.duties.empty()) detail.set("duties", d.duties);
  if (!d.taxes.empty()) detail.set("taxes", d.taxes);
  if (!d.currency.empty()) detail.set("currency", d.currency);
  if (!d.reason_codes.empty()) {
    Poco::JSON::Array codes;
    for (const auto& code : d.reason_codes) codes.add(code);
    detail.set("reason_codes", codes);
  }
  const char* effectName = effect == DecisionEffect::Applied     ? "applied"
                           : effect == DecisionEffect::Duplicate ? "duplicate: recorded once"
                           : effect == DecisionEffect::Late      ? "late: a newer decision stands"
                                                                 : "after release: recorded only";
  detail.set("effect", effectName);
  return stringify(detail);
}

// The trace's record of what an agency derived: category, risk score, and what is due.
std::string findingsDetail(const std::string& agency, const CaseStatus& status) {
  std::string out;
  {
    model::ObjectWriter o(out);
    o.string("agency", agency, true);
    if (status.category) o.integer("category", *status.category);
    if (status.riskScore) o.integer("risk_score", *status.riskScore);
    if (status.revenueAssessed) {
      o.string("model", status.collection, true);
      o.string("model_reason", status.modelReason);
      o.string("due", status.revenueDue, true);
      o.string("currency", status.revenueCurrency, true);
      o.integer("lines", static_cast<long long>(status.revenueLines.size()));
    }
  }
  return out;
}

}  // namespace

DecisionResult Coordinator::apply(const std::string& agencyId, const std::string& caseId, const Actor& actor,
                                  const std::vector<DecisionRecord>& decisions,
                                  const std::optional<sdk::Findings>& findings,
                                  const std::optional<journal::OutboxCompletion>& completes) const {
  DecisionResult result;
  for (int attempt = 0; attempt < 8; ++attempt) {
    auto record = journal_.getCase(caseId);
    if (!record) {
      result.status = DecisionResult::Status::NotFound;
      return result;
    }
    CaseStatus status = CaseStatus::fromJson(record->status_json);
    auto agency = status.agencies.find(agencyId);
    if (agency == status.agencies.end()) {
      result.status = DecisionResult::Status::NotRouted;
      return result;
    }
    for (const auto& decision : decisions) {
      for (std::size_t i = 0; i < decision.items.size(); ++i) {
        const int item = decision.items[i];
        if (std::find(agency->second.items.begin(), agency->second.items.end(), item) == agency->second.items.end()) {
          result.errors.push_back({"items[" + std::to_string(i) + "]",
                                   "item " + std::to_string(item) + " is not routed to agency '" + agencyId + "'"});
        }
      }
    }
    if (!result.errors.empty()) {
      result.status = DecisionResult::Status::Invalid;
      return result;
    }
    const Instant now = common::nowInstant();
    journal::WriteBatch batch;
    journal::CaseUpdate update{record->id, record->version, std::nullopt, "", "", now, ""};
    bool changed = false;
    // Licences: a clear of an item in the agency's licence scope stands only with a licence that
    // does (else the item is held with the reason); what it takes is written down below.
    std::vector<DecisionRecord> reviewed = decisions;
    std::map<int, LicenceWant> wants;
    std::vector<journal::LicenceUse> uses;
    std::vector<int> decidedItems = agency->second.items;  // what a decision without items decides
    const bool licensed = licences_ && licences_->governs(agencyId) && !status.released && !status.cancelled;
    if (licensed) {
      uses = journal_.licenceUses(caseId);
      const sdk::Consignment consignment = consignmentOf(*record);
      if (decidedItems.empty()) {
        for (const auto& item : consignment.items) decidedItems.push_back(item.sequence);
      }
      const auto filedOn = std::chrono::floor<std::chrono::days>(record->created_at);
      reviewed = licences_->review(agencyId, decisions, consignment, agency->second.items, filedOn, uses,
                                   [&](const std::string& id) { return journal_.findLicence(agencyId, id); }, wants);
    }
    if (findings && !status.released && !status.cancelled) {
      status.recordFindings(agencyId, *findings);
      sdk::Consignment consignment = consignmentOf(*record);
      deriveInto(consignment, status);
      update.consignment_json = model::encodeConsignmentJson(consignment);
      batch.events.push_back({0, record->id, now, actor, "assessed", {}, {}, findingsDetail(agencyId, status), ""});
      // Now that the category is known, a route on it may require more agencies.
      const auto table = routes();
      const routing::RoutingDecision routed = table ? table->route(consignment) : routing::RoutingDecision{};
      CaseStatus added;
      for (const auto& id : routed.agencies) {
        if (status.agencies.count(id)) continue;
        AgencyStatus a;
        auto endpoint = directory_.agencies.find(id);
        a.mode = endpoint != directory_.agencies.end() && endpoint->second.plugin ? "plugin" : "external";
        auto items = routed.itemsByAgency.find(id);
        if (items != routed.itemsByAgency.end()) a.items = items->second;
        status.agencies[id] = a;
        added.agencies[id] = std::move(a);
      }
      for (const auto& route : routed.routes) {
        if (std::find(status.routes.begin(), status.routes.end(), route) == status.routes.end()) status.routes.push_back(route);
      }
      for (const auto& partner : routed.notify) {
        if (std::find(status.notify.begin(), status.notify.end(), partner) == status.notify.end()) status.notify.push_back(partner);
      }
      if (!added.agencies.empty()) {
        std::string names;
        for (const auto& [id, _] : added.agencies) names += (names.empty() ? "" : ",") + id;
        batch.events.push_back({0, record->id, now, Actor::hub(), "routed", {}, {},
                                detailJson({{"agencies", names}, {"because", "category " + std::to_string(status.category.value_or(0))}}), ""});
        planTasks(batch, *record, update.consignment_json, added, "assess", now);
      }
      changed = true;
    }
    // The decisions in order; the one that counts for the partner's notification is the last
    // applied (a plugin gives one per case or per group of items).
    bool applied = false, late = false, afterRelease = false;
    const DecisionRecord* told = nullptr;
    bool doNotLoad = false;
    std::vector<int> touched;  // the items of the decisions applied
    for (const auto& decision : reviewed) {
      const DecisionEffect effect = applyDecision(status, agencyId, decision);
      if (effect == DecisionEffect::Duplicate) continue;  // recorded already, never applied twice
      batch.events.push_back({0, record->id, now, actor, "decision", {}, {}, decisionDetail(agencyId, decision, effect), ""});
      changed = true;
      if (effect == DecisionEffect::Applied) {
        for (int item : decision.items.empty() ? decidedItems : decision.items) {
          if (std::find(touched.begin(), touched.end(), item) == touched.end()) touched.push_back(item);
        }
        applied = true;
        told = &decision;
        doNotLoad = doNotLoad || decision.decision == Decision::DoNotLoad;
        if (!(findings && findings->revenue_assessed) && (!decision.duties.empty() || !decision.taxes.empty())) {
          // An agency typed duties and taxes (an external system or an older plugin): release waits
          // for payment under the consumer model.
          const sdk::Decimal due = decimalOr0(decision.duties) + decimalOr0(decision.taxes);
          status.revenueDue = due.toString();
          status.revenueCurrency = decision.currency;
          status.settleRevenue();
        }
      } else if (effect == DecisionEffect::Late) {
        late = true;
      } else {
        afterRelease = true;
      }
    }
    if (licensed) {
      planLicenceChanges(batch, record->id, now,
                         settleLicences(agencyId, caseId, status.agencies.at(agencyId), touched, wants, uses), uses);
    }
    result.state = record->state;
    if (!changed) {
      result.status = DecisionResult::Status::Duplicate;
      return result;
    }
    CaseState state = afterRelease && !applied ? record->state : deriveState(status);
    if (status.released || status.cancelled) state = record->state;
    if (state == CaseState::Released) status.markReleased(now);
    update.state = state;
    update.status_json = status.toJson();
    batch.case_updates.push_back(update);
    // A do-not-load is told to the partner at once, whatever the case state becomes.
    const std::string event(doNotLoad ? common::toString(Decision::DoNotLoad) : toString(state));
    if (doNotLoad || state != record->state) {
      planTransition(batch, *record, status, record->state, state, actor, now, "", event,
                     told ? told->reason : std::string(), told ? told->reason_codes : std::vector<std::string>{});
    }
    if (completes) batch.completions.push_back(*completes);
    auto committed = journal_.commit(std::move(batch));
    // A concurrent change of the case, or a licence that another case took meanwhile: read again
    // (the review then holds what no longer has a licence).
    if (committed.status == journal::CommitResult::Status::Stale) continue;
    if (committed.status != journal::CommitResult::Status::Committed) {
      result.status = DecisionResult::Status::Unavailable;
      result.detail = committed.error;
      return result;
    }
    result.state = state;
    result.completed = completes.has_value();
    result.status = applied ? DecisionResult::Status::Applied
                    : late  ? DecisionResult::Status::Late
                    : afterRelease ? DecisionResult::Status::AfterRelease
                                   : DecisionResult::Status::Applied;
    return result;
  }
  result.status = DecisionResult::Status::Unavailable;
  result.detail = "the case kept changing; try again";
  return result;
}

}  // namespace swhub::release
