#include "risk_engine.hpp"

#include <algorithm>
#include <iterator>
#include <optional>
#include <utility>

#include "risk_support.hpp"

namespace swhub::plugins::customs {

namespace {

// A condition holds, does not, or cannot be judged from the filing (no expected arrival).
enum class Truth { No, Yes, Unknown };

Truth both(Truth a, Truth b) {
  if (a == Truth::No || b == Truth::No) return Truth::No;
  return a == Truth::Unknown || b == Truth::Unknown ? Truth::Unknown : Truth::Yes;
}

struct Judgement {
  Truth truth = Truth::Yes;
  std::vector<std::string> seen;  // what was seen, for the reason's detail
  std::string unknown;            // why it could not be judged

  void add(Truth t, std::string what) {
    truth = both(truth, t);
    if (t == Truth::Yes && !what.empty()) seen.push_back(std::move(what));
    if (t == Truth::Unknown && unknown.empty()) unknown = std::move(what);
  }
};

std::string roleName(unsigned role) { return role == kSeller ? "seller" : "buyer"; }

// "4h", "1h30m", "25m": a span of minutes as people write it.
std::string span(std::int64_t ms) {
  const std::int64_t minutes = ms / 60'000;
  std::string out;
  if (minutes >= 60) out += std::to_string(minutes / 60) + "h";
  if (minutes % 60 != 0 || minutes < 60) out += std::to_string(minutes % 60) + "m";
  return out;
}

class Evaluation {
 public:
  Evaluation(const RiskSettings& s, const Settings& revenue, const sdk::AssessmentRequest& request, Date day)
      : s_(s), revenue_(revenue), r_(request), c_(request.consignment), day_(day) {}

  RiskOutcome run() {
    RiskOutcome out;
    int sum = 0;
    for (const Profile& p : s_.profiles) {
      Judgement j = judge(p.when);
      if (j.truth == Truth::Yes) {
        std::string detail = p.reason;
        for (std::size_t i = 0; i < j.seen.size(); ++i) detail += (i == 0 ? " (" : "; ") + j.seen[i];
        if (!j.seen.empty()) detail += ")";
        out.reasons.push_back({p.reason_code, p.weight, std::move(detail)});
        sum += p.weight;
      } else if (j.truth == Truth::Unknown) {
        out.reasons.push_back({kNotAssessedCode, 0, "profile '" + p.name + "' not assessed: " + j.unknown});
      }
    }
    if (auto trusted = trustedParty()) {
      out.reasons.push_back({kTrustedCode, s_.trusted_weight, "trusted trader: " + *trusted});
      sum += s_.trusted_weight;
    }
    out.score = std::max(sum, 0);
    if (s_.random_rate && !c_.case_id.empty() && randomlySelected(s_.random_seed, c_.case_id, *s_.random_rate)) {
      // Recorded as its own reason, adding what brings the case to inspection.
      const int added = std::max(s_.thresholds.inspect - out.score, 0);
      out.reasons.push_back({kRandomCode, added, "selected at random for compliance measurement (rate " +
                                                     s_.random_rate->toString() + ")"});
      out.score += added;
    }
    out.level = level(out.score);
    return out;
  }

 private:
  RiskLevel level(int score) const {
    const auto& t = s_.thresholds;
    if (t.do_not_load && score >= *t.do_not_load && c_.filing == sdk::FilingKind::PreLoading) {
      return RiskLevel::DoNotLoad;
    }
    if (score >= t.hold) return RiskLevel::Hold;
    if (score >= t.inspect) return RiskLevel::Inspect;
    return RiskLevel::Clear;
  }

  Judgement judge(const RiskConditions& w) const {
    Judgement j;
    const sdk::Transport& t = c_.transport;
    if (w.filings && !w.filings->test(static_cast<std::size_t>(c_.filing))) return {Truth::No, {}, {}};
    if (!w.departures.empty()) j.add(w.departures.contains(t.departure) ? Truth::Yes : Truth::No, "from " + t.departure);
    if (!w.destinations.empty()) j.add(w.destinations.contains(t.destination) ? Truth::Yes : Truth::No, "to " + t.destination);
    if (w.transport_modes) {
      const bool in = t.mode && w.transport_modes->test(static_cast<std::size_t>(*t.mode));
      j.add(in ? Truth::Yes : Truth::No, in ? "by " + std::string(sdk::toString(*t.mode)) : "");
    }
    if (j.truth == Truth::No) return j;
    if (!w.watchlists.empty()) watchlisted(w, j);
    if (w.new_party != 0) newParty(w.new_party, j);
    if (w.held_before) heldBefore(*w.held_before, j);
    if (w.late_filing) late(j);
    if (j.truth == Truth::No || !w.hasItemConditions()) return j;
    items(w, j);
    return j;
  }

