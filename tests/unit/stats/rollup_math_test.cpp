// Latency buckets, percentiles from them, merging deltas and the request window.

#include <gtest/gtest.h>

#include "instants.hpp"
#include "journal/stat_rollups.hpp"
#include "stats/stats_report.hpp"
#include "stats/stats_window.hpp"

namespace swhub::stats {
namespace {

using swhub::testing::at;

TEST(stats_buckets, boundsAreQuarterPowersOfTwoOfAMillisecond) {
  EXPECT_EQ(journal::latencyBucket(0), 0);
  EXPECT_EQ(journal::latencyBucket(1), 0);
  EXPECT_EQ(journal::latencyBucket(2), 4);      // 2 ms is exactly 2^(4/4)
  EXPECT_EQ(journal::latencyBucket(3), 7);      // 2^(6/4) = 2.83 < 3 <= 2^(7/4) = 3.36
  EXPECT_EQ(journal::latencyBucket(1000), 40);  // 2^(39/4) = 861 < 1000 <= 2^10 = 1024
  EXPECT_EQ(journal::latencyBucket(1024), 40);
  EXPECT_EQ(journal::latencyBucket(1025), 41);
  EXPECT_EQ(journal::latencyBucket(INT64_MAX), journal::kLatencyBuckets - 1);
  // Every duration is at most its bucket's bound and above the one below: at most 19 % over.
  for (std::int64_t ms : {5, 17, 999, 60000, 3600000, 86400000}) {
    const int b = journal::latencyBucket(ms);
    EXPECT_LE(static_cast<double>(ms), journal::latencyBucketBoundMs(b)) << ms;
    EXPECT_GT(static_cast<double>(ms), journal::latencyBucketBoundMs(b - 1)) << ms;
    EXPECT_LE(journal::latencyBucketBoundMs(b) / static_cast<double>(ms), 1.19) << ms;
  }
}

TEST(stats_buckets, percentileIsTheUpperBoundOfTheBucketHoldingIt) {
  std::vector<journal::StatDelta> deltas;
  // 90 observations of 1 s (bucket 40, bound 1024 ms) and 10 of 1 h (bucket 88, bound 2^22 ms).
  for (int i = 0; i < 90; ++i) journal::addLatency(deltas, 0, "", "t", "", 1000);
  for (int i = 0; i < 10; ++i) journal::addLatency(deltas, 0, "", "t", "", 3600000);
  const auto sums = indexSums(journal::mergeStatDeltas(deltas));
  const auto& h = sums.at("t").at("");
  EXPECT_EQ(percentileMs(h, 0.5), 1024);
  EXPECT_EQ(percentileMs(h, 0.9), 1024);  // the 90th of 100 is still 1 s
  EXPECT_EQ(percentileMs(h, 0.99), 4194304);  // 3600000 < 2^22 <= 1.19 × 3600000
  EXPECT_EQ(h.at("sum"), 3 * (90 * 1000 + 10 * 3600000));  // the hour's, the day's and the running total's
  EXPECT_EQ(percentileMs({}, 0.5), 0);
}

TEST(stats_buckets, mergeSumsOneKeyAndDropsNothing) {
  std::vector<journal::StatDelta> deltas{{5, "", "f", "a", "", 1}, {5, "", "f", "a", "", 2}, {6, "", "f", "a", "", 1},
                                         {5, "agency:x", "f", "a", "", 4}};
  const auto merged = journal::mergeStatDeltas(deltas);
  ASSERT_EQ(merged.size(), 3u);
  EXPECT_EQ(merged[0].scope, "");
  EXPECT_EQ(merged[0].hour, 5);
  EXPECT_EQ(merged[0].value, 3);
  EXPECT_EQ(merged[1].hour, 6);
  EXPECT_EQ(merged[2].scope, "agency:x");
  // A key whose deltas net to nothing stays, with 0: writing each delta would have left its row.
  const auto netted = journal::mergeStatDeltas({{5, "", "f", "a", "", 2}, {5, "", "f", "a", "", -2}});
  ASSERT_EQ(netted.size(), 1u);
  EXPECT_EQ(netted[0].value, 0);
}

TEST(stats_buckets, sumsAddByKeyInMergeOrderAndTakeACaseBackWhole) {
  journal::StatSums sums;
  sums.add(5, "agency:x", "f", "a", "", 4);
  sums.add(5, "", "f", "a", "", 1);
  sums.mark();
  sums.add(5, "", "f", "a", "", 2);
  sums.add(6, "", "f", "new", "", 7);
  sums.takeBack();  // the second case could not be read: nothing of it stays
  sums.mark();
  sums.add(6, "", "f", "a", "", 1);
  sums.add(5, "", "f", "a", "", 2);
  std::vector<journal::StatDelta> out{{1, "", "before", "", "", 9}};
  sums.appendTo(out);
  ASSERT_EQ(out.size(), 4u);  // what was there, then the sums in key order; "new" netted to nothing
  EXPECT_EQ(out[0].family, "before");
  EXPECT_TRUE(out[1].sameKey({5, "", "f", "a", "", 0}));
  EXPECT_EQ(out[1].value, 3);
  EXPECT_TRUE(out[2].sameKey({6, "", "f", "a", "", 0}));
  EXPECT_EQ(out[2].value, 1);
  EXPECT_TRUE(out[3].sameKey({5, "agency:x", "f", "a", "", 0}));
  EXPECT_EQ(out[3].value, 4);
  std::vector<journal::StatDelta> plain{{5, "agency:x", "f", "a", "", 4}, {5, "", "f", "a", "", 3}, {6, "", "f", "a", "", 1}};
  EXPECT_EQ(journal::mergeStatDeltas(plain).size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_TRUE(journal::mergeStatDeltas(plain)[i].sameKey(out[i + 1]));
}

// Keys are told apart part by part, whatever bytes a part holds (a partner's reason code may hold
// a NUL), and come out in mergeStatDeltas' order, the running total's hour (-1) before the hours.
TEST(stats_buckets, sumsTellKeysApartPartByPartAndComeOutInMergeOrder) {
  using namespace std::string_literals;
  journal::StatSums sums;
  std::vector<journal::StatDelta> plain{{5, "", "f", "a", "b", 1},
                                        {5, "", "f", "ab", "", 2},
                                        {5, "", "f", "a\0"s, "b", 4},
                                        {journal::kAllTimeHour, "", "f", "a", "b", 8},
                                        {5, "", "fa", "", "b", 16},
                                        {5, "agency:x", "f", "a", "b", 32},
                                        {5, "", "f", "a", "b", 64}};
  for (const auto& d : plain) sums.add(d.hour, d.scope, d.family, d.key1, d.key2, d.value);
  std::vector<journal::StatDelta> out;
  sums.appendTo(out);
  const auto merged = journal::mergeStatDeltas(plain);
  ASSERT_EQ(out.size(), 6u);
  ASSERT_EQ(merged.size(), out.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    EXPECT_TRUE(out[i].sameKey(merged[i])) << i;
    EXPECT_EQ(out[i].value, merged[i].value) << i;
  }
  EXPECT_EQ(out[0].hour, journal::kAllTimeHour);
  EXPECT_EQ(out[1].key1, "a");
  EXPECT_EQ(out[1].value, 65);
  EXPECT_EQ(out[2].key1, "a\0"s);
}

TEST(stats_window, defaultIsTheDayBeforeNowRoundedOutToHours) {
  sdk::Errors errors;
  const auto w = parseWindow("", "", at("2026-12-06T18:30:00Z"), errors);
  ASSERT_TRUE(w) << errors.size();
  EXPECT_EQ(hourStart(w->from_hour), at("2026-12-05T18:00:00Z"));
  EXPECT_EQ(hourStart(w->to_hour), at("2026-12-06T19:00:00Z"));
}

TEST(stats_window, givenBoundsAreRoundedDownAndUp) {
  sdk::Errors errors;
  auto w = parseWindow("2026-12-01T10:15:00Z", "2026-12-01T12:00:00Z", at("2026-12-06T18:30:00Z"), errors);
  ASSERT_TRUE(w);
  EXPECT_EQ(hourStart(w->from_hour), at("2026-12-01T10:00:00Z"));
  EXPECT_EQ(hourStart(w->to_hour), at("2026-12-01T12:00:00Z"));  // on the hour: not one more
  w = parseWindow("2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z", at("2026-12-06T18:30:00Z"), errors);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->to_hour - w->from_hour, 1);  // an instant is the hour that holds it
}

TEST(stats_window, badParametersAreNamedEach) {
  sdk::Errors errors;
  EXPECT_FALSE(parseWindow("yesterday", "2026-13-01T00:00:00Z", at("2026-12-06T18:30:00Z"), errors));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].path, "from");
  EXPECT_EQ(errors[0].message, "'yesterday' is not an RFC 3339 UTC date-time such as 2026-12-06T00:00:00Z");
  EXPECT_EQ(errors[1].path, "to");
  errors.clear();
  EXPECT_FALSE(parseWindow("2026-12-02T00:00:00Z", "2026-12-01T00:00:00Z", at("2026-12-06T18:30:00Z"), errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, "from");
  EXPECT_EQ(errors[0].message, "'2026-12-02T00:00:00.000Z' is after to '2026-12-01T00:00:00.000Z'");
}

}  // namespace
}  // namespace swhub::stats
