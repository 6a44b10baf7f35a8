#include "accounts/reconcile.hpp"

#include <map>
#include <set>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "common/ids.hpp"
#include "model/json_writer.hpp"

namespace swhub::accounts {
namespace {

using sdk::Decimal;

std::string money(Decimal amount, const std::string& currency) {
  return amount.toString() + (currency.empty() ? "" : " " + currency);
}

// The revenue due on the case as assessed at or before its release (the last `assessed` event
// then): what the trader was told in advance. nullopt when it was never assessed before release.
std::optional<std::pair<Decimal, std::string>> dueInAdvance(journal::Journal& journal, const std::string& caseId,
                                                            const std::string& releasedAt) {
  std::optional<std::pair<Decimal, std::string>> due;
  const auto released = common::parseInstant(releasedAt);
  for (const auto& event : journal.caseEvents(caseId)) {
    if (event.kind != "assessed") continue;
    if (released && event.at > *released) break;
    try {
      Poco::JSON::Parser parser;
      auto detail = parser.parse(event.detail_json).extract<Poco::JSON::Object::Ptr>();
      if (!detail->has("due")) continue;
      due = std::make_pair(Decimal::parse(detail->getValue<std::string>("due")).value_or(Decimal()),
                           detail->optValue<std::string>("currency", ""));
    } catch (const std::exception&) {
      continue;  // an event this hub did not write: not an assessment it can read
    }
  }
  return due;
}

// {"case_id", "counts":[{type, reported:{finalised, due}, journal:{finalised, due}}],
//  "totals":[{tax, currency, reported, accounted}]}; left out when there is nothing to check.
void writeFinalSupplementary(model::ObjectWriter& o, const std::optional<FinalSupplementaryCheck>& check) {
  if (!check) return;
  model::ObjectWriter f(o.key("final_supplementary"));
  if (check->caseId.empty()) {
    f.raw("case_id", "null");
  } else {
    f.string("case_id", check->caseId, true);
  }
  std::string& counts = f.key("counts");
  counts += '[';
  for (std::size_t i = 0; i < check->counts.size(); ++i) {
    if (i) counts += ',';
    const auto& c = check->counts[i];
    model::ObjectWriter w(counts);
    w.string("type", c.type, true);
    {
      model::ObjectWriter rep(w.key("reported"));
      rep.integer("finalised", c.reportedFinalised);
      rep.integer("due", c.reportedDue);
    }
    model::ObjectWriter held(w.key("journal"));
    held.integer("finalised", c.finalised);
    held.integer("due", c.due);
  }
  counts += ']';
  std::string& totals = f.key("totals");
  totals += '[';
  for (std::size_t i = 0; i < check->totals.size(); ++i) {
    if (i) totals += ',';
    const auto& t = check->totals[i];
    model::ObjectWriter w(totals);
    w.string("tax", t.tax, true);
    w.string("currency", t.currency, true);
    w.string("reported", t.reported.toString(), true);
    w.string("accounted", t.accounted.toString(), true);
  }
  totals += ']';
}

}  // namespace

Reconciliation reconcile(journal::Journal& journal, const StatementBook& book, const std::string& account,
                         const Period& period) {
  Reconciliation r;
  r.account = account;
  r.period = period.toString();
  r.statementId = statementId(account, r.period);
  const std::string& holder = *book.holderOf(account);
  const Bounds bounds = boundsOf(period, book.zone());

  // What was released under the account model in the period.
  std::map<std::string, std::pair<std::string, std::string>> released;  // case -> (released_at, statement)
  std::set<std::string> supplementary;  // released cases that complete others: accounted as adjustments
  std::vector<PeriodRelease> declarations;  // of goods, for the final supplementary check
  journal.forEachCaseReleased(holder, common::rfc3339(bounds.from), common::rfc3339(bounds.to),
                              [&](const journal::ReleasedCase& c) {
                                if (!chargedTo(c, account)) return true;
                                const auto links = journal.linksOf(c.case_id);
                                const std::string kind = links.empty() ? "" : links.front().kind;
                                if (kind == "final-supplementary") return true;  // reports; charged nothing
                                if (kind == "supplementary") {
                                  supplementary.insert(c.case_id);
                                } else {
                                  declarations.push_back({c.case_id, c.reference, c.released_at,
                                                          kind == "simplified" ? links.front().type : ""});
                                }
                                released[c.case_id] = {c.released_at, c.statement_id};
                                return true;
                              });
  // Checked whether or not the statement is issued: a missing supplementary declaration is
  // worth knowing before the month's statement.
  std::vector<Difference> finals;
  r.finalSupplementary = checkFinalSupplementary(journal, account, r.period, declarations, finals);
  r.released = static_cast<std::int64_t>(released.size());
  const auto stored = journal.statement(account, r.period);
  r.issued = stored.has_value();
  if (!stored) {
    r.differences.push_back({"not-issued", "", "no statement is issued for " + r.period + " yet (swhub statement issues it once the period has ended)"});
  }
  for (const auto& [caseId, item] : released) {
    const auto& [at, on] = item;
    if (on.empty()) {
      r.differences.push_back({"not-on-statement", caseId, "released " + at + " under the account model, on no statement"});
    } else if (on != r.statementId) {
      r.differences.push_back({"on-another-statement", caseId, "released " + at + " but accounted on " + on});
    }
  }
  if (!stored) {
    r.differences.insert(r.differences.end(), finals.begin(), finals.end());
    return r;
  }

  r.onStatement = static_cast<std::int64_t>(stored->cases.size());
  for (const auto& [caseId, at] : stored->cases) {
    if (!released.count(caseId)) {
      r.differences.push_back({"not-released-in-period", caseId,
                               "on the statement (released " + at + ") but not released under the account model in " +
                                   r.period});
    }
  }
  // The statement's figures against the sums of its lines as stored.
  std::map<std::pair<std::string, std::string>, Decimal> byTax;  // (tax, currency)
  std::map<std::string, Decimal> byCurrency;
  std::map<std::string, std::map<std::string, Decimal>> itemLines;  // case -> currency -> amount
  for (const auto& l : stored->lines) {
    const Decimal amount = Decimal::parse(l.amount).value_or(Decimal());
    byTax[{l.tax, l.currency}] = byTax[{l.tax, l.currency}] + amount;
    byCurrency[l.currency] = byCurrency[l.currency] + amount;
    if (l.kind == "item") itemLines[l.case_id][l.currency] = itemLines[l.case_id][l.currency] + amount;
    ++r.linesChecked;
  }
  const Statement issued = statementFromJson(stored->body);
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& t : issued.totals) {
    seen.insert({t.tax, t.currency});
    const Decimal sum = byTax.count({t.tax, t.currency}) ? byTax.at({t.tax, t.currency}) : Decimal();
    if (sum != t.amount) {
      r.differences.push_back({"total", "", "total " + t.tax + " " + money(t.amount, t.currency) +
                                                 " but its lines sum to " + money(sum, t.currency)});
    }
  }
  for (const auto& [key, sum] : byTax) {
    if (!seen.count(key) && sum != Decimal()) {
      r.differences.push_back({"total", "", "lines of " + key.first + " sum to " + money(sum, key.second) + " with no total"});
    }
  }
  std::map<std::string, Decimal> dueByCurrency;
  for (const auto& d : issued.due) dueByCurrency[d.currency] = d.amount;
  for (const auto& [currency, sum] : byCurrency) {
    const Decimal due = dueByCurrency.count(currency) ? dueByCurrency.at(currency) : Decimal();
    if (due != sum) {
      r.differences.push_back({"due", "", "due " + money(due, currency) + " but the lines sum to " + money(sum, currency)});
    }
  }
  // What each case was assessed at before release against what the statements accounted for it.
  std::map<std::string, std::map<std::string, Decimal>> accounted = itemLines;
  for (const auto& l : journal.linesOfChangedCases(account)) {
    if (l.kind == "adjustment" && released.count(l.case_id)) {
      accounted[l.case_id][l.currency] =
          accounted[l.case_id][l.currency] + Decimal::parse(l.amount).value_or(Decimal());
    }
  }
  for (const auto& [caseId, at] : stored->cases) {
    // A supplementary declaration's revenue is its completed cases' adjustment, not an item's.
    if (supplementary.count(caseId)) continue;
    const auto advance = dueInAdvance(journal, caseId, at);
    const Decimal assessed = advance ? advance->first : Decimal();
    const std::string currency = advance ? advance->second : std::string();
    Decimal total;
    std::string others;
    for (const auto& [c, amount] : accounted[caseId]) {
      if (c == currency || currency.empty()) {
        total = total + amount;
      } else if (amount != Decimal()) {
        others += ", " + money(amount, c);
      }
    }
    if (total != assessed || !others.empty()) {
      r.differences.push_back({"revenue", caseId, "assessed in advance " + money(assessed, currency) + ", accounted " +
                                                      money(total, currency) + others});
    }
  }
  r.differences.insert(r.differences.end(), finals.begin(), finals.end());
  return r;
}

std::string toJson(const Reconciliation& r) {
  std::string out;
  {
    model::ObjectWriter o(out);
    o.string("account", r.account, true);
    o.string("period", r.period, true);
    o.string("statement_id", r.statementId, true);
    o.string("status", r.reconciled() ? "reconciled" : "differences", true);
    o.integer("items_released", r.released);
    o.integer("items_on_statement", r.onStatement);
    o.integer("lines_checked", r.linesChecked);
    std::string& list = o.key("differences");
    list += '[';
    for (std::size_t i = 0; i < r.differences.size(); ++i) {
      if (i) list += ',';
      model::ObjectWriter d(list);
      d.string("kind", r.differences[i].kind, true);
      if (r.differences[i].caseId.empty()) {
        d.raw("case_id", "null");
      } else {
        d.string("case_id", r.differences[i].caseId, true);
      }
      d.string("detail", r.differences[i].detail, true);
    }
    list += ']';
    writeFinalSupplementary(o, r.finalSupplementary);
  }
  return out;
}

}  // namespace swhub::accounts
