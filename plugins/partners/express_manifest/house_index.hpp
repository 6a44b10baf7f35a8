#pragma once
// Remembers the house waybills of one manifest to refuse a repeated one. It is the only state of a
// decoder that grows with the manifest: 12 bytes per slot (a 64-bit hash and where the house was
// first seen), at most 80% full, so about 3 MB for 200,000 houses and never the waybills
// themselves. Two different waybills share a 64-bit hash with a probability near 1e-9 in a
// 200,000-line manifest: a risk taken knowingly, for bounded memory.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace swhub::plugins::express_manifest {

class HouseIndex {
 public:
  /// Records `hash` first seen at `where` (a line or a house index); returns where it was seen
  /// before when it was.
  std::optional<std::uint32_t> insert(std::uint64_t hash, std::uint32_t where);
  std::size_t bytes() const { return hashes_.capacity() * sizeof(std::uint64_t) + where_.capacity() * sizeof(std::uint32_t); }

 private:
  void grow();

  std::vector<std::uint64_t> hashes_;  // 0 = empty slot
  std::vector<std::uint32_t> where_;
  std::size_t size_ = 0;
};

}  // namespace swhub::plugins::express_manifest
