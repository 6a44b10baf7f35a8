#include "stats/rollup_fill.hpp"

#include "common/instant.hpp"
#include "stats/rollup_plan.hpp"

namespace swhub::stats {

std::int64_t fillRollups(journal::Journal& journal) {
  if (journal.statsFilled()) return -1;
  std::vector<journal::StatDelta> all;
  std::int64_t cases = 0;
  // Every case: filed from the epoch to a century ahead (a clock set wrong included).
  const journal::Instant end = common::nowInstant() + std::chrono::hours(24 * 366 * 100);
  journal.forEachCaseFiled(journal::Instant{}, end, [&](const journal::CaseRecord& record) {
    journal::WriteBatch batch;
    batch.events = journal.caseEvents(record.id);
    batch.new_cases.push_back(record);  // as it stands now: its status is the latest
    planRollups(batch, {});
    all.insert(all.end(), batch.stats.begin(), batch.stats.end());
    if (all.size() > 100000) all = journal::mergeStatDeltas(all);
    ++cases;
    return true;
  });
  std::int64_t after = 0;
  for (;;) {
    auto page = journal.deadLetters(after, 1000);
    for (const auto& item : page) {
      journal::addDeliveryStats(all, true, item.channel != journal::Channel::Notification, item.recipient,
                                item.created_at, item.created_at);
    }
    if (page.size() < 1000) break;
    after = page.back().seq;
  }
  const auto result = journal.fillStats(journal::mergeStatDeltas(all));
  if (result.status == journal::CommitResult::Status::Duplicate) return -1;  // another node filled them
  if (result.status != journal::CommitResult::Status::Committed) {
    throw journal::JournalError("statistics rollups not filled: " + result.error);
  }
  return cases;
}

}  // namespace swhub::stats
