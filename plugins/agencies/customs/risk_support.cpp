#include "risk_support.hpp"

#include <algorithm>
#include <chrono>

#include "swhub/sdk/validate.hpp"

namespace swhub::plugins::customs {

std::vector<std::string> wordsOf(std::string_view description) {
  std::vector<std::string> words;
  std::string current;
  bool letters = false;
  auto flush = [&] {
    if (!current.empty() && letters) words.push_back(current);
    current.clear();
    letters = false;
  };
  for (const char ch : description) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || (c >= 'a' && c <= 'z')) {
      current += ch;
      letters = true;
    } else if (c >= 'A' && c <= 'Z') {
      current += static_cast<char>(c - 'A' + 'a');
      letters = true;
    } else if (c >= '0' && c <= '9') {
      current += ch;
    } else {
      flush();
    }
  }
  flush();
  return words;
}

bool isVague(std::string_view description, const VagueWords& vague) {
  std::int64_t total = 0;
  std::int64_t vagueCount = 0;
  for (const std::string& word : wordsOf(description)) {
    if (std::binary_search(vague.ignore.begin(), vague.ignore.end(), word)) continue;
    ++total;
    if (std::binary_search(vague.words.begin(), vague.words.end(), word)) ++vagueCount;
  }
  if (total == 0) return true;
  // vagueCount / total >= min_share, exactly: min_share is in 1/10000.
  return vagueCount * sdk::Decimal::kScale >= vague.min_share.units() * total;
}

std::optional<std::int64_t> utcMillis(std::string_view text) {
  if (!sdk::isRfc3339Utc(text)) return std::nullopt;
  auto number = [&](std::size_t at, std::size_t digits) {
    int v = 0;
    for (std::size_t i = 0; i < digits; ++i) v = v * 10 + (text[at + i] - '0');
    return v;
  };
  using namespace std::chrono;
  const year_month_day day{year{number(0, 4)}, month{static_cast<unsigned>(number(5, 2))},
                           std::chrono::day{static_cast<unsigned>(number(8, 2))}};
  std::int64_t ms = static_cast<std::int64_t>(sys_days{day}.time_since_epoch().count()) * 86'400'000;
  ms += (number(11, 2) * 3600 + number(14, 2) * 60 + number(17, 2)) * std::int64_t{1000};
  // A fraction of a second: its first three digits are milliseconds.
  if (text.size() > 20 && text[19] == '.') {
    int fraction = 0;
    int scale = 100;
    for (std::size_t i = 20; i < text.size() && text[i] != 'Z' && scale > 0; ++i, scale /= 10) {
      fraction += (text[i] - '0') * scale;
    }
    ms += fraction;
  }
  return ms;
}

std::uint64_t selectionHash(std::string_view seed, std::string_view caseId) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
  auto mix = [&](unsigned char c) {
    h ^= c;
    h *= 0x100000001b3ULL;  // FNV-1a 64 prime
  };
  for (const char c : seed) mix(static_cast<unsigned char>(c));
  mix(0);
  for (const char c : caseId) mix(static_cast<unsigned char>(c));
  // SplitMix64's finaliser spreads FNV's weak low bits over the whole word.
  h += 0x9e3779b97f4a7c15ULL;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

bool randomlySelected(std::string_view seed, std::string_view caseId, sdk::Decimal rate) {
  const auto draw = static_cast<std::int64_t>(selectionHash(seed, caseId) % sdk::Decimal::kScale);
  return draw < rate.units();
}

}  // namespace swhub::plugins::customs
