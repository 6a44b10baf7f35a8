// Ids: a prefix and a ULID (48 bits of milliseconds, 80 random bits, Crockford base32), unique
// across threads and sortable by time.

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/ids.hpp"

namespace swhub::common {
namespace {

TEST(common_ids, AnIdIsItsPrefixAnd26CrockfordCharactersThatBeginWithTheMillisecond) {
  const auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const std::string id = newId("C-");
  ASSERT_EQ(id.size(), 28u);
  EXPECT_EQ(id.substr(0, 2), "C-");
  const std::string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::uint64_t ms = 0;
  for (std::size_t i = 2; i < id.size(); ++i) {
    const auto at = alphabet.find(id[i]);
    ASSERT_NE(at, std::string::npos) << id;
    if (i < 12) ms = ms * 32 + at;  // 10 characters: 50 bits, the top 2 of which are zero
  }
  EXPECT_GE(ms, static_cast<std::uint64_t>(before));
  EXPECT_LE(ms, static_cast<std::uint64_t>(before) + 60000);
}

// Random bytes are drawn in blocks per thread: none is used twice, within a thread (over many
// blocks) or across threads.
TEST(common_ids, IdsAreUniqueAcrossThreadsAndAcrossTheRandomBlocks) {
  constexpr int kThreads = 4, kEach = 5000;  // 50,000 random bytes a thread: a dozen blocks
  std::vector<std::vector<std::string>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&made, t] {
      for (int i = 0; i < kEach; ++i) made[t].push_back(newId("T-"));
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> randomParts;
  for (const auto& ids : made) {
    for (const auto& id : ids) randomParts.insert(id.substr(12));  // the 80 random bits (16 characters)
  }
  EXPECT_EQ(randomParts.size(), static_cast<std::size_t>(kThreads * kEach));
}

}  // namespace
}  // namespace swhub::common
