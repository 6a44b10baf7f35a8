#include "risk_settings.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <utility>

#include "settings_compiler.hpp"
#include "swhub/sdk/validate.hpp"

namespace swhub::plugins::customs {

namespace {

int letterIndex(char c) { return c >= 'A' && c <= 'Z' ? c - 'A' : -1; }

bool isTwoLetters(const std::string& code) {
  return code.size() == 2 && letterIndex(code[0]) >= 0 && letterIndex(code[1]) >= 0;
}

}  // namespace

void CountrySet::insert(const std::string& code) {
  if (!isTwoLetters(code)) return;
  bits_.set(static_cast<std::size_t>(letterIndex(code[0]) * 26 + letterIndex(code[1])));
}

bool CountrySet::contains(const std::string& code) const {
  if (!isTwoLetters(code)) return false;
  return bits_.test(static_cast<std::size_t>(letterIndex(code[0]) * 26 + letterIndex(code[1])));
}

const std::vector<std::string>& defaultVagueWords() {
  static const std::vector<std::string> words = {"accessories", "gift", "gifts", "goods", "parts", "sample", "samples"};
  return words;
}

const std::vector<std::string>& defaultIgnoredWords() {
  static const std::vector<std::string> words = {"a", "an", "and", "for", "of", "or", "the", "with"};
  return words;
}

std::optional<std::int64_t> parseDuration(const std::string& text) {
  if (text.size() < 2 || text.size() > 8) return std::nullopt;
  const char unit = text.back();
  const std::int64_t unitMs = unit == 'm' ? 60'000 : unit == 'h' ? 3'600'000 : unit == 'd' ? 86'400'000 : 0;
  if (unitMs == 0) return std::nullopt;
  std::int64_t count = 0;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    count = count * 10 + (text[i] - '0');
  }
  return count * unitMs;
}

namespace {

const sdk::Value kEmptyMap = sdk::Value::map();

class Compiler : public SettingsCompiler {
 public:
  Compiler(std::string path, const Settings* revenue) : SettingsCompiler(std::move(path)), revenue_(revenue) {}

  static bool flag(const sdk::Value& node, const char* key) {
    const sdk::Value& v = get(node, key);
    return v.type() == sdk::ValueType::Bool && v.asBool();
  }

