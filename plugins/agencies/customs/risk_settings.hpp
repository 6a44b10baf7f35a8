#pragma once
// The risk settings of the customs agency (README.md "Risk management"), validated by
// riskSchema() and compiled once by compileRisk() into plain values that the risk engine only
// reads: no parsing and no lookups by name on the message path. Immutable: safe from any thread.

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "revenue_settings.hpp"
#include "swhub/sdk/model.hpp"
#include "swhub/sdk/schema.hpp"
#include "swhub/sdk/status.hpp"
#include "swhub/sdk/value.hpp"

namespace swhub::plugins::customs {

// ISO 3166-1 alpha-2 codes as a bit set indexed by their two letters: membership is one test.
class CountrySet {
 public:
  void insert(const std::string& code);
  bool contains(const std::string& code) const;
  bool empty() const { return bits_.none(); }

 private:
  std::bitset<26 * 26> bits_;
};

// The parties whose journal profile a condition reads (sdk::PartyProfile::role).
enum PartyRole : unsigned { kSeller = 1u, kBuyer = 2u };

struct HeldBefore {
  unsigned roles = kSeller | kBuyer;
  std::int64_t at_least = 1;                 // cases held or rejected, at least
  std::optional<sdk::Decimal> share_at_least;  // of the cases seen (0 to 1), at least
};

// A profile's `when`: every condition given must hold. Item conditions must hold on one same
// item; the others on the consignment.
struct RiskConditions {
  // item conditions
  std::vector<std::string> hs_prefixes;
  CountrySet origins;
  std::optional<std::bitset<8>> natures;  // indexed by sdk::Nature
  bool below_value_norm = false;
  bool vague_description = false;
  bool documents_missing = false;
  // consignment conditions
  CountrySet departures;
  CountrySet destinations;
  std::optional<std::bitset<8>> transport_modes;  // indexed by sdk::TransportMode
  std::optional<std::bitset<8>> filings;          // indexed by sdk::FilingKind
  std::vector<std::size_t> watchlists;            // indexes into RiskSettings::watchlists
  unsigned new_party = 0;                         // PartyRole bits
  std::optional<HeldBefore> held_before;
  bool late_filing = false;

  bool hasItemConditions() const {
    return !hs_prefixes.empty() || !origins.empty() || natures || below_value_norm || vague_description ||
           documents_missing;
  }
};

struct Profile {
  std::string name;
  RiskConditions when;
  int weight = 0;
  std::string reason_code;
  std::string reason;
};

// The lowest credible declared value per kg of an HS heading (longest prefix wins).
struct ValueNorm {
  std::string hs_prefix;
  Money min_per_kg;
  std::string name;
};

struct RequiredDocuments {
  std::string hs_prefix;
  std::vector<std::string> types;
  std::string name;
};

struct Watchlist {
  std::string name;
  std::vector<std::string> ids;  // sorted
};

struct VagueWords {
  std::vector<std::string> words;   // lower case, sorted
  std::vector<std::string> ignore;  // lower case, sorted
  sdk::Decimal min_share = sdk::Decimal::fromUnits(sdk::Decimal::kScale);  // 1: only vague words
};

struct Thresholds {
  int inspect = 0;
  int hold = 0;
  std::optional<int> do_not_load;  // absent: never do-not-load
};

struct RiskSettings {
  Thresholds thresholds;
  std::vector<Profile> profiles;
  std::vector<ValueNorm> value_norms;  // longest prefix first
  VagueWords vague;
  std::array<std::optional<std::int64_t>, 6> deadline_ms{};  // by sdk::TransportMode
  std::vector<RequiredDocuments> required_documents;
  std::vector<Watchlist> watchlists;
  std::vector<std::string> trusted_ids;  // sorted
  int trusted_weight = 0;                // 0: no trusted traders configured
  std::optional<sdk::Decimal> random_rate;  // 0 to 1
  std::string random_seed;
};

// The words a description is vague with when none are configured.
const std::vector<std::string>& defaultVagueWords();
const std::vector<std::string>& defaultIgnoredWords();

sdk::Schema riskSchema();

// Compiles risk settings that riskSchema() accepted; errors name their dotted path under `path`
// ("agencies.customs.settings.risk"). `revenue`, when it compiled, tells which currencies have
// an exchange rate (a value norm in another currency needs one).
sdk::Result<RiskSettings> compileRisk(const sdk::Value& risk, const std::string& path, const Settings* revenue);

// "4h", "30m", "1d" in milliseconds; nullopt when not a whole number followed by m, h or d.
std::optional<std::int64_t> parseDuration(const std::string& text);

}  // namespace swhub::plugins::customs
