// Licences through the coordinator and a real journal (README "Licences and certificates"): a clear writes the
// quantity down in the decision's own commit; the last unit goes to exactly one of two cases
// decided at once; a decision other than clear, an amendment and a cancellation give back what
// the case no longer uses; every write-down and give-back is in the case's trace.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "instants.hpp"
#include "temp_dir.hpp"
#include "../model/examples.hpp"
#include "journal/journal.hpp"
#include "release/case_status.hpp"
#include "release/coordinator.hpp"
#include "routing/route_table.hpp"

namespace swhub::release {
namespace {

using swhub::testing::TempDir;

const common::Instant kFiledAt = swhub::testing::at("2026-11-28T10:00:00.000Z");

// Beef for importer PT-IMP-1 with a veterinary certificate for `quantity`.
sdk::Consignment beef(const std::string& caseId, const std::string& licence, std::optional<double> quantity = 1) {
  sdk::Consignment c = test::designConsignment();
  c.case_id = caseId;
  c.reference = "REF-" + caseId;
  c.partner = "demo-shop";
  c.filing = sdk::FilingKind::PreArrival;
  c.parties.buyer->id = "PT-IMP-1";
  c.items[0].hs = "020130";
  c.items[0].description = "Beef, boneless";
  c.items[0].documents = {{"C640", licence, quantity}};
  return c;
}

class release_licences : public ::testing::Test {
 protected:
  void SetUp() override {
    journal_ = journal::openJournal("sqlite:" + dir_.file("journal.db"));
    auto routes = routing::RouteTable::compile(sdk::Value::list({sdk::Value::map(
        {{"name", sdk::Value::string("beef")}, {"require", sdk::Value::list({sdk::Value::string("veterinary")})}})}));
    ASSERT_TRUE(routes.ok()) << sdk::formatErrors(routes.errors());
    Directory directory;
    directory.agencies["veterinary"] = {false, false};
    coordinator_ = std::make_unique<Coordinator>(*journal_, directory, routes.take());
    coordinator_->setLicences(std::make_shared<const LicenceControl>(
        std::map<std::string, std::vector<LicenceRequirement>>{
            {"veterinary", {{"veterinary-certificate", {"0201", "0202"}, {"C640"}}}}}));
    addLicence("VET-1", 10000);
  }

  void addLicence(const std::string& id, std::int64_t quantity) {
    journal::Licence l{"veterinary", id, "C640", "PT-IMP-1", "2026-01-01", "2026-12-31", quantity, quantity, ""};
    ASSERT_EQ(journal_->putLicence(l, journal::LicencePut::Insert).status, journal::LicencePutResult::Status::Written);
  }

  void file(const sdk::Consignment& c) {
    journal::WriteBatch batch;
    coordinator_->planNewCase(batch, c, "M-" + c.case_id, common::Actor::partner("demo-shop"), kFiledAt);
    ASSERT_EQ(journal_->commit(std::move(batch)).status, journal::CommitResult::Status::Committed);
  }

  void followUp(const std::string& caseId, const sdk::Consignment& filing) {
    journal::WriteBatch batch;
    auto record = journal_->getCase(caseId);
    ASSERT_TRUE(record);
    auto planned = coordinator_->planFollowUp(batch, *record, filing, "M-F-" + caseId, common::Actor::partner("demo-shop"),
                                              swhub::testing::at("2026-11-28T11:00:00.000Z"), "/");
    ASSERT_TRUE(planned.ok()) << sdk::formatErrors(planned.errors());
    ASSERT_EQ(journal_->commit(std::move(batch)).status, journal::CommitResult::Status::Committed);
  }

  DecisionResult decide(const std::string& caseId, const std::string& decision, const std::string& at) {
    DecisionInput input{"veterinary", caseId,
                        {*common::parseDecision(decision), "vet says " + decision, {}, swhub::testing::at(at),
                         swhub::testing::at(at), "api", "", "", "", {}},
                        common::Actor::agency("veterinary")};
    return coordinator_->decide(input);
  }

  std::int64_t remaining(const std::string& id = "VET-1") { return journal_->findLicence("veterinary", id)->remaining; }

  ItemDecision itemDecision(const std::string& caseId) {
    const CaseStatus status = CaseStatus::fromJson(journal_->getCase(caseId)->status_json);
    return status.agencies.at("veterinary").byItem.at(1);
  }

