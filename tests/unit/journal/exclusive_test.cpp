// The serving hub holds its journal alone (a second one is refused, naming the holder), while
// CLI readers open it beside; and it takes back at once what a dead predecessor had claimed.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "instants.hpp"
#include "temp_dir.hpp"
#include "journal/journal.hpp"

namespace swhub::journal {
namespace {

using Status = CommitResult::Status;
using namespace std::chrono_literals;
using swhub::testing::TempDir;

const common::Instant kAt = swhub::testing::at("2026-11-28T10:00:00.000Z");

JournalOptions exclusive() {
  JournalOptions options;
  options.exclusive = true;
  return options;
}

WriteBatch pending(const std::string& id) {
  WriteBatch batch;
  OutboxItem o;
  o.id = id;
  o.channel = journal::Channel::Notification;
  o.recipient = "demo-post";
  o.case_id = "C-" + id;
  o.content_type = "application/json";
  o.body = "{}";
  o.created_at = kAt;
  batch.outbox.push_back(o);
  return batch;
}

TEST(journal_exclusive, ASecondServingOpenIsRefusedNamingTheJournalAndTheHoldersPid) {
  TempDir dir;
  const std::string file = dir.file("j.db");
  auto first = openJournal("sqlite:" + file, exclusive());
  try {
    openJournal("sqlite:" + file, exclusive());
    FAIL() << "a second exclusive open succeeded";
  } catch (const JournalError& e) {
    EXPECT_EQ(std::string(e.what()), "sqlite:" + file + " is in use by another hub (pid " + std::to_string(getpid()) +
                                         ", lock file " + file + ".lock): one hub per SQLite journal");
  }
  // CLI commands read and write beside it.
  auto beside = openJournal("sqlite:" + file);
  EXPECT_EQ(beside->commit(pending("N-1")).status, Status::Committed);
  EXPECT_EQ(first->outboxAfter("demo-post", journal::Channel::Notification, 0, 10).size(), 1u);
  beside.reset();
  // Closed, the lock is free again.
  first.reset();
  EXPECT_NO_THROW(openJournal("sqlite:" + file, exclusive()));
}

TEST(journal_exclusive, OnlyTheServingOpenDropsWhatACrashLeftStaged) {
  TempDir dir;
  const std::string url = "sqlite:" + dir.file("j.db");
  auto serving = openJournal(url, exclusive());
  ASSERT_EQ(serving->beginStaged({"M-1", "demo-express", "text/csv", "", "sha256:1", kAt, "", journal::MessageStatus::Staging, "", 0}, 4).status,
            Status::Committed);
  // A CLI command opening beside a running large filing leaves it alone.
  openJournal(url).reset();
  EXPECT_EQ(serving->writeStagedBody("M-1", 0, "abcd").status, Status::Committed);
  serving.reset();  // as a crash would leave it
  auto restarted = openJournal(url, exclusive());
  EXPECT_EQ(restarted->stats().messages, 0);
}

TEST(journal_exclusive, ReleaseDeadClaimsHandsBackEveryOtherOwnersLeaseAtOnce) {
  TempDir dir;
  auto journal = openJournal("sqlite:" + dir.file("j.db"), exclusive());
  ASSERT_EQ(journal->commit(pending("N-1")).status, Status::Committed);
  ASSERT_EQ(journal->commit(pending("N-2")).status, Status::Committed);
  // A crashed process start claimed N-1 with a 60 s lease.
  ASSERT_EQ(journal->claimOutbox(journal::Channel::Notification, "node/1-100-aa/push", 1, 60s).size(), 1u);
  const std::string self = "node/2-200-bb/";
  auto mine = journal->claimOutbox(journal::Channel::Notification, self + "push", 10, 60s);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].id, "N-2");
  EXPECT_EQ(journal->releaseDeadClaims(self), 1u);
  auto resumed = journal->claimOutbox(journal::Channel::Notification, self + "push", 10, 60s);
  ASSERT_EQ(resumed.size(), 1u);
  EXPECT_EQ(resumed[0].id, "N-1");
  EXPECT_EQ(resumed[0].attempts, 0);
  // Its own leases stay.
  EXPECT_EQ(journal->releaseDeadClaims(self), 0u);
  EXPECT_TRUE(journal->claimOutbox(journal::Channel::Notification, self + "push", 10, 60s).empty());
}

TEST(journal_exclusive, AJournalOpenedBesideReleasesNoClaims) {
  TempDir dir;
  auto journal = openJournal("sqlite:" + dir.file("j.db"));
  ASSERT_EQ(journal->commit(pending("N-1")).status, Status::Committed);
  ASSERT_EQ(journal->claimOutbox(journal::Channel::Notification, "node/1-100-aa/push", 1, 60s).size(), 1u);
  EXPECT_EQ(journal->releaseDeadClaims("node/2-200-bb/"), 0u);
  EXPECT_TRUE(journal->claimOutbox(journal::Channel::Notification, "node/2-200-bb/push", 10, 60s).empty());
}

TEST(journal_exclusive, OwnerIdsDifferPerProcessStartAndNameTheNode) {
  const std::string a = newOwnerId();
  const std::string b = newOwnerId();
  EXPECT_NE(a, b);
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  EXPECT_EQ(a.rfind(std::string(host) + "/" + std::to_string(getpid()) + "-", 0), 0u) << a;
}

}  // namespace
}  // namespace swhub::journal
