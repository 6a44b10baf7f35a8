// Statistics rollups in the journal (stat_rollups.hpp): written with their batch or not at all,
// summed per scope over hours, added by outbox completions and dead letters, filled once, and
// held back for staged rows until they become visible. Both backends.

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "backends.hpp"
#include "instants.hpp"
#include "journal/journal.hpp"

namespace swhub::journal {
namespace {

using namespace std::chrono_literals;

using Sums = std::map<std::string, std::int64_t>;  // "family/key1/key2" -> value

Sums keyed(const std::vector<StatDelta>& rows) {
  Sums out;
  for (const auto& r : rows) out[r.family + "/" + r.key1 + "/" + r.key2] += r.value;
  return out;
}

class StatRollups : public test_support::JournalBackend {
 protected:
  void SetUp() override {
    JournalBackend::SetUp();
    if (IsSkipped()) return;
    open();
  }
  void open(std::function<void(WriteBatch&)> plan = {}) {
    journal_.reset();
    JournalOptions options;
    options.clock = [this] { return now_; };
    options.plan_stats = std::move(plan);
    journal_ = openJournal(journalUrl(), options);
  }
  Sums sums(const std::string& scope, std::int64_t from, std::int64_t to) { return keyed(journal_->statSums(scope, from, to)); }
  Sums totals() { return sums("", kAllTimeHour, kAllTimeHour + 1); }

  OutboxItem item(const std::string& id, Channel channel, const std::string& recipient, OutboxState state) {
    OutboxItem o;
    o.id = id;
    o.channel = channel;
    o.recipient = recipient;
    o.case_id = "C1";
    o.content_type = "application/json";
    o.body = "{}";
    o.state = state;
    o.created_at = swhub::testing::at("2026-11-28T10:00:00.000Z");
    return o;
  }

