#include "rule_set.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "swhub/sdk/validate.hpp"

namespace swhub::plugins::rules {

// ---------------------------------------------------------------- evaluation

namespace {

int letterIndex(char c) { return c >= 'A' && c <= 'Z' ? c - 'A' : -1; }

bool isSortedMember(const std::vector<std::string>& sorted, const std::string& value) {
  return std::binary_search(sorted.begin(), sorted.end(), value);
}

bool hasDocument(const sdk::Item& item, const std::string& type) {
  return std::any_of(item.documents.begin(), item.documents.end(),
                     [&](const sdk::Document& d) { return d.type == type; });
}

}  // namespace

void CountrySet::insert(const std::string& code) {
  if (code.size() != 2 || letterIndex(code[0]) < 0 || letterIndex(code[1]) < 0) return;
  bits_.set(static_cast<std::size_t>(letterIndex(code[0]) * 26 + letterIndex(code[1])));
}

bool CountrySet::contains(const std::string& code) const {
  if (code.size() != 2 || letterIndex(code[0]) < 0 || letterIndex(code[1]) < 0) return false;
  return bits_.test(static_cast<std::size_t>(letterIndex(code[0]) * 26 + letterIndex(code[1])));
}

bool Conditions::holds(const sdk::Consignment& consignment, const sdk::Item& item) const {
  if (filings && !filings->test(static_cast<std::size_t>(consignment.filing))) return false;
  if (!partners.empty() && !isSortedMember(partners, consignment.partner)) return false;
  if (!seller_ids.empty() &&
      (!consignment.parties.seller || !isSortedMember(seller_ids, consignment.parties.seller->id))) {
    return false;
  }
  if (natures && !natures->test(static_cast<std::size_t>(item.nature))) return false;
  if (!origins.empty() && !origins.contains(item.origin)) return false;
  if (!not_origins.empty() && not_origins.contains(item.origin)) return false;
  if (value_above && !(item.value > *value_above)) return false;
  if (value_at_most && !(item.value <= *value_at_most)) return false;
  if (weight_above_kg) {
    // An item without any weight is not known to exceed the threshold.
    const std::optional<double> kg = item.net_kg ? item.net_kg : item.gross_kg;
    if (!kg || !(*kg > *weight_above_kg)) return false;
  }
  if (!hs_prefixes.empty() &&
      std::none_of(hs_prefixes.begin(), hs_prefixes.end(),
                   [&](const std::string& prefix) { return item.hs.starts_with(prefix); })) {
    return false;
  }
  if (!documents_missing.empty() &&
      std::all_of(documents_missing.begin(), documents_missing.end(),
                  [&](const std::string& type) { return hasDocument(item, type); })) {
    return false;
  }
  if (!documents_present.empty() &&
      !std::all_of(documents_present.begin(), documents_present.end(),
                   [&](const std::string& type) { return hasDocument(item, type); })) {
    return false;
  }
  return true;
}

sdk::Assessment RuleSet::assess(const sdk::Consignment& consignment) const {
  sdk::Assessment assessment;
  if (consignment.items.empty()) {
    sdk::Decision decision{outcomes_[default_.outcome].decision, outcomes_[default_.outcome].reason, {}, {}, {}, {}, {}};
    if (!default_.reason_code.empty()) decision.reason_codes.push_back(default_.reason_code);
    assessment.decisions.push_back(std::move(decision));
    return assessment;
  }

  // The deciding rule of every item: rules_.size() stands for the default.
  std::vector<std::vector<int>> itemsByOutcome(outcomes_.size());
  std::vector<bool> ruleDecided(rules_.size() + 1, false);
  for (const sdk::Item& item : consignment.items) {
    std::size_t decider = rules_.size();
    for (std::size_t i = 0; i < rules_.size(); ++i) {
      if (rules_[i].when.holds(consignment, item)) {
        decider = i;
        break;
      }
    }
    const Rule& rule = decider < rules_.size() ? rules_[decider] : default_;
    itemsByOutcome[rule.outcome].push_back(item.sequence);
    ruleDecided[decider] = true;
  }

  for (std::size_t o = 0; o < outcomes_.size(); ++o) {
    std::vector<int>& items = itemsByOutcome[o];
    if (items.empty()) continue;
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    sdk::Decision decision{outcomes_[o].decision, outcomes_[o].reason, std::move(items), {}, {}, {}, {}};
    for (std::size_t r = 0; r <= rules_.size(); ++r) {
      const Rule& rule = r < rules_.size() ? rules_[r] : default_;
      if (!ruleDecided[r] || rule.outcome != o || rule.reason_code.empty()) continue;
      auto& codes = decision.reason_codes;
      if (std::find(codes.begin(), codes.end(), rule.reason_code) == codes.end()) codes.push_back(rule.reason_code);
    }
    assessment.decisions.push_back(std::move(decision));
  }
  return assessment;
}

// ---------------------------------------------------------------- compilation

namespace {

constexpr const char* kNeverMatches = ": the rule could never match";

class Compiler {
 public:
  explicit Compiler(std::string path) : path_(std::move(path)) {}