  // Item conditions hold on one same item; every item on which they do is named.
  void items(const RiskConditions& w, Judgement& j) const {
    Judgement best{Truth::No, {}, {}};
    for (const sdk::Item& item : c_.items) {
      Judgement one = itemJudgement(w, item);
      if (one.truth == Truth::Yes) {
        best.truth = Truth::Yes;
        best.seen.insert(best.seen.end(), std::make_move_iterator(one.seen.begin()), std::make_move_iterator(one.seen.end()));
      } else if (one.truth == Truth::Unknown && best.truth == Truth::No) {
        best = std::move(one);
      }
    }
    if (best.truth == Truth::Yes) j.seen.insert(j.seen.end(), best.seen.begin(), best.seen.end());
    j.truth = both(j.truth, best.truth);
    if (best.truth == Truth::Unknown && j.unknown.empty()) j.unknown = best.unknown;
  }

  Judgement itemJudgement(const RiskConditions& w, const sdk::Item& item) const {
    Judgement j;
    const std::string name = "item " + std::to_string(item.sequence);
    if (!w.hs_prefixes.empty() &&
        std::none_of(w.hs_prefixes.begin(), w.hs_prefixes.end(), [&](const std::string& p) { return item.hs.starts_with(p); })) {
      return {Truth::No, {}, {}};
    }
    if (!w.origins.empty() && !w.origins.contains(item.origin)) return {Truth::No, {}, {}};
    if (w.natures && !w.natures->test(static_cast<std::size_t>(item.nature))) return {Truth::No, {}, {}};
    std::vector<std::string> facts;
    if (w.vague_description) {
      if (!isVague(item.description, s_.vague)) return {Truth::No, {}, {}};
      facts.push_back("description '" + item.description + "' is vague");
    }
    if (w.documents_missing && !documentsMissing(item, facts)) return {Truth::No, {}, {}};
    if (w.below_value_norm) {
      const Truth t = belowNorm(item, facts, j.unknown);
      if (t != Truth::Yes) return {t, {}, j.unknown.empty() ? std::string() : name + ": " + j.unknown};
    }
    std::string seen = name + " (" + item.hs + (item.origin.empty() ? "" : ", origin " + item.origin) + ")";
    for (const std::string& f : facts) seen += ": " + f;
    j.seen.push_back(std::move(seen));
    return j;
  }

  bool documentsMissing(const sdk::Item& item, std::vector<std::string>& facts) const {
    std::vector<std::string> missing;
    for (const RequiredDocuments& r : s_.required_documents) {
      if (!item.hs.starts_with(r.hs_prefix)) continue;
      for (const std::string& type : r.types) {
        const bool has = std::any_of(item.documents.begin(), item.documents.end(),
                                     [&](const sdk::Document& d) { return d.type == type; });
        if (!has && std::find(missing.begin(), missing.end(), type) == missing.end()) missing.push_back(type);
      }
    }
    if (missing.empty()) return false;
    std::string fact = "lacks";
    for (std::size_t i = 0; i < missing.size(); ++i) fact += (i == 0 ? " " : ", ") + missing[i];
    facts.push_back(std::move(fact));
    return true;
  }

  // The rate in force on the day: the latest table on or before it that lists the currency.
  std::optional<sdk::Decimal> local(const Money& m) const {
    if (m.currency == revenue_.currency) return revenue_.rounding.apply(m.amount);
    auto byCurrency = revenue_.rates.find(m.currency);
    if (byCurrency == revenue_.rates.end()) return std::nullopt;
    auto it = byCurrency->second.upper_bound(day_);
    if (it == byCurrency->second.begin()) return std::nullopt;
    return convert(m.amount, std::prev(it)->second, revenue_.rounding);
  }

  Truth belowNorm(const sdk::Item& item, std::vector<std::string>& facts, std::string& unknown) const {
    const auto norm = std::find_if(s_.value_norms.begin(), s_.value_norms.end(),
                                   [&](const ValueNorm& n) { return item.hs.starts_with(n.hs_prefix); });
    if (norm == s_.value_norms.end()) return Truth::No;
    // No weight, no value per kg: the condition is not met (README.md).
    const std::optional<double> kg = item.net_kg ? item.net_kg : item.gross_kg;
    const std::optional<sdk::Decimal> weight = kg ? sdk::Decimal::fromDouble(*kg) : std::nullopt;
    if (!weight || !(*weight > sdk::Decimal())) return Truth::No;
    const auto value = local(Money{item.value, item.currency});
    const auto minimum = local(norm->min_per_kg);
    if (!value || !minimum) {
      unknown = "no exchange rate on " + day_.toString() + " to compare its value with the norm";
      return Truth::Unknown;
    }
    // value / kg < minimum, exactly: all three in 1/10000.
    if (!(static_cast<__int128>(value->units()) * sdk::Decimal::kScale <
          static_cast<__int128>(minimum->units()) * weight->units())) {
      return Truth::No;
    }
    facts.push_back(value->toString() + " " + revenue_.currency + " for " + weight->toString() + " kg, below " +
                    minimum->toString() + " " + revenue_.currency + " per kg" +
                    (norm->name.empty() ? "" : " (" + norm->name + ")"));
    return Truth::Yes;
  }