  // 2026-11-28T10:00:05Z
  std::chrono::system_clock::time_point now_{std::chrono::seconds(1795860005)};
  const std::int64_t hour_ = hourOf(swhub::testing::at("2026-11-28T10:00:00.000Z"));
  std::unique_ptr<Journal> journal_;
};
JOURNAL_BACKENDS(StatRollups);

TEST_P(StatRollups, deltasAreSummedPerScopeOverTheHoursOfAWindow) {
  WriteBatch a;
  a.stats = {{100, "", "filings.partner", "demo-post", "", 2}, {100, "", "filings.partner", "demo-post", "", 1},
             {101, "", "filings.partner", "demo-post", "", 4}, {102, "", "filings.partner", "demo-post", "", 8},
             {101, "agency:customs", "filings.partner", "demo-post", "", 16}, {kAllTimeHour, "", "cases_state", "held", "", 1}};
  ASSERT_EQ(journal_->commit(a).status, CommitResult::Status::Committed);
  WriteBatch b;
  b.stats = {{101, "", "filings.partner", "demo-post", "", 32}, {kAllTimeHour, "", "cases_state", "held", "", -1},
             {kAllTimeHour, "", "cases_state", "released", "", 1}};
  ASSERT_EQ(journal_->commit(b).status, CommitResult::Status::Committed);

  EXPECT_EQ(sums("", 100, 102), (Sums{{"filings.partner/demo-post/", 3 + 4 + 32}}));
  EXPECT_EQ(sums("", 101, 103), (Sums{{"filings.partner/demo-post/", 4 + 32 + 8}}));
  EXPECT_EQ(sums("agency:customs", 0, 1000), (Sums{{"filings.partner/demo-post/", 16}}));
  EXPECT_TRUE(sums("agency:food", 0, 1000).empty());
  EXPECT_EQ(totals(), (Sums{{"cases_state/held/", 0}, {"cases_state/released/", 1}}));
}

TEST_P(StatRollups, aRefusedBatchWritesNoRollups) {
  WriteBatch stale;
  stale.case_updates.push_back({"no-such-case", 1, common::CaseState::Held, "", "", std::nullopt, ""});
  stale.stats = {{100, "", "outcomes", "hold", "", 1}};
  EXPECT_EQ(journal_->commit(stale).status, CommitResult::Status::Stale);
  EXPECT_TRUE(sums("", 0, 1000).empty());
}

TEST_P(StatRollups, thePlannerHookAddsToEveryCommittedBatch) {
  open([](WriteBatch& batch) { batch.stats.push_back({7, "", "planned", "", "", 1}); });
  ASSERT_EQ(journal_->commit(WriteBatch{}).status, CommitResult::Status::Committed);
  ASSERT_EQ(journal_->commit(WriteBatch{}).status, CommitResult::Status::Committed);
  EXPECT_EQ(sums("", 7, 8), (Sums{{"planned//", 2}}));
}

TEST_P(StatRollups, aPushedDeliveryCountsItsLatencyAndADeadLetterItsRecipient) {
  WriteBatch batch;
  batch.outbox = {item("N-1", Channel::Notification, "demo-post", OutboxState::Pending),
                  item("T-1", Channel::Task, "customs", OutboxState::Pending),
                  item("P-1", Channel::Notification, "demo-market", OutboxState::Pull)};
  ASSERT_EQ(journal_->commit(batch).status, CommitResult::Status::Committed);
  for (const auto& i : journal_->claimOutbox(Channel::Notification, "w", 10, 30s)) {
    journal_->completeOutbox(i.seq, "w", OutboxState::Delivered, std::nullopt, "");
  }
  for (const auto& i : journal_->claimOutbox(Channel::Task, "w", 10, 30s)) {
    journal_->completeOutbox(i.seq, "w", OutboxState::Dead, std::nullopt, "HTTP 400");
  }
  const auto pulled = journal_->outboxAfter("demo-market", Channel::Notification, 0, 10);
  ASSERT_EQ(pulled.size(), 1u);
  ASSERT_TRUE(journal_->deadLetterPulled(pulled[0].seq, "cannot encode"));

  const std::string bucket = "b" + std::to_string(latencyBucket(5000));  // created 5 s before now
  EXPECT_EQ(sums("", hour_, hour_ + 1),
            (Sums{{"delivery_ms//" + bucket, 1}, {"delivery_ms//sum", 5000},
                  {"delivery_ms.recipient/demo-post/" + bucket, 1}, {"delivery_ms.recipient/demo-post/sum", 5000},
                  {"dead_letters//", 2}, {"dead_letters.recipient/customs/", 1}, {"dead_letters.recipient/demo-market/", 1}}));
  // A task's end counts in its agency's view too; a notification's does not.
  EXPECT_EQ(sums("agency:customs", hour_, hour_ + 1), (Sums{{"dead_letters//", 1}, {"dead_letters.recipient/customs/", 1}}));
  EXPECT_EQ(totals()["dead_letters//"], 2);
}

TEST_P(StatRollups, theFillIsWrittenOnce) {
  EXPECT_FALSE(journal_->statsFilled());
  EXPECT_EQ(journal_->fillStats({{5, "", "filings", "", "", 3}}).status, CommitResult::Status::Committed);
  EXPECT_TRUE(journal_->statsFilled());
  EXPECT_EQ(journal_->fillStats({{5, "", "filings", "", "", 3}}).status, CommitResult::Status::Duplicate);
  open();
  EXPECT_TRUE(journal_->statsFilled());
  EXPECT_EQ(sums("", 5, 6), (Sums{{"filings//", 3}}));
}

TEST_P(StatRollups, stagedRowsCountWhenTheyBecomeVisibleAndNotWhenDropped) {
  open([](WriteBatch& batch) {
    if (!batch.new_cases.empty()) batch.stats.push_back({9, "", "cases_filed", "", "", static_cast<std::int64_t>(batch.new_cases.size())});
  });
  const auto at = swhub::testing::at("2026-11-28T10:00:00.000Z");
  auto stage = [&](const std::string& message, const std::string& caseId) {
    MessageRecord m{message, "demo-express", "text/csv", "", "sha256:" + message, at, "", MessageStatus::Staging, "", 0};
    ASSERT_EQ(journal_->beginStaged(m, 0).status, CommitResult::Status::Committed);
    WriteBatch chunk;
    chunk.new_cases.push_back({caseId, "demo-express", "HWB-" + caseId, "pre-arrival", common::CaseState::Accepted, 1, "{}",
                               message, at, at});
    ASSERT_EQ(journal_->stage(message, chunk).status, CommitResult::Status::Committed);
  };
  stage("M-1", "C-1");
  stage("M-2", "C-2");
  EXPECT_TRUE(sums("", 9, 10).empty());  // staged: not visible, not counted
  ASSERT_EQ(journal_->abortStaged("M-2").status, CommitResult::Status::Committed);
  MessageRecord done{"M-1", "demo-express", "text/csv", "K-1", "sha256:M-1", at, "", MessageStatus::Accepted, "{}", 202};
  ASSERT_EQ(journal_->finishStaged(done, {}, {}).status, CommitResult::Status::Committed);
  EXPECT_EQ(sums("", 9, 10), (Sums{{"cases_filed//", 1}}));
}

}  // namespace
}  // namespace swhub::journal