  sdk::Errors& errors() { return errors_; }

  std::string at(const std::string& relative) const { return path_.empty() ? relative : path_ + "." + relative; }

  void fail(const std::string& relative, std::string message) { errors_.push_back({at(relative), std::move(message)}); }

  // Each item of a list of strings, with its path relative to the settings.
  template <class Visit>
  void eachString(const sdk::Value& when, const char* key, const std::string& base, Visit visit) {
    const sdk::Value* list = when.find(key);
    if (list == nullptr) return;
    const std::string listPath = base + "." + key;
    for (std::size_t i = 0; i < list->items().size(); ++i) {
      visit(list->items()[i].asString(), listPath + "[" + std::to_string(i) + "]");
    }
  }

  std::optional<sdk::Decimal> amount(const sdk::Value& when, const char* key, const std::string& base) {
    const sdk::Value* v = when.find(key);
    if (v == nullptr) return std::nullopt;
    auto parsed = sdk::Decimal::parse(v->asString());
    if (!parsed) {
      fail(base + "." + key,
           "'" + v->asString() + "' is not a decimal amount: digits with at most 4 fraction digits expected");
    }
    return parsed;
  }

  Conditions conditions(const sdk::Value& when, const std::string& base) {
    Conditions c;
    eachString(when, "hs_prefix", base, [&](const std::string& prefix, const std::string& path) {
      const bool digits = prefix.size() >= 2 && prefix.size() <= 10 &&
                          std::all_of(prefix.begin(), prefix.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
      if (!digits) return fail(path, "'" + prefix + "' is not an HS prefix: 2 to 10 digits expected");
      // isHsCode() knows the chapters; pad the prefix to a full code to ask it.
      std::string padded = prefix;
      if (padded.size() < 6) padded.append(6 - padded.size(), '0');
      if (!sdk::isHsCode(padded)) {
        return fail(path, "'" + prefix + "' is not an HS prefix: chapter " + prefix.substr(0, 2) +
                              " is not an HS chapter (01 to 97, 77 reserved)");
      }
      if (std::find(c.hs_prefixes.begin(), c.hs_prefixes.end(), prefix) == c.hs_prefixes.end()) {
        c.hs_prefixes.push_back(prefix);
      }
    });
    countries(when, "origins", base, c.origins);
    countries(when, "not_origins", base, c.not_origins);
    if (c.origins.intersects(c.not_origins)) {
      eachString(when, "not_origins", base, [&](const std::string& code, const std::string& path) {
        if (c.origins.contains(code)) fail(path, "'" + code + "' is also in origins" + kNeverMatches);
      });
    }

    c.value_above = amount(when, "value_above", base);
    c.value_at_most = amount(when, "value_at_most", base);
    if (c.value_above && c.value_at_most && !(*c.value_at_most > *c.value_above)) {
      fail(base + ".value_at_most", c.value_at_most->toString() + " is not above value_above " +
                                        c.value_above->toString() + kNeverMatches);
    }
    if (const sdk::Value* v = when.find("weight_above_kg")) c.weight_above_kg = v->asDouble();

    if (when.find("natures") != nullptr) {
      c.natures.emplace();
      eachString(when, "natures", base, [&](const std::string& name, const std::string& path) {
        if (auto nature = sdk::parseNature(name)) c.natures->set(static_cast<std::size_t>(*nature));
        else fail(path, "'" + name + "' is not a nature; allowed: " + sdk::allowedNatures());
      });
    }
    if (when.find("filings") != nullptr) {
      c.filings.emplace();
      eachString(when, "filings", base, [&](const std::string& name, const std::string& path) {
        if (auto kind = sdk::parseFilingKind(name)) c.filings->set(static_cast<std::size_t>(*kind));
        else fail(path, "'" + name + "' is not a filing kind; allowed: " + sdk::allowedFilingKinds());
      });
    }

    c.partners = sortedSet(when, "partners", base);
    c.seller_ids = sortedSet(when, "seller_ids", base);
    c.documents_missing = sortedSet(when, "documents_missing", base);
    c.documents_present = sortedSet(when, "documents_present", base);
    eachString(when, "documents_present", base, [&](const std::string& type, const std::string& path) {
      if (isSortedMember(c.documents_missing, type)) {
        fail(path, "'" + type + "' is also in documents_missing" + kNeverMatches);
      }
    });
    return c;
  }

  std::size_t outcome(std::vector<Outcome>& outcomes, const sdk::Value& node) {
    Outcome wanted{stringAt(node, "decision"), stringAt(node, "reason")};
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      if (outcomes[i].decision == wanted.decision && outcomes[i].reason == wanted.reason) return i;
    }
    outcomes.push_back(std::move(wanted));
    return outcomes.size() - 1;
  }

