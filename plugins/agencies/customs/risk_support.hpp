#pragma once
// Pure helpers of the risk engine: the words of a description, RFC 3339 instants and the
// reproducible random selection. No state: safe from any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "risk_settings.hpp"
#include "swhub/sdk/model.hpp"

namespace swhub::plugins::customs {

// The words of a description: maximal runs of ASCII letters and digits and of non-ASCII bytes
// (UTF-8 letters), ASCII letters in lower case; a run of digits only is a number, not a word.
std::vector<std::string> wordsOf(std::string_view description);

// Vague (README.md "vague_descriptions"): once the ignored words are left out, no word remains,
// or at least `min_share` of the words are vague words.
bool isVague(std::string_view description, const VagueWords& vague);

// Milliseconds since 1970-01-01T00:00:00Z of an RFC 3339 UTC timestamp ("2026-11-29T08:00:00Z",
// an optional fraction of a second); nullopt when it is not one.
std::optional<std::int64_t> utcMillis(std::string_view text);

// 64 stable bits from the seed and the case id: FNV-1a over both (a zero byte between them),
// finished by SplitMix64. The same on every run, build and platform (never std::hash).
std::uint64_t selectionHash(std::string_view seed, std::string_view caseId);

// True when the case is drawn: selectionHash() mod 10000 below the rate in 1/10000.
bool randomlySelected(std::string_view seed, std::string_view caseId, sdk::Decimal rate);

}  // namespace swhub::plugins::customs
