#include "intake/declaration_plan.hpp"

#include <cctype>
#include <set>

#include "model/json_writer.hpp"

namespace swhub::intake {
namespace {

using sdk::FilingKind;

std::string detail(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  model::ObjectWriter o(out);
  for (const auto& [k, v] : fields) o.string(k, v, true);
  return out;
}

bool isPeriod(const std::string& p) {
  if (p.size() != 7 || p[4] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6}) {
    if (!std::isdigit(static_cast<unsigned char>(p[i]))) return false;
  }
  const int month = (p[5] - '0') * 10 + (p[6] - '0');
  return month >= 1 && month <= 12 && p.compare(0, 4, "2000") >= 0;
}

std::string named(const sdk::PreviousDocument& d) {
  return "previous document " + d.category + "-" + d.type + " '" + d.id + "'";
}

// The filer's case a previous document names: by the hub's case id, else by the filer's reference.
// Another partner's case is as unknown as no case at all: no id widens the caller's scope.
std::optional<journal::CaseRecord> namedCase(journal::Journal& journal, const std::string& partner,
                                             const std::string& id) {
  if (auto byId = journal.getCase(id); byId && byId->partner == partner) return byId;
  auto found = journal.findCases(partner, id);
  if (found.empty()) return std::nullopt;
  return found.back();
}

sdk::Result<DeclarationPlan> supplementary(journal::Journal& journal, const sdk::Consignment& filing,
                                           const sdk::DeclarationFacts& facts, const std::string& messageId,
                                           common::Instant now, const std::string& location) {
  sdk::Errors errors;
  DeclarationPlan plan;
  if (facts.completes.empty()) {
    errors.push_back({location, "a supplementary declaration names the declarations it completes (previous "
                                "document Y-SDE, or Y-DCR for an entry in the declarant's records): none given"});
  }
  std::set<std::string> seen;
  for (const auto& doc : facts.completes) {
    const std::string at = doc.location.empty() ? location : doc.location;
    auto target = namedCase(journal, filing.partner, doc.id);
    if (!target) {
      errors.push_back({at, named(doc) + " names no case of partner '" + filing.partner +
                                "' (a supplementary declaration completes its filer's own declarations, named by "
                                "the hub's case id or the filer's reference)"});
      continue;
    }
    if (!seen.insert(target->id).second) {
      errors.push_back({at, named(doc) + " names case " + target->id + " a second time"});
      continue;
    }
    if (target->filing == sdk::toString(FilingKind::Supplementary) ||
        target->filing == sdk::toString(FilingKind::FinalSupplementary)) {
      errors.push_back({at, named(doc) + " is case " + target->id + ", itself " +
                                (target->filing == "supplementary" ? "a supplementary" : "a final supplementary") +
                                " declaration: a supplementary declaration completes a declaration of goods"});
      continue;
    }
    if (target->state != common::CaseState::Released && target->state != common::CaseState::Cleared) {
      errors.push_back({at, named(doc) + " is case " + target->id + " in state '" + std::string(toString(target->state)) +
                                "': a supplementary declaration completes a released or cleared declaration"});
      continue;
    }
    if (auto done = journal.completionOf(target->id)) {
      errors.push_back({at, named(doc) + ": case " + target->id + " is completed already by supplementary declaration " +
                                done->case_id});
      continue;
    }
    plan.links.push_back({filing.case_id, "supplementary", facts.additional_type, target->id, "", "", "{}", now});
    plan.events.push_back({0, filing.case_id, now, common::Actor::hub(), "supplements", std::nullopt, std::nullopt,
                           detail({{"completes", target->id}, {"reference", target->reference},
                                   {"document", doc.category + "-" + doc.type + " " + doc.id}}),
                           messageId});
    plan.events.push_back({0, target->id, now, common::Actor::hub(), "supplemented", std::nullopt, std::nullopt,
                           detail({{"by", filing.case_id}, {"reference", filing.reference},
                                   {"type", facts.additional_type}}),
                           messageId});
  }
  if (!errors.empty()) return errors;
  return plan;
}

sdk::Result<DeclarationPlan> finalSupplementary(journal::Journal& journal, const sdk::Consignment& filing,
                                                const sdk::DeclarationFacts& facts, const std::string& account,
                                                const std::string& messageId, common::Instant now,
                                                const std::string& location) {
  sdk::Errors errors;
  if (account.empty()) {
    errors.push_back({location, "partner '" + filing.partner +
                                    "' holds no account: a final supplementary declaration closes a period of its "
                                    "filer's account (partners." + filing.partner + ".account)"});
  } else if (!facts.account.empty() && facts.account != account) {
    errors.push_back({location, "account '" + facts.account + "' is not the account of partner '" + filing.partner +
                                    "' (" + account + "): a final supplementary declaration closes its filer's account"});
  }
  if (!isPeriod(facts.period)) {
    errors.push_back({location, "period '" + facts.period + "' is not a month YYYY-MM"});
  }
  if (errors.empty()) {
    if (auto closed = journal.finalSupplementary(account, facts.period)) {
      errors.push_back({location, "period " + facts.period + " of account " + account +
                                      " is closed already by final supplementary declaration " + closed->case_id});
    }
  }
  if (!errors.empty()) return errors;
  DeclarationPlan plan;
  plan.links.push_back({filing.case_id, "final-supplementary", facts.additional_type, "", account, facts.period,
                        finalFactsJson(facts), now});
  plan.events.push_back({0, filing.case_id, now, common::Actor::hub(), "closes-period", std::nullopt, std::nullopt,
                         detail({{"account", account}, {"period", facts.period}}), messageId});
  return plan;
}

}  // namespace

