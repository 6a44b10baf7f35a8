// Notifications journaled canonically leave in the partner's format: together when batched, as
// stored when they were journaled encoded already. One the partner's plugin cannot encode is
// refused with the reason (a dead letter), never sent in another format; in a batch the items
// are tried one by one so that the others still go. On the pull API a refused item is
// dead-lettered and left out, and a replay serves it again past the partner's cursor.

#include <gtest/gtest.h>

#include <atomic>

#include "instants.hpp"
#include "model/canonical_json.hpp"
#include "release/notification_format.hpp"
#include "temp_dir.hpp"

namespace swhub::release {
namespace {

// Encodes "reference:state" lines; refuses a batch holding a "held" notification (while
// `refuseHeld`), and batches larger than `maxTogether`.
class LinesPlugin : public sdk::PartnerPlugin {
 public:
  std::vector<std::string> contentTypes() const override { return {"text/plain"}; }
  std::unique_ptr<sdk::Decoder> open(const sdk::MessageContext&, sdk::ByteSource&) const noexcept override {
    return nullptr;
  }
  sdk::Result<sdk::EncodedMessage> encode(const std::vector<sdk::Notification>& batch) const noexcept override {
    if (batch.size() > maxTogether) return sdk::Errors{{"", "too many at once"}};
    std::string body;
    for (const auto& n : batch) {
      if (n.state == "held" && refuseHeld) return sdk::Errors{{"/state", "cannot say held"}};
      body += n.reference + ":" + n.state + "\n";
    }
    return sdk::EncodedMessage{"text/plain", body};
  }
  std::atomic<bool> refuseHeld{true};
  std::size_t maxTogether = 1000;
};

journal::OutboxItem stored(const sdk::Notification& n, journal::OutboxState state = journal::OutboxState::Pending) {
  journal::OutboxItem item;
  item.id = n.id;
  item.channel = journal::Channel::Notification;
  item.recipient = "demo-express";
  item.case_id = n.case_id;
  item.content_type = std::string(model::kNotificationJsonType);
  item.body = model::encodeNotificationsJson({n});
  item.state = state;
  item.created_at = swhub::testing::at("2026-11-28T10:00:00.000Z");
  return item;
}

sdk::Notification note(const std::string& id, const std::string& reference, const std::string& state) {
  return {id, "C-" + id, reference, state, state, "", "2026-11-28T10:00:00.000Z", {{"agency", "customs"}}};
}

NotificationEncoder encoderOf(const LinesPlugin& plugin) { return {&plugin, "demo-express", "lines"}; }

TEST(notification_format, EncodesABatchInThePartnersFormatInOrder) {
  LinesPlugin plugin;
  auto out = formatNotifications(encoderOf(plugin),
                                 {stored(note("N-1", "HWB1", "released")), stored(note("N-2", "HWB2", "accepted"))});
  EXPECT_EQ(out.message.content_type, "text/plain");
  EXPECT_EQ(out.message.body, "HWB1:released\nHWB2:accepted\n");
  EXPECT_EQ(out.carried, (std::vector<std::size_t>{0, 1}));
  EXPECT_TRUE(out.refused.empty());
  EXPECT_TRUE(out.deferred.empty());
}

TEST(notification_format, ANotificationThePluginCannotEncodeIsRefusedNeverSentInTheCanonicalForm) {
  LinesPlugin plugin;
  auto out = formatNotifications(encoderOf(plugin), {stored(note("N-2", "HWB2", "held"))});
  EXPECT_TRUE(out.carried.empty());
  EXPECT_EQ(out.message.body, "");
  ASSERT_EQ(out.refused.size(), 1u);
  EXPECT_EQ(out.refused[0].index, 0u);
  EXPECT_EQ(out.refused[0].reason,
            "partner 'demo-express': plugin 'lines' could not encode notification N-2: /state: cannot say held");
}

TEST(notification_format, ABatchThatFailsIsTriedOneByOneSoOnlyTheBadItemIsRefused) {
  LinesPlugin plugin;
  auto out = formatNotifications(encoderOf(plugin), {stored(note("N-1", "HWB1", "released")),
                                                     stored(note("N-2", "HWB2", "held")),
                                                     stored(note("N-3", "HWB3", "accepted"))});
  EXPECT_EQ(out.message.content_type, "text/plain");
  EXPECT_EQ(out.message.body, "HWB1:released\nHWB3:accepted\n");
  EXPECT_EQ(out.carried, (std::vector<std::size_t>{0, 2}));
  ASSERT_EQ(out.refused.size(), 1u);
  EXPECT_EQ(out.refused[0].index, 1u);
  EXPECT_EQ(out.refused[0].reason,
            "partner 'demo-express': plugin 'lines' could not encode notification N-2: /state: cannot say held");
  EXPECT_TRUE(out.deferred.empty());
}

TEST(notification_format, ItemsThatEncodeAloneButNotTogetherGoOneAfterTheOther) {
  LinesPlugin plugin;
  plugin.maxTogether = 1;
  auto out = formatNotifications(encoderOf(plugin), {stored(note("N-1", "HWB1", "released")),
                                                     stored(note("N-2", "HWB2", "accepted"))});
  EXPECT_EQ(out.message.body, "HWB1:released\n");
  EXPECT_EQ(out.carried, (std::vector<std::size_t>{0}));
  EXPECT_TRUE(out.refused.empty());
  EXPECT_EQ(out.deferred, (std::vector<std::size_t>{1}));
}

TEST(notification_format, AnUnreadableJournaledNotificationIsRefusedNotSentAsText) {
  LinesPlugin plugin;
  auto broken = stored(note("N-1", "HWB1", "released"));
  broken.body = "{not json";
  auto out = formatNotifications(encoderOf(plugin), {broken, stored(note("N-2", "HWB2", "accepted"))});
  EXPECT_EQ(out.message.body, "HWB2:accepted\n");
  EXPECT_EQ(out.carried, (std::vector<std::size_t>{1}));
  ASSERT_EQ(out.refused.size(), 1u);
  EXPECT_EQ(out.refused[0].reason.rfind("partner 'demo-express': notification N-1 is unreadable in the journal: ", 0),
            0u)
      << out.refused[0].reason;
}

TEST(notification_format, AnItemJournaledAlreadyEncodedLeavesAsStored) {
  LinesPlugin plugin;
  journal::OutboxItem old;
  old.id = "N-9";
  old.channel = journal::Channel::Notification;
  old.content_type = "application/xml";
  old.body = "<Response/>";
  auto out = formatNotifications(encoderOf(plugin), {old});
  EXPECT_EQ(out.message.content_type, "application/xml");
  EXPECT_EQ(out.message.body, "<Response/>");
  EXPECT_EQ(out.carried, (std::vector<std::size_t>{0}));
  EXPECT_FALSE(isCanonicalNotification(old));
  EXPECT_TRUE(isCanonicalNotification(stored(note("N-1", "HWB1", "released"))));
}

class notification_pull : public ::testing::Test {
 protected:
  notification_pull() : journal_(journal::openJournal("sqlite:" + dir_.file("journal.db"))) {}

