#include "accounts/statement_book.hpp"

#include <set>
#include <stdexcept>
#include <tuple>

#include "common/ids.hpp"
#include "release/case_status.hpp"

namespace swhub::accounts {
namespace {

using sdk::Decimal;

// A line's key for comparing what was accounted with what is charged now.
using LineKey = std::tuple<std::string, int, std::string>;  // tax, item, currency

std::map<LineKey, Decimal> sumByKey(const std::vector<StatementLine>& lines) {
  std::map<LineKey, Decimal> out;
  for (const auto& l : lines) out[{l.tax, l.item, l.currency}] = out[{l.tax, l.item, l.currency}] + l.amount;
  return out;
}

bool closed(const Period& period, const TimeZone& zone, Instant now) { return boundsOf(period, zone).to <= now; }

StatementLine negated(StatementLine l) {
  l.amount = Decimal() - l.amount;
  return l;
}

// The cases a supplementary declaration completes (none for any other case).
std::vector<std::string> completedBy(const std::vector<journal::DeclarationLink>& links) {
  std::vector<std::string> out;
  for (const auto& l : links) {
    if (l.kind == "supplementary") out.push_back(l.completes);
  }
  return out;
}

bool closesPeriod(const std::vector<journal::DeclarationLink>& links) {
  return !links.empty() && links.front().kind == "final-supplementary";
}

// The lines the completed cases are charged: what a supplementary declaration's lines replace.
std::vector<StatementLine> completedLines(journal::Journal& journal, const std::vector<std::string>& completed) {
  std::vector<StatementLine> out;
  for (const auto& id : completed) {
    if (auto c = journal.getCase(id)) {
      for (auto& l : chargedLines(c->status_json)) out.push_back(std::move(l));
    }
  }
  return out;
}

// What changed a case since it was accounted, when the hub knows: a return's credit.
std::string changeWhy(const journal::CaseRecord& record) {
  const auto status = release::CaseStatus::fromJson(record.status_json);
  for (auto r = status.returns.rbegin(); r != status.returns.rend(); ++r) {
    if (!r->credited.empty()) return "return " + r->id + " credit (" + r->credited + " " + r->currency + ")";
  }
  return "";
}

journal::StatementRecord recordOf(const Statement& s) {
  journal::StatementRecord r{s.id, s.account, s.period, s.issuedAt, toJson(s), {}, {}};
  for (const auto& e : s.entries) {
    r.cases.emplace_back(e.caseId, e.releasedAt);
    for (const auto& l : e.lines) {
      r.lines.push_back({"", "item", e.caseId, l.tax, l.item, l.amount.toString(), l.currency, ""});
    }
  }
  for (const auto& a : s.adjustments) {
    r.lines.push_back({"", "adjustment", a.caseId, a.tax, a.item, a.amount.toString(), a.currency, a.corrects});
  }
  return r;
}

}  // namespace

bool chargedTo(const journal::ReleasedCase& released, const std::string& account) {
  if (!released.named_account.empty() && released.named_account != account) return false;
  return release::CaseStatus::fromJson(released.status_json).collection == "account";
}

std::vector<StatementLine> creditLines(const std::string& statusJson) {
  const auto status = release::CaseStatus::fromJson(statusJson);
  std::vector<StatementLine> lines;
  if (status.collection != "account") return lines;
  for (const auto& r : status.returns) {
    if (r.credited.empty()) continue;
    for (const auto& l : r.refund) {
      const Decimal credit = Decimal::parse(l.refund).value_or(Decimal());
      lines.push_back({l.tax, l.item.value_or(0), Decimal::parse(l.amount).value_or(Decimal()), std::nullopt,
                       Decimal() - credit, l.currency, "return " + r.id + " credit: " + l.why});
    }
  }
  return lines;
}

std::vector<StatementLine> netCharged(journal::Journal& journal, const std::string& caseId,
                                      const std::string& statusJson) {
  std::vector<StatementLine> lines = chargedLines(statusJson);
  const auto completed = completedBy(journal.linksOf(caseId));
  if (!completed.empty()) {
    for (auto& l : completedLines(journal, completed)) lines.push_back(negated(std::move(l)));
    return lines;
  }
  for (auto& l : creditLines(statusJson)) lines.push_back(std::move(l));
  return lines;
}

std::vector<StatementLine> chargedLines(const std::string& statusJson) {
  const auto status = release::CaseStatus::fromJson(statusJson);
  std::vector<StatementLine> lines;
  if (status.collection != "account") return lines;
  for (const auto& l : status.revenueLines) {
    if (l.collected_at_sale) continue;
    lines.push_back({l.tax, l.item.value_or(0), l.base, l.rate, l.amount, l.currency, l.why});
  }
  return lines;
}

StatementBook::StatementBook(const config::HubConfig& config) : paymentDueDays_(config.accounts.payment_due_days) {
  for (const auto& partner : config.partners) {
    if (!partner.account.empty()) holders_[partner.account] = partner.id;
  }
  try {
    zone_ = TimeZone::load(config.accounts.time_zone);
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(sdk::Errors{{"hub.accounts.time_zone", e.what()}});
  }
}

const std::string* StatementBook::holderOf(const std::string& account) const {
  auto it = holders_.find(account);
  return it == holders_.end() ? nullptr : &it->second;
}

Statement StatementBook::build(journal::Journal& journal, const std::string& account, const Period& period,
                               bool adjustments, const std::string& issuedAt) const {
  const std::string& holder = holders_.at(account);
  const Bounds bounds = boundsOf(period, zone_);
  Statement s;
  s.id = statementId(account, period.toString());
  s.account = account;
  s.holder = holder;
  s.period = period.toString();
  s.issued = !issuedAt.empty();
  s.issuedAt = issuedAt;
  s.timeZone = zone_.name();
  s.from = common::rfc3339(bounds.from);
  s.to = common::rfc3339(bounds.to);
  s.paymentDue = paymentDueDate(period, paymentDueDays_);
  journal.forEachCaseReleased(holder, s.from, s.to, [&](const journal::ReleasedCase& released) {
    if (!chargedTo(released, account)) return true;
    // Accounted already (the time zone changed since that statement was issued): never twice.
    if (!released.statement_id.empty()) return true;
    const auto links = journal.linksOf(released.case_id);
    if (closesPeriod(links)) return true;  // a final supplementary reports: it is charged nothing
    StatementEntry entry{released.case_id, released.reference, released.released_at, {}, completedBy(links)};
    if (!entry.completes.empty()) {
      // A supplementary declaration: its lines replace those of the cases it completes, each
      // difference an adjustment of what the completed cases were (or will be) accounted.
      const std::string corrects = journal.statementOfCase(entry.completes.front());
      const auto was = sumByKey(completedLines(journal, entry.completes));
      const auto is = sumByKey(chargedLines(released.status_json));
      std::set<LineKey> keys;
      for (const auto& [key, _] : was) keys.insert(key);
      for (const auto& [key, _] : is) keys.insert(key);
      for (const auto& key : keys) {
        const Decimal before = was.count(key) ? was.at(key) : Decimal();
        const Decimal now = is.count(key) ? is.at(key) : Decimal();
        if (before == now) continue;
        s.adjustments.push_back({released.case_id, released.reference, corrects.empty() ? s.id : corrects,
                                 std::get<0>(key), std::get<1>(key), std::get<2>(key), before, now, now - before,
                                 entry.completes.front(), "supplementary declaration " + released.case_id});
      }
    } else {
      entry.lines = chargedLines(released.status_json);
      // A proven return before the case was accounted: the credit beside its item, on this statement.
      for (const auto& credit : creditLines(released.status_json)) {
        Decimal line;
        for (const auto& l : entry.lines) {
          if (l.tax == credit.tax && l.item == credit.item && l.currency == credit.currency) line = line + l.amount;
        }
        s.adjustments.push_back({released.case_id, released.reference, s.id, credit.tax, credit.item, credit.currency,
                                 line, line + credit.amount, credit.amount, "", credit.why});
      }
    }
    s.entries.push_back(std::move(entry));
    return true;
  });
  if (adjustments) {
    // What earlier statements accounted for each case that changed since, against its lines now.
    std::map<std::string, std::vector<journal::StatementLineRecord>> byCase;
    for (auto& line : journal.linesOfChangedCases(account)) byCase[line.case_id].push_back(std::move(line));
    for (const auto& [caseId, lines] : byCase) {
      std::map<LineKey, Decimal> accounted;
      std::string corrects;
      for (const auto& l : lines) {
        if (l.kind == "item" && corrects.empty()) corrects = l.statement_id;
        const LineKey key{l.tax, l.item, l.currency};
        accounted[key] = accounted[key] + Decimal::parse(l.amount).value_or(Decimal());
      }
      const auto record = journal.getCase(caseId);
      if (!record) continue;
      const auto now = sumByKey(netCharged(journal, caseId, record->status_json));
      std::set<LineKey> keys;
      for (const auto& [key, _] : accounted) keys.insert(key);
      for (const auto& [key, _] : now) keys.insert(key);
      for (const auto& key : keys) {
        const Decimal was = accounted.count(key) ? accounted.at(key) : Decimal();
        const Decimal is = now.count(key) ? now.at(key) : Decimal();
        if (was == is) continue;
        s.adjustments.push_back({caseId, record->reference, corrects, std::get<0>(key), std::get<1>(key),
                                 std::get<2>(key), was, is, is - was, "", changeWhy(*record)});
      }
    }
  }
  s.computeTotals();
  return s;
}

StatementBook::Outcome StatementBook::issue(journal::Journal& journal, const std::string& account,
                                            const Period& period, bool adjustments, Instant now) const {
  Outcome out;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (auto stored = journal.statement(account, period.toString())) {
      out.json = std::move(stored->body);
      return out;
    }
    // Stamped before anything is read: a case that changes after it was read is newer than the
    // statement, so the next statement compares it again.
    const std::string issuedAt = common::rfc3339(now);
    const Statement s = build(journal, account, period, adjustments, issuedAt);
    const auto committed = journal.issueStatement(recordOf(s));
    using Status = journal::CommitResult::Status;
    if (committed.status == Status::Committed) {
      out.json = toJson(s);
      out.built = s;
      return out;
    }
    if (committed.status == Status::Duplicate || committed.status == Status::Invalid) continue;  // read the winner
    out.status = Outcome::Status::Unavailable;
    out.error = committed.error.empty() ? "the journal cannot write" : committed.error;
    return out;
  }
  out.status = Outcome::Status::Unavailable;
  out.error = "statement " + statementId(account, period.toString()) + " could not be issued; try again";
  return out;
}