  // The licence events of the case's trace, as "action quantity licence".
  std::vector<std::string> licenceEvents(const std::string& caseId) {
    std::vector<std::string> out;
    for (const auto& e : journal_->caseEvents(caseId)) {
      if (e.kind == "licence") out.push_back(e.detail_json);
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<journal::Journal> journal_;
  std::unique_ptr<Coordinator> coordinator_;
};

TEST_F(release_licences, AClearWritesTheQuantityDownAndTheTraceSaysSo) {
  file(beef("C-1", "VET-1"));
  EXPECT_EQ(decide("C-1", "clear", "2026-11-28T10:01:00.000Z").status, DecisionResult::Status::Applied);
  EXPECT_EQ(itemDecision("C-1").decision, common::Decision::Clear);
  EXPECT_EQ(journal_->getCase("C-1")->state, common::CaseState::Cleared);
  EXPECT_EQ(remaining(), 0);
  const auto uses = journal_->licenceUses("C-1");
  ASSERT_EQ(uses.size(), 1u);
  EXPECT_EQ(uses[0].licence_id, "VET-1");
  EXPECT_EQ(uses[0].quantity, 10000);
  EXPECT_EQ(licenceEvents("C-1"), (std::vector<std::string>{
                                      R"({"agency":"veterinary","licence":"VET-1","item":1,"action":"written-down","quantity":"1.00","held":"1.00"})"}));
  // The same decision again is a duplicate: nothing more is taken.
  EXPECT_EQ(decide("C-1", "clear", "2026-11-28T10:01:00.000Z").status, DecisionResult::Status::Duplicate);
  EXPECT_EQ(remaining(), 0);
}

TEST_F(release_licences, TheSecondCaseOnAnExhaustedLicenceIsHeldWithTheReason) {
  file(beef("C-1", "VET-1"));
  file(beef("C-2", "VET-1"));
  decide("C-1", "clear", "2026-11-28T10:01:00.000Z");
  EXPECT_EQ(decide("C-2", "clear", "2026-11-28T10:02:00.000Z").status, DecisionResult::Status::Applied);
  const ItemDecision held = itemDecision("C-2");
  EXPECT_EQ(held.decision, common::Decision::Hold);
  EXPECT_EQ(held.reason, "licence exhausted: 'VET-1' has 0.00 left, item 1 (HS 020130) needs 1.00");
  EXPECT_EQ(held.reason_codes, (std::vector<std::string>{"LICENCE-EXHAUSTED"}));
  EXPECT_EQ(journal_->getCase("C-2")->state, common::CaseState::Held);
  EXPECT_TRUE(journal_->licenceUses("C-2").empty());
  EXPECT_TRUE(licenceEvents("C-2").empty());
}

TEST_F(release_licences, ConcurrentClearsOfTheLastUnitExactlyOneWins) {
  for (int round = 0; round < 20; ++round) {
    const std::string licence = "VET-R" + std::to_string(round);
    addLicence(licence, 10000);
    const std::string a = "A-" + std::to_string(round), b = "B-" + std::to_string(round);
    file(beef(a, licence));
    file(beef(b, licence));
    std::atomic<int> ready{0};
    auto run = [&](const std::string& caseId) {
      ready.fetch_add(1);
      while (ready.load() < 2) std::this_thread::yield();
      decide(caseId, "clear", "2026-11-28T10:05:00.000Z");
    };
    std::thread ta(run, a), tb(run, b);
    ta.join();
    tb.join();
    const common::Decision sa = itemDecision(a).decision, sb = itemDecision(b).decision;
    EXPECT_TRUE((sa == common::Decision::Clear) != (sb == common::Decision::Clear)) << "round " << round << ": " << sa << " / " << sb;
    const std::string loser = sa == common::Decision::Clear ? b : a;
    EXPECT_EQ(itemDecision(loser).reason_codes, (std::vector<std::string>{"LICENCE-EXHAUSTED"}));
    EXPECT_EQ(remaining(licence), 0);
    EXPECT_EQ(journal_->usesOfLicence("veterinary", licence).size(), 1u);
  }
}

TEST_F(release_licences, CancellationGivesTheQuantityBack) {
  file(beef("C-1", "VET-1"));
  decide("C-1", "clear", "2026-11-28T10:01:00.000Z");
  ASSERT_EQ(remaining(), 0);
  sdk::Consignment cancel;
  cancel.filing = sdk::FilingKind::Cancellation;
  cancel.reference = "REF-C-1";
  followUp("C-1", cancel);
  EXPECT_EQ(remaining(), 10000);
  EXPECT_TRUE(journal_->licenceUses("C-1").empty());
  EXPECT_EQ(licenceEvents("C-1").back(),
            R"({"agency":"veterinary","licence":"VET-1","item":1,"action":"given-back","quantity":"1.00","held":"0.00"})");
  // The unit is free for the next consignment.
  file(beef("C-2", "VET-1"));
  decide("C-2", "clear", "2026-11-28T10:03:00.000Z");
  EXPECT_EQ(itemDecision("C-2").decision, common::Decision::Clear);
  EXPECT_EQ(remaining(), 0);
}

TEST_F(release_licences, AnAmendmentThatDropsTheCertificateGivesItBack) {
  file(beef("C-1", "VET-1"));
  decide("C-1", "clear", "2026-11-28T10:01:00.000Z");
  sdk::Consignment amended = beef("C-1", "VET-1");
  amended.filing = sdk::FilingKind::Amendment;
  amended.items[0].documents = {{"C640", "VET-2", 1}};  // another certificate now
  addLicence("VET-2", 10000);
  followUp("C-1", amended);
  EXPECT_EQ(remaining("VET-1"), 10000);
  EXPECT_TRUE(journal_->licenceUses("C-1").empty());
  // The agency decides on the amended goods: the new certificate is written down.
  decide("C-1", "clear", "2026-11-28T11:01:00.000Z");
  EXPECT_EQ(remaining("VET-2"), 0);
  ASSERT_EQ(journal_->licenceUses("C-1").size(), 1u);
  EXPECT_EQ(journal_->licenceUses("C-1")[0].licence_id, "VET-2");
}

TEST_F(release_licences, AnAmendmentToASmallerQuantityGivesBackTheDifferenceWhenDecidedAgain) {
  journal::Licence l{"veterinary", "VET-5", "C640", "PT-IMP-1", "2026-01-01", "2026-12-31", 50000, 50000, ""};
  journal_->putLicence(l, journal::LicencePut::Insert);
  file(beef("C-1", "VET-5", 3));
  decide("C-1", "clear", "2026-11-28T10:01:00.000Z");
  EXPECT_EQ(remaining("VET-5"), 20000);
  sdk::Consignment amended = beef("C-1", "VET-5", 1);
  amended.filing = sdk::FilingKind::Amendment;
  followUp("C-1", amended);
  EXPECT_EQ(remaining("VET-5"), 20000);  // same certificate: kept until the agency decides again
  decide("C-1", "clear", "2026-11-28T11:01:00.000Z");
  EXPECT_EQ(remaining("VET-5"), 40000);
  EXPECT_EQ(journal_->licenceUses("C-1")[0].quantity, 10000);
  EXPECT_EQ(licenceEvents("C-1").back(),
            R"({"agency":"veterinary","licence":"VET-5","item":1,"action":"given-back","quantity":"2.00","held":"1.00"})");
}

TEST_F(release_licences, AHoldAfterAClearGivesTheQuantityBack) {
  file(beef("C-1", "VET-1"));
  decide("C-1", "clear", "2026-11-28T10:01:00.000Z");
  ASSERT_EQ(remaining(), 0);
  decide("C-1", "inspect", "2026-11-28T10:02:00.000Z");
  EXPECT_EQ(remaining(), 10000);
  EXPECT_TRUE(journal_->licenceUses("C-1").empty());
}

TEST_F(release_licences, ItemsOutOfScopeClearWithoutALicence) {
  sdk::Consignment c = beef("C-1", "VET-1");
  c.items[0].hs = "040690";  // cheese: not in the veterinary licence scope
  c.items[0].documents.clear();
  file(c);
  decide("C-1", "clear", "2026-11-28T10:01:00.000Z");
  EXPECT_EQ(itemDecision("C-1").decision, common::Decision::Clear);
  EXPECT_EQ(remaining(), 10000);
}

}  // namespace
}  // namespace swhub::release
