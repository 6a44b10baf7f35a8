#include "swhub/sdk/model.hpp"

#include <array>
#include <cmath>
#include <limits>

namespace swhub::sdk {

namespace {

constexpr std::int64_t kMaxUnits = std::numeric_limits<std::int64_t>::max();

template <class E, std::size_t N>
struct Spelling {
  std::array<std::pair<E, std::string_view>, N> entries;

  std::string_view name(E v) const {
    for (const auto& [value, text] : entries)
      if (value == v) return text;
    return "";
  }
  std::optional<E> parse(std::string_view s) const {
    for (const auto& [value, text] : entries)
      if (text == s) return value;
    return std::nullopt;
  }
  std::string allowed() const {
    std::string out;
    for (const auto& entry : entries) {
      if (!out.empty()) out += ", ";
      out += entry.second;
    }
    return out;
  }
};

constexpr Spelling<FilingKind, 9> kFilingKinds{{{{FilingKind::PreLoading, "pre-loading"},
                                                 {FilingKind::PreArrival, "pre-arrival"},
                                                 {FilingKind::Declaration, "declaration"},
                                                 {FilingKind::Amendment, "amendment"},
                                                 {FilingKind::Cancellation, "cancellation"},
                                                 {FilingKind::Arrival, "arrival"},
                                                 {FilingKind::Return, "return"},
                                                 {FilingKind::Supplementary, "supplementary"},
                                                 {FilingKind::FinalSupplementary, "final-supplementary"}}}};
constexpr Spelling<Nature, 6> kNatures{{{{Nature::Sale, "sale"},
                                         {Nature::Gift, "gift"},
                                         {Nature::Sample, "sample"},
                                         {Nature::Return, "return"},
                                         {Nature::Documents, "documents"},
                                         {Nature::Other, "other"}}}};
constexpr Spelling<CollectionModel, 4> kCollectionModels{{{{CollectionModel::Vendor, "vendor"},
                                                           {CollectionModel::Intermediary, "intermediary"},
                                                           {CollectionModel::Consumer, "consumer"},
                                                           {CollectionModel::Account, "account"}}}};
constexpr Spelling<TransportMode, 6> kTransportModes{{{{TransportMode::Air, "air"},
                                                       {TransportMode::Sea, "sea"},
                                                       {TransportMode::Road, "road"},
                                                       {TransportMode::Rail, "rail"},
                                                       {TransportMode::Post, "post"},
                                                       {TransportMode::Multimodal, "multimodal"}}}};

bool isDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<Decimal> Decimal::parse(std::string_view text) {
  std::size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && text[pos] == '-') {
    negative = true;
    ++pos;
  }
  std::int64_t whole = 0;
  std::size_t wholeDigits = 0;
  for (; pos < text.size() && isDigit(text[pos]); ++pos, ++wholeDigits) {
    if (whole > (kMaxUnits / kScale - 9) / 10) return std::nullopt;  // out of range
    whole = whole * 10 + (text[pos] - '0');
  }
  std::int64_t fraction = 0;
  std::size_t fractionDigits = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    for (; pos < text.size() && isDigit(text[pos]); ++pos, ++fractionDigits) {
      if (fractionDigits == 4) return std::nullopt;  // more than 4 fraction digits
      fraction = fraction * 10 + (text[pos] - '0');
    }
    if (fractionDigits == 0) return std::nullopt;  // "45." is not a plain decimal
  }
  if (pos != text.size() || wholeDigits == 0) return std::nullopt;
  for (std::size_t i = fractionDigits; i < 4; ++i) fraction *= 10;
  const std::int64_t units = whole * kScale + fraction;
  return fromUnits(negative ? -units : units);
}

std::optional<Decimal> Decimal::fromDouble(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  const double scaled = std::round(value * static_cast<double>(kScale));  // half away from zero
  if (std::fabs(scaled) >= 9.2e18) return std::nullopt;
  return fromUnits(static_cast<std::int64_t>(scaled));
}

std::string Decimal::toString() const {
  const bool negative = units_ < 0;
  // Work on the magnitude as unsigned so that INT64_MIN does not overflow.
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(units_) : static_cast<std::uint64_t>(units_);
  std::string fraction = std::to_string(magnitude % kScale);
  fraction.insert(0, 4 - fraction.size(), '0');
  while (fraction.size() > 2 && fraction.back() == '0') fraction.pop_back();
  return (negative ? "-" : "") + std::to_string(magnitude / kScale) + "." + fraction;
}

std::string_view toString(FilingKind v) { return kFilingKinds.name(v); }
std::string_view toString(Nature v) { return kNatures.name(v); }
std::string_view toString(CollectionModel v) { return kCollectionModels.name(v); }
std::string_view toString(TransportMode v) { return kTransportModes.name(v); }
std::optional<FilingKind> parseFilingKind(std::string_view s) { return kFilingKinds.parse(s); }
std::optional<Nature> parseNature(std::string_view s) { return kNatures.parse(s); }
std::optional<CollectionModel> parseCollectionModel(std::string_view s) { return kCollectionModels.parse(s); }
std::optional<TransportMode> parseTransportMode(std::string_view s) { return kTransportModes.parse(s); }
std::string allowedFilingKinds() { return kFilingKinds.allowed(); }
std::string allowedNatures() { return kNatures.allowed(); }
std::string allowedCollectionModels() { return kCollectionModels.allowed(); }
std::string allowedTransportModes() { return kTransportModes.allowed(); }

bool concernsExistingCase(FilingKind v) {
  return v == FilingKind::Amendment || v == FilingKind::Cancellation || v == FilingKind::Arrival ||
         v == FilingKind::Return;
}

}  // namespace swhub::sdk
