// A journal written before it kept rollups gets them once, counted as a live hub would have
// (the same planner), on both backends.

#include <gtest/gtest.h>

#include "backends.hpp"
#include "case_life.hpp"
#include "stats/rollup_fill.hpp"
#include "stats/rollup_plan.hpp"
#include "stats/stats_query.hpp"
#include "stats/stats_report.hpp"

namespace swhub::stats {
namespace {

using swhub::testing::at;

class StatsFill : public journal::test_support::JournalBackend {
 protected:
  std::int64_t value(journal::Journal& j, const std::string& scope, const std::string& family, const std::string& key1,
                     const std::string& key2 = "") {
    const auto sums = indexSums(j.statSums(scope, journal::hourOf(at("2026-12-01T00:00:00Z")),
                                           journal::hourOf(at("2026-12-02T00:00:00Z"))));
    auto f = sums.find(family);
    if (f == sums.end()) return 0;
    auto k = f->second.find(key1);
    if (k == f->second.end()) return 0;
    auto v = k->second.find(key2);
    return v == k->second.end() ? 0 : v->second;
  }

  // What a hub from before the rollups wrote: the case's life and a dead letter, no rollups.
  void writeOldJournal() {
    auto j = journal::openJournal(journalUrl());
    for (auto& batch : test_support::caseLife()) ASSERT_EQ(j->commit(batch).status, journal::CommitResult::Status::Committed);
    journal::WriteBatch dead;
    journal::OutboxItem item;
    item.id = "N-1";
    item.channel = journal::Channel::Notification;
    item.recipient = "demo-express";
    item.case_id = "C1";
    item.state = journal::OutboxState::Dead;
    item.created_at = at("2026-12-01T10:05:00Z");
    dead.outbox.push_back(item);
    ASSERT_EQ(j->commit(dead).status, journal::CommitResult::Status::Committed);
    EXPECT_FALSE(j->statsFilled());
    EXPECT_TRUE(j->statSums("", journal::kAllTimeHour, journal::kAllTimeHour + 1).empty());
  }
};
JOURNAL_BACKENDS(StatsFill);

TEST_P(StatsFill, anExistingJournalIsCountedOnceAsALiveHubWouldHave) {
  writeOldJournal();
  auto j = journal::openJournal(journalUrl());
  EXPECT_EQ(fillRollups(*j), 1);
  EXPECT_TRUE(j->statsFilled());
  EXPECT_EQ(value(*j, "", "filings", ""), 2);
  EXPECT_EQ(value(*j, "", "cases_filed.partner", "demo-post"), 1);
  EXPECT_EQ(value(*j, "", "cases_filed.kind", "pre-arrival"), 1);  // the kind that created it, not the latest
  EXPECT_EQ(value(*j, "", "items", ""), 2);
  EXPECT_EQ(value(*j, "", "outcomes.reason", "hold", "FS-VET"), 1);
  EXPECT_EQ(value(*j, "", "outcomes", "clear"), 1);
  EXPECT_EQ(value(*j, "", "release_ms", "", "sum"), 7230000);
  EXPECT_EQ(value(*j, "", "arrival_release_ms", "", "sum"), 30000);
  EXPECT_EQ(value(*j, "", "assessed.tax", "vat", "EUR"), 92000);
  EXPECT_EQ(value(*j, "", "collected", "", "EUR"), 117000);
  EXPECT_EQ(value(*j, "", "dead_letters.recipient", "demo-express"), 1);
  EXPECT_EQ(value(*j, "agency:food", "outcomes", "hold"), 0);
  EXPECT_EQ(value(*j, "agency:food", "outcomes", "clear"), 1);
  const auto totals = indexSums(j->statSums("", journal::kAllTimeHour, journal::kAllTimeHour + 1));
  EXPECT_EQ(totals.at("cases_state").at("released").at(""), 1);

  // Once only: a second fill (another start, another node) counts nothing again.
  EXPECT_EQ(fillRollups(*j), -1);
  j.reset();
  j = journal::openJournal(journalUrl());
  EXPECT_EQ(fillRollups(*j), -1);
  EXPECT_EQ(value(*j, "", "filings", ""), 2);
}

TEST_P(StatsFill, anEmptyJournalIsMarkedFilledAndCountsLiveBatchesFromThen) {
  journal::Journal* self = nullptr;
  journal::JournalOptions options;
  options.plan_stats = [&self](journal::WriteBatch& batch) { planRollups(batch, journalSource(*self)); };
  auto j = journal::openJournal(journalUrl(), options);
  self = j.get();
  EXPECT_EQ(fillRollups(*j), 0);
  for (auto& batch : test_support::caseLife()) ASSERT_EQ(j->commit(batch).status, journal::CommitResult::Status::Committed);
  // The same figures as the fill of the same life gives.
  EXPECT_EQ(value(*j, "", "filings", ""), 2);
  EXPECT_EQ(value(*j, "", "cases_filed.kind", "pre-arrival"), 1);
  EXPECT_EQ(value(*j, "", "release_ms", "", "sum"), 7230000);
  EXPECT_EQ(value(*j, "", "arrival_release_ms", "", "sum"), 30000);  // the arrival read from the stored events
  EXPECT_EQ(value(*j, "", "outcomes.reason", "hold", "X-1"), 1);
  EXPECT_EQ(value(*j, "agency:customs", "assessed", "", "EUR"), 117000);
}

TEST_P(StatsFill, aWindowOfManyDaysSumsDayRowsAndTheHoursAroundThem) {
  auto j = journal::openJournal(journalUrl());
  journal::WriteBatch batch;
  for (const char* when : {"2026-12-01T05:10:00Z", "2026-12-02T10:00:00Z", "2026-12-03T23:59:00Z", "2026-12-04T01:00:00Z"}) {
    journal::addCount(batch.stats, journal::hourOf(at(when)), "", "filings", "", "");
  }
  ASSERT_EQ(j->commit(batch).status, journal::CommitResult::Status::Committed);
  auto filings = [&](const char* from, const char* to) {
    sdk::Errors errors;
    const auto window = parseWindow(from, to, at("2026-12-06T00:00:00Z"), errors);
    EXPECT_TRUE(window);
    const std::string json = statsJson(*j, "", *window);
    const auto at = json.find("\"filings\":{\"total\":");
    EXPECT_NE(at, std::string::npos) << json;
    return std::atoi(json.c_str() + at + 19);
  };
  EXPECT_EQ(filings("2026-12-01T06:00:00Z", "2026-12-04T01:00:00Z"), 2);  // hours 06.., two whole days, hour 00
  EXPECT_EQ(filings("2026-12-01T05:00:00Z", "2026-12-04T01:30:00Z"), 4);
  EXPECT_EQ(filings("2026-12-02T00:00:00Z", "2026-12-04T00:00:00Z"), 2);  // whole days only
  EXPECT_EQ(filings("2026-12-03T23:00:00Z", "2026-12-04T00:00:00Z"), 1);  // one hour
  EXPECT_EQ(filings("2026-11-01T00:00:00Z", "2026-12-31T00:00:00Z"), 4);
}

}  // namespace
}  // namespace swhub::stats
