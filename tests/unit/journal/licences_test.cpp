// The licence registry in the journal: a write-down is a conditional update in the batch's own
// transaction (the store, not a read before it, decides who gets the last unit), a refused one
// writes nothing of its batch; an update keeps what cases use.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "backends.hpp"
#include "temp_dir.hpp"
#include "journal/journal.hpp"

namespace swhub::journal {
namespace {

using swhub::testing::TempDir;

Licence vet(const std::string& id, std::int64_t quantity) {
  return Licence{"veterinary", id, "C640", "PT-IMP-1", "2026-01-01", "2026-12-31", quantity, quantity, ""};
}

WriteBatch use(const std::string& caseId, const std::string& licence, std::int64_t quantity) {
  WriteBatch batch;
  batch.licence_changes.push_back({"veterinary", licence, caseId, 1, quantity});
  return batch;
}

// On both backends (backends.hpp). journal_licences_sqlite: none.
JOURNAL_SUITE(journal_licences);

TEST_P(journal_licences, AWriteDownTakesWhatIsLeftAndAGiveBackReturnsIt) {
  auto journal = openJournal(journalUrl());
  ASSERT_EQ(journal->putLicence(vet("VET-1", 30000), LicencePut::Insert).status, LicencePutResult::Status::Written);
  ASSERT_EQ(journal->commit(use("C-1", "VET-1", 20000)).status, CommitResult::Status::Committed);
  EXPECT_EQ(journal->findLicence("veterinary", "VET-1")->remaining, 10000);
  // More than is left: refused whole.
  const auto refused = journal->commit(use("C-2", "VET-1", 20000));
  EXPECT_EQ(refused.status, CommitResult::Status::Stale);
  EXPECT_EQ(refused.error, "licence 'VET-1' of agency 'veterinary' has less than the quantity case C-2 takes for item 1");
  EXPECT_TRUE(journal->licenceUses("C-2").empty());
  // The same case again with a larger use takes only the difference; a smaller one gives back.
  ASSERT_EQ(journal->commit(use("C-1", "VET-1", 30000)).status, CommitResult::Status::Committed);
  EXPECT_EQ(journal->findLicence("veterinary", "VET-1")->remaining, 0);
  ASSERT_EQ(journal->commit(use("C-1", "VET-1", 5000)).status, CommitResult::Status::Committed);
  EXPECT_EQ(journal->findLicence("veterinary", "VET-1")->remaining, 25000);
  ASSERT_EQ(journal->commit(use("C-1", "VET-1", 0)).status, CommitResult::Status::Committed);
  EXPECT_EQ(journal->findLicence("veterinary", "VET-1")->remaining, 30000);
  EXPECT_TRUE(journal->licenceUses("C-1").empty());
}

TEST_P(journal_licences, TwoConcurrentUsesOfTheLastUnitExactlyOneCommits) {
  auto journal = openJournal(journalUrl());
  for (int round = 0; round < 50; ++round) {
    const std::string id = "VET-" + std::to_string(round);
    journal->putLicence(vet(id, 10000), LicencePut::Insert);
    std::atomic<int> ready{0};
    CommitResult results[2];
    auto run = [&](int n) {
      ready.fetch_add(1);
      while (ready.load() < 2) std::this_thread::yield();
      results[n] = journal->commit(use("C-" + std::to_string(n) + "-" + id, id, 10000));
    };
    std::thread a(run, 0), b(run, 1);
    a.join();
    b.join();
    const int committed = (results[0].status == CommitResult::Status::Committed) +
                          (results[1].status == CommitResult::Status::Committed);
    EXPECT_EQ(committed, 1) << "round " << round;
    EXPECT_EQ(journal->findLicence("veterinary", id)->remaining, 0);
    EXPECT_EQ(journal->usesOfLicence("veterinary", id).size(), 1u);
  }
}

TEST_P(journal_licences, PutAddsOnceSeedsIdempotentlyAndUpdatesKeepWhatIsUsed) {
  auto journal = openJournal(journalUrl());
  EXPECT_EQ(journal->putLicence(vet("VET-1", 30000), LicencePut::Insert).status, LicencePutResult::Status::Written);
  EXPECT_EQ(journal->putLicence(vet("VET-1", 90000), LicencePut::Insert).status, LicencePutResult::Status::Exists);
  EXPECT_EQ(journal->putLicence(vet("VET-1", 90000), LicencePut::InsertIfAbsent).status,
            LicencePutResult::Status::Unchanged);
  EXPECT_EQ(journal->findLicence("veterinary", "VET-1")->quantity, 30000);
  ASSERT_EQ(journal->commit(use("C-1", "VET-1", 20000)).status, CommitResult::Status::Committed);
  const auto below = journal->putLicence(vet("VET-1", 10000), LicencePut::Update);
  EXPECT_EQ(below.status, LicencePutResult::Status::BelowUsed);
  EXPECT_EQ(journal->findLicence("veterinary", "VET-1")->quantity, 30000);
  Licence more = vet("VET-1", 50000);
  more.valid_to = "2027-06-30";
  const auto updated = journal->putLicence(more, LicencePut::Update);
  EXPECT_EQ(updated.status, LicencePutResult::Status::Written);
  EXPECT_EQ(updated.stored.quantity, 50000);
  EXPECT_EQ(updated.stored.remaining, 30000);
  EXPECT_EQ(updated.stored.valid_to, "2027-06-30");
  EXPECT_EQ(journal->putLicence(vet("VET-9", 1), LicencePut::Update).status, LicencePutResult::Status::Missing);
  EXPECT_EQ(journal->listLicences("veterinary").size(), 1u);
  EXPECT_EQ(journal->listLicences("").size(), 1u);
  EXPECT_TRUE(journal->listLicences("food-safety").empty());
}

TEST_P(journal_licences, SeedingAddsWhatIsMissingInOneGoAndKeepsWhatIsThere) {
  auto journal = openJournal(journalUrl());
  ASSERT_EQ(journal->seedLicences({vet("VET-1", 10000), vet("VET-2", 20000)}), 2u);
  ASSERT_EQ(journal->commit(use("C-1", "VET-1", 10000)).status, CommitResult::Status::Committed);
  // Seeded again (the hub restarted): VET-1 keeps its quantity used, VET-3 is added.
  EXPECT_EQ(journal->seedLicences({vet("VET-1", 10000), vet("VET-2", 20000), vet("VET-3", 5000)}), 1u);
  EXPECT_EQ(journal->findLicence("veterinary", "VET-1")->remaining, 0);
  EXPECT_EQ(journal->listLicences("veterinary").size(), 3u);
}

}  // namespace
}  // namespace swhub::journal
