#include "release/licence_control.hpp"

#include <algorithm>

#include "common/calendar_day.hpp"
#include "model/json_writer.hpp"

namespace swhub::release {
namespace {

std::string amount(std::int64_t units) { return sdk::Decimal::fromUnits(units).toString(); }

LicenceCheck refused(LicenceVerdict verdict, const char* code, std::string reason, std::string licence = "") {
  return LicenceCheck{verdict, std::move(licence), 0, std::move(reason), code};
}

// The item's final decision by this agency: its own, or the whole case's.
const ItemDecision* finalDecision(const AgencyStatus& status, int item) {
  auto it = status.byItem.find(item);
  if (it == status.byItem.end()) it = status.byItem.find(0);
  return it == status.byItem.end() ? nullptr : &it->second;
}

}  // namespace

const LicenceRequirement* LicenceControl::scope(const std::string& agency, const sdk::Item& item) const {
  auto found = byAgency_.find(agency);
  if (found == byAgency_.end()) return nullptr;
  for (const auto& requirement : found->second) {
    for (const auto& prefix : requirement.hs_prefixes) {
      if (item.hs.starts_with(prefix)) return &requirement;
    }
  }
  return nullptr;
}

LicenceCheck LicenceControl::check(const LicenceRequirement& requirement, const sdk::Item& item,
                                   const std::string& importer, const std::string& agency,
                                   const std::optional<journal::Licence>& registered, std::chrono::sys_days filedOn,
                                   std::int64_t heldByCase) {
  const std::string which = "item " + std::to_string(item.sequence) + " (HS " + item.hs + ")";
  const sdk::Document* document = nullptr;
  for (const auto& d : item.documents) {
    if (std::find(requirement.document_types.begin(), requirement.document_types.end(), d.type) !=
        requirement.document_types.end()) {
      document = &d;
      break;
    }
  }
  if (document == nullptr) {
    std::string types;
    for (const auto& t : requirement.document_types) types += (types.empty() ? "" : " or ") + t;
    return refused(LicenceVerdict::Missing, kLicenceMissing,
                   "licence missing: " + which + " needs a document of type " + types + " (" + requirement.name + ")");
  }
  const std::string& id = document->id;
  if (!registered || registered->type != document->type) {
    std::string why = "licence unknown: " + document->type + " '" + id + "' is not in the registry of agency '" +
                      agency + "'";
    if (registered) why += " (it is registered as a " + registered->type + ")";
    return refused(LicenceVerdict::Unknown, kLicenceUnknown, why, id);
  }
  const auto from = common::parseDay(registered->valid_from);
  const auto to = common::parseDay(registered->valid_to);
  if (from && filedOn < *from) {
    return refused(LicenceVerdict::NotYetValid, kLicenceNotYetValid,
                   "licence not yet valid: '" + id + "' is valid from " + registered->valid_from + ", the case was filed on " +
                       common::dayText(filedOn),
                   id);
  }
  // Valid on its expiry day itself: valid_to is the last day it may be used.
  if (!to || filedOn > *to) {
    return refused(LicenceVerdict::Expired, kLicenceExpired,
                   "licence expired: '" + id + "' was valid until " + registered->valid_to + ", the case was filed on " +
                       common::dayText(filedOn),
                   id);
  }
  if (importer.empty() || registered->holder != importer) {
    return refused(LicenceVerdict::Foreign, kLicenceForeign,
                   "licence foreign: '" + id + "' belongs to " + registered->holder + ", not to the importer " +
                       (importer.empty() ? std::string("(the buyer has no id)") : importer),
                   id);
  }
  const double wanted = document->quantity ? *document->quantity : item.quantity;
  const auto units = sdk::Decimal::fromDouble(wanted);
  if (!units || units->units() <= 0) {
    return refused(LicenceVerdict::NoQuantity, kLicenceNoQuantity,
                   "licence quantity: " + which + " takes no quantity of '" + id + "' (neither the document nor the item states one above 0)",
                   id);
  }
  const std::int64_t more = units->units() - heldByCase;
  if (more > registered->remaining) {
    return refused(LicenceVerdict::Exhausted, kLicenceExhausted,
                   "licence exhausted: '" + id + "' has " + amount(registered->remaining) + " left, " + which +
                       " needs " + amount(more),
                   id);
  }
  return LicenceCheck{LicenceVerdict::Ok, id, units->units(), "", ""};
}

std::vector<DecisionRecord> LicenceControl::review(
    const std::string& agency, const std::vector<DecisionRecord>& decisions, const sdk::Consignment& consignment,
    const std::vector<int>& agencyItems, std::chrono::sys_days filedOn, const std::vector<journal::LicenceUse>& uses,
    const std::function<std::optional<journal::Licence>(const std::string&)>& lookup,
    std::map<int, LicenceWant>& wants) const {
  const std::string importer =
      consignment.parties.buyer ? consignment.parties.buyer->id : std::string();
  std::map<std::string, std::optional<journal::Licence>> registry;  // read once per licence
  auto registered = [&](const std::string& id) -> const std::optional<journal::Licence>& {
    auto found = registry.find(id);
    if (found == registry.end()) found = registry.emplace(id, lookup(id)).first;
    return found->second;
  };
  // Two items of one case on the same licence: the second sees what the first takes.
  std::map<std::string, std::int64_t> takenHere;

  // An agency routed the whole case (no item list) decides every item at once.
  std::vector<int> everyItem;
  for (const auto& i : consignment.items) everyItem.push_back(i.sequence);
  std::vector<DecisionRecord> out;
  for (const auto& decision : decisions) {
    if (decision.decision != Decision::Clear) {
      out.push_back(decision);
      continue;
    }
    const bool wholeCase = decision.items.empty() && agencyItems.empty();
    const std::vector<int>& items = !decision.items.empty() ? decision.items : wholeCase ? everyItem : agencyItems;
    std::vector<int> cleared;
    std::vector<std::pair<int, LicenceCheck>> holds;
    for (int seq : items) {
      auto item = std::find_if(consignment.items.begin(), consignment.items.end(),
                               [&](const sdk::Item& i) { return i.sequence == seq; });
      const LicenceRequirement* requirement = item == consignment.items.end() ? nullptr : scope(agency, *item);
      if (requirement == nullptr) {
        cleared.push_back(seq);
        continue;
      }
      std::string filedId;
      for (const auto& d : item->documents) {
        if (std::find(requirement->document_types.begin(), requirement->document_types.end(), d.type) !=
            requirement->document_types.end()) {
          filedId = d.id;
          break;
        }
      }
      std::int64_t held = 0;
      for (const auto& use : uses) {
        if (use.agency == agency && use.item == seq && use.licence_id == filedId) held = use.quantity;
      }
      std::optional<journal::Licence> entry = filedId.empty() ? std::nullopt : registered(filedId);
      if (entry) entry->remaining -= takenHere[filedId];
      LicenceCheck checked = check(*requirement, *item, importer, agency, entry, filedOn, held);
      if (checked.verdict == LicenceVerdict::Ok) {
        takenHere[filedId] += checked.quantity - held;
        wants[seq] = LicenceWant{checked.licence_id, checked.quantity};
        cleared.push_back(seq);
      } else {
        holds.emplace_back(seq, std::move(checked));
      }
    }
    if (holds.empty()) {
      out.push_back(decision);
      continue;
    }
    if (wholeCase) {
      // The case's one decision becomes a hold, with every reason.
      DecisionRecord hold = decision;
      hold.decision = Decision::Hold;
      hold.reason.clear();
      hold.reason_codes.clear();
      for (const auto& [seq, checked] : holds) {
        if (hold.reason.find(checked.reason) == std::string::npos) hold.reason += (hold.reason.empty() ? "" : "; ") + checked.reason;
        if (std::find(hold.reason_codes.begin(), hold.reason_codes.end(), checked.code) == hold.reason_codes.end()) {
          hold.reason_codes.push_back(checked.code);
        }
      }
      hold.duties.clear();
      hold.taxes.clear();
      hold.currency.clear();
      out.push_back(std::move(hold));
      continue;
    }
    if (!cleared.empty()) {
      DecisionRecord clear = decision;
      clear.items = cleared;
      out.push_back(std::move(clear));
    }
    // One hold per distinct reason, in the order the items came.
    std::vector<DecisionRecord> held;
    for (auto& [seq, checked] : holds) {
      auto same = std::find_if(held.begin(), held.end(), [&](const DecisionRecord& d) { return d.reason == checked.reason; });
      if (same != held.end()) {
        same->items.push_back(seq);
        continue;
      }
      DecisionRecord hold = decision;
      hold.decision = Decision::Hold;
      hold.reason = checked.reason;
      hold.items = {seq};
      hold.reason_codes = {checked.code};
      hold.duties.clear();
      hold.taxes.clear();
      hold.currency.clear();
      held.push_back(std::move(hold));
    }
    for (auto& h : held) out.push_back(std::move(h));
  }
  return out;
}

std::vector<journal::LicenceChange> settleLicences(const std::string& agency, const std::string& caseId,
                                                   const AgencyStatus& status, const std::vector<int>& items,
                                                   const std::map<int, LicenceWant>& wants,
                                                   const std::vector<journal::LicenceUse>& uses) {
  std::vector<journal::LicenceChange> changes;
  for (int seq : items) {
    const ItemDecision* decided = finalDecision(status, seq);
    auto want = wants.find(seq);
    const bool clear = decided != nullptr && decided->decision == Decision::Clear;
    if (clear && want == wants.end()) continue;  // cleared before, as it was: nothing moves
    bool wantHeld = false;
    for (const auto& use : uses) {
      if (use.agency != agency || use.item != seq) continue;
      if (clear && use.licence_id == want->second.licence_id) {
        wantHeld = true;
        if (use.quantity != want->second.quantity) {
          changes.push_back({agency, use.licence_id, caseId, seq, want->second.quantity});
        }
      } else {
        changes.push_back({agency, use.licence_id, caseId, seq, 0});
      }
    }
    if (clear && !wantHeld) changes.push_back({agency, want->second.licence_id, caseId, seq, want->second.quantity});
  }
  return changes;
}

std::vector<journal::LicenceChange> givenBack(const std::string& caseId, const std::vector<journal::LicenceUse>& uses,
                                              const sdk::Consignment* amended,
                                              const std::map<std::string, std::vector<int>>& routed) {
  std::vector<journal::LicenceChange> changes;
  for (const auto& use : uses) {
    bool kept = false;
    if (amended != nullptr) {
      auto items = routed.find(use.agency);
      const bool stillRouted =
          items != routed.end() && std::find(items->second.begin(), items->second.end(), use.item) != items->second.end();
      auto item = std::find_if(amended->items.begin(), amended->items.end(),
                               [&](const sdk::Item& i) { return i.sequence == use.item; });
      kept = stillRouted && item != amended->items.end() &&
             std::any_of(item->documents.begin(), item->documents.end(),
                         [&](const sdk::Document& d) { return d.id == use.licence_id; });
    }
    if (!kept) changes.push_back({use.agency, use.licence_id, caseId, use.item, 0});
  }
  return changes;
}

std::string licenceEventDetail(const journal::LicenceChange& change, std::int64_t before) {
  std::string out;
  {
    model::ObjectWriter o(out);
    o.string("agency", change.agency, true);
    o.string("licence", change.licence_id, true);
    o.integer("item", change.item);
    o.string("action", change.quantity > before ? "written-down" : "given-back", true);
    o.string("quantity", amount(change.quantity > before ? change.quantity - before : before - change.quantity), true);
    o.string("held", amount(change.quantity), true);
  }
  return out;
}

}  // namespace swhub::release
