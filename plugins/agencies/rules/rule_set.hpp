#pragma once
// The rules of one agency, compiled once from its validated settings into plain values that
// assess() only reads: no string parsing, no map lookups by key on the message path.

#include <bitset>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "swhub/sdk/model.hpp"
#include "swhub/sdk/plugin.hpp"
#include "swhub/sdk/status.hpp"
#include "swhub/sdk/value.hpp"

namespace swhub::plugins::rules {

// ISO 3166-1 alpha-2 codes as a bit set indexed by their two letters: membership is one test.
class CountrySet {
 public:
  void insert(const std::string& code);
  bool contains(const std::string& code) const;
  bool empty() const { return bits_.none(); }
  bool intersects(const CountrySet& other) const { return (bits_ & other.bits_).any(); }

 private:
  std::bitset<26 * 26> bits_;
};

// Every condition of a rule's `when`; an absent one holds. Lists match when the item's value is
// one of them (hs_prefix: starts with one of them).
struct Conditions {
  std::vector<std::string> hs_prefixes;
  CountrySet origins;
  CountrySet not_origins;
  std::optional<sdk::Decimal> value_above;
  std::optional<sdk::Decimal> value_at_most;
  std::optional<double> weight_above_kg;
  std::optional<std::bitset<8>> natures;  // indexed by sdk::Nature
  std::vector<std::string> partners;      // sorted
  std::vector<std::string> seller_ids;    // sorted
  std::vector<std::string> documents_missing;  // holds when at least one is absent
  std::vector<std::string> documents_present;  // holds when every one is present
  std::optional<std::bitset<8>> filings;  // indexed by sdk::FilingKind

  bool holds(const sdk::Consignment& consignment, const sdk::Item& item) const;
};

// A distinct (decision, reason): every item it applies to becomes one sdk::Decision.
struct Outcome {
  std::string decision;
  std::string reason;
};

struct Rule {
  std::string name;
  Conditions when;
  std::size_t outcome = 0;  // index into RuleSet::outcomes
  std::string reason_code;  // "" when none
};

// Immutable after compile(): safe to read from any number of threads.
class RuleSet {
 public:
  // Compiles validated settings; semantic errors name their dotted path under `path`.
  static sdk::Result<RuleSet> compile(const sdk::Value& settings, const std::string& path);

  // Decides every item of `consignment` (the hub passes only those this agency decides on).
  sdk::Assessment assess(const sdk::Consignment& consignment) const;

 private:
  std::vector<Outcome> outcomes_;  // in order of first appearance: rules, then the default
  std::vector<Rule> rules_;        // evaluated in order; the first that holds decides
  Rule default_;                   // no conditions
};

}  // namespace swhub::plugins::rules