StatementBook::Outcome StatementBook::statementFor(journal::Journal& journal, const std::string& account,
                                                   const Period& period, Instant now) const {
  if (auto stored = journal.statement(account, period.toString())) {
    Outcome out;
    out.json = std::move(stored->body);
    return out;
  }
  // Statements are issued in order: every closed period since the last one issued (or since the
  // holder's first release) first, so that an adjustment lands on the earliest statement issued
  // after the change.
  // Never before the holder's first release: a statement asked for a month long before it (empty)
  // makes no run of empty statements after it.
  const std::string latestText = journal.latestStatementPeriod(account);
  std::optional<Period> next;
  if (const std::string first = journal.firstRelease(holders_.at(account)); !first.empty()) {
    if (auto at = common::parseRfc3339Utc(first)) next = periodOf(*at, zone_);
  }
  if (!latestText.empty()) {
    const Period afterLatest = Period::parse(latestText).value().next();
    if (!next || *next < afterLatest) next = afterLatest;
  }
  constexpr int kMaxCatchUp = 1200;  // a hundred years of months: a bound, never reached in practice
  for (int n = 0; next && *next < period && closed(*next, zone_, now) && n < kMaxCatchUp; ++n, next = next->next()) {
    Outcome earlier = issue(journal, account, *next, true, now);
    if (earlier.status != Outcome::Status::Ok) return earlier;
  }
  // A period before the latest issued one that was never issued (before the first release) has
  // items only: its adjustments went to the statements issued after the change.
  const bool inOrder = latestText.empty() || period.toString() > latestText;
  if (closed(period, zone_, now)) return issue(journal, account, period, inOrder, now);
  Outcome draft;
  draft.built = build(journal, account, period, true, "");
  draft.json = toJson(*draft.built);
  return draft;
}

}  // namespace swhub::accounts