  std::string hsPrefix(const sdk::Value& v, const std::string& path) {
    const std::string& prefix = v.asString();
    const bool digits = prefix.size() >= 2 && prefix.size() <= 10 &&
                        std::all_of(prefix.begin(), prefix.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (!digits) {
      fail(path, "'" + prefix + "' is not an HS prefix: 2 to 10 digits expected");
      return prefix;
    }
    // isHsCode() knows the chapters; pad the prefix to a full code to ask it.
    std::string padded = prefix;
    if (padded.size() < 6) padded.append(6 - padded.size(), '0');
    if (!sdk::isHsCode(padded)) {
      fail(path, "'" + prefix + "' is not an HS prefix: chapter " + prefix.substr(0, 2) +
                     " is not an HS chapter (01 to 97, 77 reserved)");
    }
    return prefix;
  }

  // A decimal between 0 and 1 (a share or a rate); `aboveZero` refuses 0 too.
  std::optional<sdk::Decimal> share(const sdk::Value& v, const std::string& path, bool aboveZero) {
    auto parsed = sdk::Decimal::parse(v.asString());
    const sdk::Decimal one = sdk::Decimal::fromUnits(sdk::Decimal::kScale);
    if (!parsed || *parsed < sdk::Decimal() || *parsed > one || (aboveZero && *parsed == sdk::Decimal())) {
      fail(path, "'" + v.asString() + "' is not a share: a decimal " + (aboveZero ? "above 0" : "from 0") +
                     " to 1 with at most 4 fraction digits expected");
      return std::nullopt;
    }
    return parsed;
  }

  void countries(const sdk::Value& when, const char* key, const std::string& base, CountrySet& into) {
    const sdk::Value& items = list(when, key);
    for (std::size_t i = 0; i < items.items().size(); ++i) {
      const std::string& code = items.items()[i].asString();
      if (sdk::isCountryCode(code)) into.insert(code);
      else fail(base + "." + key + "[" + std::to_string(i) + "]", "'" + code + "' is not an ISO 3166-1 alpha-2 country code");
    }
  }

  template <class Parse>
  std::optional<std::bitset<8>> closedSet(const sdk::Value& when, const char* key, Parse parse) {
    const sdk::Value* v = when.find(key);
    if (v == nullptr) return std::nullopt;
    std::bitset<8> bits;
    // The schema has refused every other spelling.
    for (const sdk::Value& item : v->items()) {
      if (auto parsed = parse(item.asString())) bits.set(static_cast<std::size_t>(*parsed));
    }
    return bits;
  }

  static unsigned roles(const sdk::Value& list, unsigned fallback) {
    if (!list.isList()) return fallback;
    unsigned bits = 0;
    for (const sdk::Value& item : list.items()) bits |= item.asString() == "seller" ? kSeller : kBuyer;
    return bits;
  }

  // A reason code as the hub carries it (joined by commas in notifications, a DMS StatementCode):
  // 1 to 64 letters, digits, '-', '_' or '.'; the same rule as the agency decision API.
  std::string reasonCode(const sdk::Value& node, const std::string& base) {
    std::string code = get(node, "reason_code").asString();
    const bool ok = !code.empty() && code.size() <= 64 && std::all_of(code.begin(), code.end(), [](unsigned char c) {
                      return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.';
                    });
    if (!ok) fail(base + ".reason_code", "'" + code + "' is not a reason code: 1 to 64 letters, digits, '-', '_' or '.'");
    return code;
  }

  // Every amount in a foreign currency needs an exchange rate (once the revenue compiled).
  void checkRate(const std::string& currency, const std::string& path) {
    if (revenue_ == nullptr || currency == revenue_->currency || !sdk::isCurrencyCode(currency)) return;
    if (revenue_->rates.find(currency) == revenue_->rates.end()) {
      fail(path, "no exchange rate for " + currency + " in currency_rates (the jurisdiction's currency is " +
                     revenue_->currency + ")");
    }
  }

 private:
  const Settings* revenue_;
};

std::vector<std::string> lowerSorted(const sdk::Value& items, const std::vector<std::string>& fallback) {
  if (!items.isList()) return fallback;
  std::vector<std::string> out;
  for (const sdk::Value& item : items.items()) {
    std::string word = item.asString();
    for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.push_back(std::move(word));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void compileThresholds(Compiler& c, const sdk::Value& node, RiskSettings& s) {
  s.thresholds.inspect = static_cast<int>(Compiler::get(node, "inspect").asInt());
  s.thresholds.hold = static_cast<int>(Compiler::get(node, "hold").asInt());
  if (s.thresholds.hold <= s.thresholds.inspect) {
    c.fail("thresholds.hold", std::to_string(s.thresholds.hold) + " is not above inspect " +
                                  std::to_string(s.thresholds.inspect));
  }
  const sdk::Value& dnl = Compiler::get(node, "do_not_load");
  if (dnl.isNull()) return;
  s.thresholds.do_not_load = static_cast<int>(dnl.asInt());
  if (*s.thresholds.do_not_load < s.thresholds.hold) {
    c.fail("thresholds.do_not_load", std::to_string(*s.thresholds.do_not_load) + " is below hold " +
                                         std::to_string(s.thresholds.hold));
  }
}

void compileTables(Compiler& c, const sdk::Value& risk, RiskSettings& s) {
  const sdk::Value& norms = Compiler::list(risk, "value_norms");
  for (std::size_t i = 0; i < norms.items().size(); ++i) {
    const sdk::Value& node = norms.items()[i];
    const std::string base = "value_norms[" + std::to_string(i) + "]";
    ValueNorm norm;
    norm.hs_prefix = c.hsPrefix(Compiler::get(node, "hs_prefix"), base + ".hs_prefix");
    for (std::size_t j = 0; j < s.value_norms.size(); ++j) {
      if (s.value_norms[j].hs_prefix == norm.hs_prefix) {
        c.fail(base + ".hs_prefix", "'" + norm.hs_prefix + "' is also " + c.at("value_norms[" + std::to_string(j) + "]") +
                                        ".hs_prefix: one norm per prefix");
        break;
      }
    }
    const std::string& amount = Compiler::get(node, "min_per_kg").asString();
    auto parsed = sdk::Decimal::parse(amount);
    if (!parsed || !(*parsed > sdk::Decimal())) {
      c.fail(base + ".min_per_kg", "'" + amount + "' is not an amount above 0 with at most 4 fraction digits");
    }
    norm.min_per_kg = Money{parsed.value_or(sdk::Decimal()), Compiler::get(node, "currency").asString()};
    if (!sdk::isCurrencyCode(norm.min_per_kg.currency)) {
      c.fail(base + ".currency", "'" + norm.min_per_kg.currency + "' is not an ISO 4217 currency code");
    }
    c.checkRate(norm.min_per_kg.currency, base + ".currency");
    norm.name = Compiler::get(node, "name").asString();
    s.value_norms.push_back(std::move(norm));
  }
  // Longest prefix first: the first that matches is the norm of an item.
  std::stable_sort(s.value_norms.begin(), s.value_norms.end(),
                   [](const ValueNorm& a, const ValueNorm& b) { return a.hs_prefix.size() > b.hs_prefix.size(); });

  const sdk::Value& required = Compiler::list(risk, "required_documents");
  for (std::size_t i = 0; i < required.items().size(); ++i) {
    const sdk::Value& node = required.items()[i];
    const std::string base = "required_documents[" + std::to_string(i) + "]";
    RequiredDocuments r;
    r.hs_prefix = c.hsPrefix(Compiler::get(node, "hs_prefix"), base + ".hs_prefix");
    for (const sdk::Value& type : Compiler::list(node, "types").items()) r.types.push_back(type.asString());
    r.name = Compiler::get(node, "name").asString();
    s.required_documents.push_back(std::move(r));
  }

  const sdk::Value& vague = Compiler::get(risk, "vague_descriptions");
  s.vague.words = lowerSorted(Compiler::get(vague, "words"), defaultVagueWords());
  s.vague.ignore = lowerSorted(Compiler::get(vague, "ignore"), defaultIgnoredWords());
  if (const sdk::Value* share = vague.find("min_share")) {
    if (auto parsed = c.share(*share, "vague_descriptions.min_share", /*aboveZero=*/true)) s.vague.min_share = *parsed;
  }

  const sdk::Value& deadlines = Compiler::get(risk, "filing_deadlines");
  for (const auto& [mode, text] : deadlines.entries()) {
    auto parsedMode = sdk::parseTransportMode(mode);
    auto ms = parseDuration(text.asString());
    if (!ms) {
      c.fail("filing_deadlines." + mode,
             "'" + text.asString() + "' is not a duration: a whole number and m, h or d expected (30m, 4h, 1d)");
    }
    if (parsedMode && ms) s.deadline_ms[static_cast<std::size_t>(*parsedMode)] = *ms;
  }

  const sdk::Value& watchlists = Compiler::list(risk, "watchlists");
  for (std::size_t i = 0; i < watchlists.items().size(); ++i) {
    const sdk::Value& node = watchlists.items()[i];
    Watchlist w{Compiler::get(node, "name").asString(), {}};
    for (std::size_t j = 0; j < s.watchlists.size(); ++j) {
      if (s.watchlists[j].name == w.name) {
        c.fail("watchlists[" + std::to_string(i) + "].name",
               "watchlist name '" + w.name + "' is already used by watchlists[" + std::to_string(j) + "]");
        break;
      }
    }
    for (const sdk::Value& id : Compiler::list(node, "ids").items()) w.ids.push_back(id.asString());
    std::sort(w.ids.begin(), w.ids.end());
    s.watchlists.push_back(std::move(w));
  }

  const sdk::Value& trusted = Compiler::get(risk, "trusted");
  if (trusted.isMap()) {
    for (const sdk::Value& id : Compiler::list(trusted, "ids").items()) s.trusted_ids.push_back(id.asString());
    std::sort(s.trusted_ids.begin(), s.trusted_ids.end());
    s.trusted_weight = static_cast<int>(Compiler::get(trusted, "weight").asInt());
  }

  const sdk::Value& random = Compiler::get(risk, "random");
  if (random.isMap()) {
    s.random_rate = c.share(Compiler::get(random, "rate"), "random.rate", /*aboveZero=*/false);
    s.random_seed = Compiler::get(random, "seed").asString();
  }
}

RiskConditions compileWhen(Compiler& c, const sdk::Value& when, const std::string& base, const RiskSettings& s) {
  RiskConditions w;
  const sdk::Value& prefixes = Compiler::list(when, "hs_prefix");
  for (std::size_t i = 0; i < prefixes.items().size(); ++i) {
    w.hs_prefixes.push_back(c.hsPrefix(prefixes.items()[i], base + ".hs_prefix[" + std::to_string(i) + "]"));
  }
  c.countries(when, "origins", base, w.origins);
  c.countries(when, "departures", base, w.departures);
  c.countries(when, "destinations", base, w.destinations);
  w.natures = c.closedSet(when, "natures", sdk::parseNature);
  w.transport_modes = c.closedSet(when, "transport_modes", sdk::parseTransportMode);
  w.filings = c.closedSet(when, "filings", sdk::parseFilingKind);

  // A condition that reads a table nobody configured could never hold: say so at start.
  auto needs = [&](const char* key, bool configured, const char* table) {
    if (!Compiler::flag(when, key)) return false;
    if (!configured) c.fail(base + "." + key, std::string("needs ") + c.at(table) + ": none is configured");
    return true;
  };
  w.below_value_norm = needs("below_value_norm", !s.value_norms.empty(), "value_norms");
  w.documents_missing = needs("documents_missing", !s.required_documents.empty(), "required_documents");
  w.late_filing = needs("late_filing",
                        std::any_of(s.deadline_ms.begin(), s.deadline_ms.end(), [](const auto& d) { return d.has_value(); }),
                        "filing_deadlines");
  w.vague_description = Compiler::flag(when, "vague_description");

  // The schema has checked every name against the watchlists defined.
  for (const sdk::Value& name : Compiler::list(when, "on_watchlist").items()) {
    for (std::size_t i = 0; i < s.watchlists.size(); ++i) {
      if (s.watchlists[i].name == name.asString()) w.watchlists.push_back(i);
    }
  }
  w.new_party = Compiler::roles(Compiler::get(when, "new_party"), 0);
  const sdk::Value& held = Compiler::get(when, "held_before");
  if (held.isMap()) {
    HeldBefore h;
    h.roles = Compiler::roles(Compiler::get(held, "roles"), kSeller | kBuyer);
    if (const sdk::Value* n = held.find("at_least")) h.at_least = n->asInt();
    if (const sdk::Value* share = held.find("share_at_least")) {
      h.share_at_least = c.share(*share, base + ".held_before.share_at_least", /*aboveZero=*/true);
    }
    w.held_before = h;
  }
  return w;
}

bool anyCondition(const sdk::Value& when) {
  for (const auto& [key, value] : when.entries()) {
    // A boolean condition set to false is no condition.
    if (value.type() != sdk::ValueType::Bool || value.asBool()) return true;
  }
  return false;
}

void compileProfiles(Compiler& c, const sdk::Value& risk, RiskSettings& s) {
  const sdk::Value& profiles = Compiler::list(risk, "profiles");
  for (std::size_t i = 0; i < profiles.items().size(); ++i) {
    const sdk::Value& node = profiles.items()[i];
    const std::string base = "profiles[" + std::to_string(i) + "]";
    Profile p;
    p.name = Compiler::get(node, "name").asString();
    for (std::size_t j = 0; j < s.profiles.size(); ++j) {
      if (s.profiles[j].name == p.name) {
        c.fail(base + ".name", "profile name '" + p.name + "' is already used by profiles[" + std::to_string(j) + "]");
        break;
      }
    }
    const sdk::Value& when = Compiler::get(node, "when");
    if (!anyCondition(when)) {
      c.fail(base + ".when", "no condition: the profile would add its weight to every case");
    }
    p.when = compileWhen(c, when.isMap() ? when : kEmptyMap, base + ".when", s);
    p.weight = static_cast<int>(Compiler::get(node, "weight").asInt());
    p.reason_code = c.reasonCode(node, base);
    p.reason = Compiler::get(node, "reason").asString();
    s.profiles.push_back(std::move(p));
  }
}

}  // namespace

sdk::Result<RiskSettings> compileRisk(const sdk::Value& risk, const std::string& path, const Settings* revenue) {
  Compiler c(path, revenue);
  RiskSettings s;
  compileThresholds(c, Compiler::get(risk, "thresholds"), s);
  compileTables(c, risk, s);
  compileProfiles(c, risk, s);
  if (!c.errors().empty()) return std::move(c.errors());
  return s;
}

}  // namespace swhub::plugins::customs