  std::vector<journal::OutboxItem> read(std::int64_t after) {
    return journal_->outboxAfter("demo-express", journal::Channel::Notification, after, 100);
  }

  swhub::testing::TempDir dir_;
  std::unique_ptr<journal::Journal> journal_;
  LinesPlugin plugin_;
};

TEST_F(notification_pull, AnItemThatCannotBeEncodedIsDeadLetteredLeftOutAndServedAgainAfterReplay) {
  journal::WriteBatch batch;
  batch.outbox = {stored(note("N-1", "HWB1", "released"), journal::OutboxState::Pull), stored(note("N-2", "HWB2", "held"), journal::OutboxState::Pull),
                  stored(note("N-3", "HWB3", "accepted"), journal::OutboxState::Pull)};
  ASSERT_EQ(journal_->commit(batch).status, journal::CommitResult::Status::Committed);
  const auto items = read(0);
  ASSERT_EQ(items.size(), 3u);

  auto page = pullNotifications(*journal_, encoderOf(plugin_), items, 0);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].body, "HWB1:released\n");
  EXPECT_EQ(page.items[1].body, "HWB3:accepted\n");
  EXPECT_EQ(page.items[1].content_type, "text/plain");
  EXPECT_EQ(page.next, items[2].seq);
  EXPECT_EQ(page.refused, (std::vector<std::string>{
                              "partner 'demo-express': plugin 'lines' could not encode notification N-2: /state: "
                              "cannot say held"}));
  auto dead = journal_->deadLetters(0, 10);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].id, "N-2");
  EXPECT_EQ(dead[0].last_error, page.refused[0]);

  // Read again (from the start): still left out, and not dead-lettered (nor counted) twice.
  auto again = pullNotifications(*journal_, encoderOf(plugin_), read(0), 0);
  EXPECT_EQ(again.items.size(), 2u);
  EXPECT_TRUE(again.refused.empty());

  // The plugin is fixed and the dead letter replayed: a pull item again, past the partner's cursor.
  plugin_.refuseHeld = false;
  ASSERT_TRUE(journal_->replayDeadLetter(dead[0].seq));
  EXPECT_TRUE(journal_->deadLetters(0, 10).empty());
  auto replayed = pullNotifications(*journal_, encoderOf(plugin_), read(page.next), page.next);
  ASSERT_EQ(replayed.items.size(), 1u);
  EXPECT_EQ(replayed.items[0].id, "N-2");
  EXPECT_EQ(replayed.items[0].state, journal::OutboxState::Pull);
  EXPECT_GT(replayed.items[0].seq, items[2].seq);
  EXPECT_EQ(replayed.items[0].body, "HWB2:held\n");
  // Items committed later still come after it: the fresh seq was not handed out twice.
  journal::WriteBatch later;
  later.outbox = {stored(note("N-4", "HWB4", "released"), journal::OutboxState::Pull)};
  ASSERT_EQ(journal_->commit(later).status, journal::CommitResult::Status::Committed);
  auto last = read(replayed.next);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].id, "N-4");
}

