#include "accounts/final_supplementary_check.hpp"

#include <map>
#include <set>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "accounts/reconcile.hpp"
#include "accounts/statement_book.hpp"

namespace swhub::accounts {
namespace {

using sdk::Decimal;

// The supplementary declaration a simplified one calls for: Z after a customs clearance request
// of an entry in the declarant's records (types J, K), Y after any other (UK CDS DE 1/2).
std::string dueType(const std::string& simplifiedType) {
  return simplifiedType == "J" || simplifiedType == "K" ? "Z" : "Y";
}

struct Reported {
  std::map<std::string, std::pair<int, int>> counts;                     // type -> (finalised, due)
  std::map<std::pair<std::string, std::string>, Decimal> totals;         // (tax, currency) -> amount
};

Reported readFacts(const std::string& json) {
  Reported out;
  Poco::JSON::Parser parser;
  auto root = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  if (auto counts = root->getArray("counts")) {
    for (std::size_t i = 0; i < counts->size(); ++i) {
      auto c = counts->getObject(static_cast<unsigned>(i));
      out.counts[c->getValue<std::string>("type")] = {c->getValue<int>("finalised"), c->getValue<int>("due")};
    }
  }
  if (auto totals = root->getArray("totals")) {
    for (std::size_t i = 0; i < totals->size(); ++i) {
      auto t = totals->getObject(static_cast<unsigned>(i));
      const std::pair<std::string, std::string> key{t->getValue<std::string>("tax"), t->getValue<std::string>("currency")};
      out.totals[key] = out.totals[key] + Decimal::parse(t->getValue<std::string>("amount")).value_or(Decimal());
    }
  }
  return out;
}

std::string money(Decimal amount, const std::string& currency) { return amount.toString() + " " + currency; }

}  // namespace

std::optional<FinalSupplementaryCheck> checkFinalSupplementary(journal::Journal& journal, const std::string& account,
                                                               const std::string& period,
                                                               const std::vector<PeriodRelease>& released,
                                                               std::vector<Difference>& differences) {
  const auto closing = journal.finalSupplementary(account, period);
  FinalSupplementaryCheck check;
  std::map<std::string, std::pair<int, int>> held{{"Y", {0, 0}}, {"Z", {0, 0}}};  // type -> (finalised, due)
  std::map<std::pair<std::string, std::string>, Decimal> accounted;
  bool any = closing.has_value();
  for (const auto& r : released) {
    const auto completion = journal.completionOf(r.caseId);
    if (completion) {
      any = true;
      auto& counts = held[completion->type == "Z" ? "Z" : "Y"];
      ++counts.first;
      ++counts.second;
      if (auto supplementary = journal.getCase(completion->case_id)) {
        for (const auto& l : chargedLines(supplementary->status_json)) {
          accounted[{l.tax, l.currency}] = accounted[{l.tax, l.currency}] + l.amount;
        }
      }
      continue;
    }
    if (r.simplifiedType.empty()) continue;
    any = true;
    const std::string type = dueType(r.simplifiedType);
    ++held[type].second;
    differences.push_back({"supplementary-missing", r.caseId,
                           "simplified declaration " + r.reference + " (type " + r.simplifiedType + ") released " +
                               r.releasedAt + " has no supplementary declaration (type " + type + " due)"});
  }
  if (!any) return std::nullopt;
  if (!closing) {
    differences.push_back({"final-supplementary-missing", "",
                           "no final supplementary declaration (type Q) closes " + period + " of account " + account});
  }
  Reported reported;
  if (closing) {
    check.caseId = closing->case_id;
    reported = readFacts(closing->facts_json);
  }
  for (const auto& [type, counts] : held) {
    FinalSupplementaryCheck::Count c{type, 0, 0, counts.first, counts.second};
    if (auto it = reported.counts.find(type); it != reported.counts.end()) {
      c.reportedFinalised = it->second.first;
      c.reportedDue = it->second.second;
    }
    check.counts.push_back(c);
    if (!closing) continue;
    if (c.reportedFinalised != c.finalised || c.reportedDue != c.due) {
      differences.push_back({"final-supplementary-count", closing->case_id,
                             "type " + type + ": reported " + std::to_string(c.reportedFinalised) + "/" +
                                 std::to_string(c.reportedDue) + " (finalised/due), the journal holds " +
                                 std::to_string(c.finalised) + "/" + std::to_string(c.due)});
    }
  }
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& [key, _] : accounted) keys.insert(key);
  for (const auto& [key, _] : reported.totals) keys.insert(key);
  for (const auto& key : keys) {
    FinalSupplementaryCheck::Total t{key.first, key.second,
                                     reported.totals.count(key) ? reported.totals.at(key) : Decimal(),
                                     accounted.count(key) ? accounted.at(key) : Decimal()};
    check.totals.push_back(t);
    if (closing && t.reported != t.accounted) {
      differences.push_back({"final-supplementary-total", closing->case_id,
                             t.tax + ": reported " + money(t.reported, t.currency) +
                                 ", the supplementary declarations' lines sum to " + money(t.accounted, t.currency)});
    }
  }
  return check;
}

}  // namespace swhub::accounts