  const sdk::Party* party(unsigned role) const {
    const auto& p = role == kSeller ? c_.parties.seller : c_.parties.buyer;
    return p && !p->id.empty() ? &*p : nullptr;
  }

  const sdk::PartyProfile* profile(unsigned role) const {
    const std::string name = roleName(role);
    for (const sdk::PartyProfile& p : r_.parties) {
      if (p.role == name) return &p;
    }
    return nullptr;
  }

  void watchlisted(const RiskConditions& w, Judgement& j) const {
    std::vector<std::string> seen;
    for (const unsigned role : {kSeller, kBuyer}) {
      const sdk::Party* p = party(role);
      if (p == nullptr) continue;
      for (const std::size_t index : w.watchlists) {
        const Watchlist& list = s_.watchlists[index];
        if (std::binary_search(list.ids.begin(), list.ids.end(), p->id)) {
          seen.push_back(roleName(role) + " " + p->id + " is on watchlist '" + list.name + "'");
        }
      }
    }
    if (seen.empty()) return j.add(Truth::No, "");
    for (std::string& s : seen) j.add(Truth::Yes, std::move(s));
  }

  void newParty(unsigned roles, Judgement& j) const {
    std::vector<std::string> seen;
    for (const unsigned role : {kSeller, kBuyer}) {
      const sdk::PartyProfile* p = (roles & role) != 0 ? profile(role) : nullptr;
      if (p != nullptr && p->cases_seen == 0) seen.push_back(roleName(role) + " " + p->id + " never seen before");
    }
    if (seen.empty()) return j.add(Truth::No, "");
    for (std::string& s : seen) j.add(Truth::Yes, std::move(s));
  }

  void heldBefore(const HeldBefore& h, Judgement& j) const {
    std::vector<std::string> seen;
    for (const unsigned role : {kSeller, kBuyer}) {
      const sdk::PartyProfile* p = (h.roles & role) != 0 ? profile(role) : nullptr;
      if (p == nullptr || p->cases_held < h.at_least) continue;
      // cases_held / cases_seen >= share, exactly: the share is in 1/10000.
      if (h.share_at_least && !(p->cases_seen > 0 && static_cast<__int128>(p->cases_held) * sdk::Decimal::kScale >=
                                                         static_cast<__int128>(h.share_at_least->units()) * p->cases_seen)) {
        continue;
      }
      seen.push_back(roleName(role) + " " + p->id + " held in " + std::to_string(p->cases_held) + " of " +
                     std::to_string(p->cases_seen) + " earlier cases");
    }
    if (seen.empty()) return j.add(Truth::No, "");
    for (std::string& s : seen) j.add(Truth::Yes, std::move(s));
  }

  // ICS2 style: the filing is due `deadline` before the expected arrival; exactly then is in time.
  void late(Judgement& j) const {
    const sdk::Transport& t = c_.transport;
    if (!t.mode) return j.add(Truth::Unknown, "no transport mode (transport.mode)");
    const auto& deadline = s_.deadline_ms[static_cast<std::size_t>(*t.mode)];
    if (!deadline) return j.add(Truth::No, "");
    const auto arrival = utcMillis(t.arrival);
    if (!arrival) return j.add(Truth::Unknown, "no expected arrival (transport.arrival)");
    const auto received = utcMillis(r_.received_at);
    if (!received) return j.add(Truth::Unknown, "no time of receipt");
    if (*received <= *arrival - *deadline) return j.add(Truth::No, "");
    const std::string mode(sdk::toString(*t.mode));
    const std::string when = *received <= *arrival ? span(*arrival - *received) + " before the expected arrival"
                                                   : span(*received - *arrival) + " after the expected arrival";
    j.add(Truth::Yes, "filed " + when + "; due " + span(*deadline) + " before by " + mode);
  }

  // The first trusted seller or buyer ("seller PT-AEO-1"), when trusted traders are configured.
  std::optional<std::string> trustedParty() const {
    if (s_.trusted_weight == 0) return std::nullopt;
    for (const unsigned role : {kSeller, kBuyer}) {
      const sdk::Party* p = party(role);
      if (p != nullptr && std::binary_search(s_.trusted_ids.begin(), s_.trusted_ids.end(), p->id)) {
        return roleName(role) + " " + p->id + " is listed as trusted";
      }
      const sdk::PartyProfile* profiled = profile(role);
      if (profiled != nullptr && profiled->trusted) return roleName(role) + " " + profiled->id + " is marked trusted by the hub";
    }
    return std::nullopt;
  }

  const RiskSettings& s_;
  const Settings& revenue_;
  const sdk::AssessmentRequest& r_;
  const sdk::Consignment& c_;
  Date day_;
};

}  // namespace

RiskOutcome RiskEngine::assess(const sdk::AssessmentRequest& request, const Settings& revenue, Date day) const {
  return Evaluation(settings_, revenue, request, day).run();
}

}  // namespace swhub::plugins::customs