  // A reason code as the hub carries it (joined by commas in notifications, a DMS StatementCode):
  // 1 to 64 letters, digits, '-', '_' or '.'; the same rule as the agency decision API.
  std::string reasonCode(const sdk::Value& node, const std::string& base) {
    std::string code = stringAt(node, "reason_code");
    const bool ok = code.size() <= 64 && std::all_of(code.begin(), code.end(), [](unsigned char c) {
                      return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.';
                    });
    if (!ok) fail(base + ".reason_code", "'" + code + "' is not a reason code: 1 to 64 letters, digits, '-', '_' or '.'");
    return ok ? code : std::string();
  }

  static std::string stringAt(const sdk::Value& node, const char* key) {
    const sdk::Value* v = node.find(key);
    return v != nullptr ? v->asString() : std::string();
  }

 private:
  void countries(const sdk::Value& when, const char* key, const std::string& base, CountrySet& into) {
    eachString(when, key, base, [&](const std::string& code, const std::string& path) {
      if (sdk::isCountryCode(code)) into.insert(code);
      else fail(path, "'" + code + "' is not an ISO 3166-1 alpha-2 country code");
    });
  }

  std::vector<std::string> sortedSet(const sdk::Value& when, const char* key, const std::string& base) {
    std::vector<std::string> out;
    eachString(when, key, base, [&](const std::string& value, const std::string&) { out.push_back(value); });
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  std::string path_;
  sdk::Errors errors_;
};

}  // namespace

sdk::Result<RuleSet> RuleSet::compile(const sdk::Value& settings, const std::string& path) {
  Compiler compiler(path);
  RuleSet set;
  static const sdk::Value kNoRules = sdk::Value::list();
  static const sdk::Value kAlways = sdk::Value::map();
  const sdk::Value* rules = settings.find("rules");
  if (rules == nullptr) rules = &kNoRules;

  std::optional<std::size_t> catchAll;  // the first rule without conditions
  for (std::size_t i = 0; i < rules->items().size(); ++i) {
    const sdk::Value& node = rules->items()[i];
    const std::string base = "rules[" + std::to_string(i) + "]";
    Rule rule;
    rule.name = Compiler::stringAt(node, "name");
    for (std::size_t j = 0; j < set.rules_.size(); ++j) {
      if (set.rules_[j].name == rule.name) {
        compiler.fail(base + ".name", "rule name '" + rule.name + "' is already used by rules[" + std::to_string(j) + "]");
        break;
      }
    }
    const sdk::Value* when = node.find("when");
    rule.when = compiler.conditions(when != nullptr ? *when : kAlways, base + ".when");
    if (catchAll) {
      compiler.fail(base, "rule '" + rule.name + "' could never match: rules[" + std::to_string(*catchAll) + "] ('" +
                              set.rules_[*catchAll].name + "') has no conditions and decides every item first");
    } else if (when == nullptr || when->entries().empty()) {
      // Judged from the settings: a condition that failed to compile is still a condition.
      catchAll = i;
    }
    rule.outcome = compiler.outcome(set.outcomes_, node);
    rule.reason_code = compiler.reasonCode(node, base);
    set.rules_.push_back(std::move(rule));
  }

  static const sdk::Value kNoDefault = sdk::Value::map();
  const sdk::Value* fallback = settings.find("default");
  if (fallback == nullptr) {
    compiler.fail("default", "required key missing: the decision for items that no rule matches");
    fallback = &kNoDefault;
  }
  set.default_.name = "default";
  set.default_.outcome = compiler.outcome(set.outcomes_, *fallback);
  set.default_.reason_code = compiler.reasonCode(*fallback, "default");

  if (!compiler.errors().empty()) return std::move(compiler.errors());
  return set;
}

}  // namespace swhub::plugins::rules