TEST_F(notification_pull, APushedItemIsLeftOutButLeftToThePushWorker) {
  journal::WriteBatch batch;
  batch.outbox = {stored(note("N-1", "HWB1", "held"), journal::OutboxState::Pending)};
  ASSERT_EQ(journal_->commit(batch).status, journal::CommitResult::Status::Committed);
  auto page = pullNotifications(*journal_, encoderOf(plugin_), read(0), 0);
  EXPECT_TRUE(page.items.empty());
  EXPECT_TRUE(page.refused.empty());
  EXPECT_EQ(page.next, read(0).at(0).seq);
  EXPECT_EQ(read(0).at(0).state, journal::OutboxState::Pending);
}

TEST_F(notification_pull, ReplayAllGivesPullItemsBackToPullAndOthersToPush) {
  journal::WriteBatch batch;
  batch.outbox = {stored(note("N-1", "HWB1", "held"), journal::OutboxState::Pull), stored(note("N-2", "HWB2", "held"), journal::OutboxState::Pending)};
  ASSERT_EQ(journal_->commit(batch).status, journal::CommitResult::Status::Committed);
  const auto items = read(0);
  pullNotifications(*journal_, encoderOf(plugin_), items, 0);
  auto claimed = journal_->claimOutbox(journal::Channel::Notification, "w", 10, std::chrono::seconds(30));
  ASSERT_EQ(claimed.size(), 1u);
  journal_->completeOutbox(claimed[0].seq, "w", journal::OutboxState::Dead, std::nullopt, "refused");
  ASSERT_EQ(journal_->deadLetters(0, 10).size(), 2u);

  EXPECT_EQ(journal_->replayAllDeadLetters(), 2u);
  const auto after = read(0);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].id, "N-2");
  EXPECT_EQ(after[0].state, journal::OutboxState::Pending);
  EXPECT_EQ(after[1].id, "N-1");
  EXPECT_EQ(after[1].state, journal::OutboxState::Pull);
}

// Fails the call (as a bounded or isolated plugin does: timed out, busy, crashed), or answers a
// message without a content type (garbage).
class FailingPlugin : public sdk::PartnerPlugin {
 public:
  std::vector<std::string> contentTypes() const override { return {"text/plain"}; }
  std::unique_ptr<sdk::Decoder> open(const sdk::MessageContext&, sdk::ByteSource&) const noexcept override {
    return nullptr;
  }
  sdk::Result<sdk::EncodedMessage> encode(const std::vector<sdk::Notification>&) const noexcept override {
    if (garbage) return sdk::EncodedMessage{"", ""};
    return sdk::Errors{plugin::failureError({"faulty_partner", plugin::FailureKind::TimedOut, "encode",
                                             "no answer within 300 ms"})};
  }
  bool garbage = false;
};

TEST(notification_format, WhenThePluginFailsTheNotificationsAreToBeTriedAgainNotRefused) {
  FailingPlugin plugin;
  const NotificationEncoder encoder{&plugin, "demo-faulty", "faulty_partner"};
  auto out = formatNotifications(encoder, {stored(note("N-1", "R1", "released")), stored(note("N-2", "R2", "held"))});
  EXPECT_TRUE(out.refused.empty());
  EXPECT_TRUE(out.carried.empty());
  ASSERT_EQ(out.failed.size(), 2u);  // the batch failed as a whole: not tried one by one
  EXPECT_EQ(out.failed[0].index, 0u);
  EXPECT_EQ(out.failed[0].reason, "partner 'demo-faulty': plugin 'faulty_partner' could not encode notification N-1: "
                                  "plugin 'faulty_partner' did not answer in time during encode: no answer within 300 ms");
  EXPECT_EQ(out.failed[0].failure.kind, plugin::FailureKind::TimedOut);

  plugin.garbage = true;
  out = formatNotifications(encoder, {stored(note("N-3", "R3", "released"))});
  ASSERT_EQ(out.failed.size(), 1u);
  EXPECT_EQ(out.failed[0].reason, "partner 'demo-faulty': plugin 'faulty_partner' could not encode notification N-3: "
                                  "plugin 'faulty_partner' answered something unusable during encode: a message "
                                  "without a content type");
  EXPECT_EQ(out.failed[0].failure.kind, plugin::FailureKind::Garbage);
}

TEST(notification_format, OnThePullApiAFailedEncodeEndsThePageAndIsReadAgainLater) {
  swhub::testing::TempDir dir;
  auto journal = journal::openJournal("sqlite:" + dir.file("journal.db"));
  FailingPlugin plugin;
  const NotificationEncoder encoder{&plugin, "demo-faulty", "faulty_partner"};
  auto page = pullNotifications(*journal, encoder, {stored(note("N-1", "R1", "released"), journal::OutboxState::Pull)}, 0);
  EXPECT_TRUE(page.items.empty());
  EXPECT_TRUE(page.refused.empty());
  EXPECT_EQ(page.next, 0);  // the cursor stays before it
  EXPECT_TRUE(journal->deadLetters(0, 10).empty());
}

}  // namespace
}  // namespace swhub::release
