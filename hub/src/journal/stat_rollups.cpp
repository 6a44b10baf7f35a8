#include "journal/stat_rollups.hpp"

#include <algorithm>
#include <cstring>
#include <tuple>

namespace swhub::journal {
namespace {

void pack(std::string& out, std::string_view part) {
  const auto size = static_cast<std::uint32_t>(part.size());
  out.append(reinterpret_cast<const char*>(&size), sizeof size);
  out.append(part);
}

std::string_view unpack(std::string_view& in) {
  std::uint32_t size = 0;
  std::memcpy(&size, in.data(), sizeof size);
  const auto part = in.substr(sizeof size, size);
  in.remove_prefix(sizeof size + size);
  return part;
}

}  // namespace

void StatSums::add(std::int64_t hour, std::string_view scope, std::string_view family, std::string_view key1,
                   std::string_view key2, std::int64_t by) {
  std::int64_t& sum = sumOf(hour, scope, family, key1, key2);
  sum += by;
  added_.emplace_back(&sum, by);
}

std::int64_t& StatSums::sumOf(std::int64_t hour, std::string_view scope, std::string_view family,
                              std::string_view key1, std::string_view key2) {
  packed_.clear();
  pack(packed_, scope);
  pack(packed_, family);
  pack(packed_, key1);
  pack(packed_, key2);
  packed_.append(reinterpret_cast<const char*>(&hour), sizeof hour);
  auto it = sums_.find(packed_);
  if (it == sums_.end()) it = sums_.emplace(packed_, 0).first;
  return it->second;
}

void StatSums::append(std::vector<StatDelta>& out, bool withZeros) const {
  // Sorted as views into the packed keys; each delta's strings built once, in place.
  struct Entry {
    std::string_view scope, family, key1, key2;
    std::int64_t hour, value;
  };
  std::vector<Entry> entries;
  entries.reserve(sums_.size());
  for (const auto& [packed, value] : sums_) {
    if (value == 0 && !withZeros) continue;
    std::string_view in = packed;
    Entry e{unpack(in), unpack(in), unpack(in), unpack(in), 0, value};
    std::memcpy(&e.hour, in.data(), sizeof e.hour);
    entries.push_back(e);
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.scope, a.hour, a.family, a.key1, a.key2) < std::tie(b.scope, b.hour, b.family, b.key1, b.key2);
  });
  out.reserve(out.size() + entries.size());
  for (const Entry& e : entries) {
    out.push_back({e.hour, std::string(e.scope), std::string(e.family), std::string(e.key1), std::string(e.key2), e.value});
  }
}

std::vector<StatDelta> mergeStatDeltas(const std::vector<StatDelta>& deltas) {
  // In key order: two nodes adding to the same counters lock their rows in the same order. A key
  // whose deltas net to nothing is kept, as writing each delta would have left its row.
  StatSums sums;
  for (const auto& d : deltas) sums.sumOf(d.hour, d.scope, d.family, d.key1, d.key2) += d.value;
  std::vector<StatDelta> out;
  sums.append(out, true);
  return out;
}

}  // namespace swhub::journal