std::string finalFactsJson(const sdk::DeclarationFacts& facts) {
  std::string out;
  model::ObjectWriter o(out);
  std::string& counts = o.key("counts");
  counts += '[';
  for (std::size_t i = 0; i < facts.counts.size(); ++i) {
    if (i) counts += ',';
    model::ObjectWriter c(counts);
    c.string("type", facts.counts[i].type, true);
    c.integer("finalised", facts.counts[i].finalised);
    c.integer("due", facts.counts[i].due);
  }
  counts += ']';
  std::string& totals = o.key("totals");
  totals += '[';
  for (std::size_t i = 0; i < facts.totals.size(); ++i) {
    if (i) totals += ',';
    model::ObjectWriter t(totals);
    t.string("tax", facts.totals[i].tax, true);
    t.string("amount", facts.totals[i].amount.toString(), true);
    t.string("currency", facts.totals[i].currency, true);
  }
  totals += ']';
  return out;
}

sdk::Result<DeclarationPlan> planDeclaration(journal::Journal& journal, const sdk::Consignment& filing,
                                             const std::optional<sdk::DeclarationFacts>& facts,
                                             const std::string& account, const std::string& messageId,
                                             common::Instant now, const std::string& location) {
  const bool needsFacts = filing.filing == FilingKind::Supplementary || filing.filing == FilingKind::FinalSupplementary;
  if (!facts) {
    if (!needsFacts) return DeclarationPlan{};
    return sdk::Errors{{location, "a filing of kind '" + std::string(sdk::toString(filing.filing)) +
                                      "' comes with what it completes or closes (its format's previous documents); "
                                      "none came with it"}};
  }
  if (filing.filing == FilingKind::Supplementary) {
    return supplementary(journal, filing, *facts, messageId, now, location);
  }
  if (filing.filing == FilingKind::FinalSupplementary) {
    return finalSupplementary(journal, filing, *facts, account, messageId, now, location);
  }
  DeclarationPlan plan;
  if (facts->simplified) {
    plan.links.push_back({filing.case_id, "simplified", facts->additional_type, "", "", "", "{}", now});
  }
  return plan;
}

}  // namespace swhub::intake
