#include "house_index.hpp"

namespace swhub::plugins::express_manifest {

std::optional<std::uint32_t> HouseIndex::insert(std::uint64_t hash, std::uint32_t where) {
  if (hash == 0) hash = 1;
  if ((size_ + 1) * 5 > hashes_.size() * 4) grow();
  const std::size_t mask = hashes_.size() - 1;
  for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    if (hashes_[slot] == hash) return where_[slot];
    if (hashes_[slot] == 0) {
      hashes_[slot] = hash;
      where_[slot] = where;
      ++size_;
      return std::nullopt;
    }
  }
}

void HouseIndex::grow() {
  std::vector<std::uint64_t> hashes(hashes_.empty() ? 1024 : hashes_.size() * 2, 0);
  std::vector<std::uint32_t> where(hashes.size(), 0);
  const std::size_t mask = hashes.size() - 1;
  for (std::size_t i = 0; i < hashes_.size(); ++i) {
    if (hashes_[i] == 0) continue;
    std::size_t slot = hashes_[i] & mask;
    while (hashes[slot] != 0) slot = (slot + 1) & mask;
    hashes[slot] = hashes_[i];
    where[slot] = where_[i];
  }
  hashes_.swap(hashes);
  where_.swap(where);
}

}  // namespace swhub::plugins::express_manifest
