// What the hub does with a declaration's facts (README "Supplementary declarations"): a
// supplementary completes released or cleared declarations of its own filer, each once; a final
// supplementary closes one month of its filer's account, once; each refusal names the element the
// previous document came from.
#include <gtest/gtest.h>

#include "intake/declaration_plan.hpp"
#include "journal/journal.hpp"
#include "temp_dir.hpp"

namespace swhub::intake {
namespace {

const common::Instant kNow = *common::parseInstant("2026-11-20T10:00:00.000Z");
const std::string kAt = "/MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/PreviousDocument[1]/ID";

class intake_declaration_plan : public ::testing::Test {
 protected:
  void SetUp() override {
    journal_ = journal::openJournal("sqlite:" + dir_.file("journal.db"));
    add("C-REL", "broker", "LRN-REL", "declaration", common::CaseState::Released);
    add("C-CLR", "broker", "LRN-CLR", "pre-arrival", common::CaseState::Cleared);
    add("C-HELD", "broker", "LRN-HELD", "declaration", common::CaseState::Held);
    add("C-OTHER", "other", "LRN-OTHER", "declaration", common::CaseState::Released);
    add("C-SUP", "broker", "LRN-SUP", "supplementary", common::CaseState::Released);
  }

  void add(const std::string& id, const std::string& partner, const std::string& reference, const std::string& filing,
           common::CaseState state) {
    journal::WriteBatch batch;
    batch.new_cases.push_back({id, partner, reference, filing, state, 1, "{}", "M-" + id, kNow, kNow, "{}"});
    ASSERT_EQ(journal_->commit(std::move(batch)).status, journal::CommitResult::Status::Committed);
  }

  static sdk::Consignment filing(sdk::FilingKind kind, const std::string& partner = "broker") {
    sdk::Consignment c;
    c.case_id = "C-NEW";
    c.reference = "LRN-NEW";
    c.partner = partner;
    c.filing = kind;
    return c;
  }

  static sdk::DeclarationFacts completing(const std::vector<std::string>& ids) {
    sdk::DeclarationFacts f;
    f.additional_type = "Y";
    for (const auto& id : ids) f.completes.push_back({"Y", "SDE", id, kAt});
    return f;
  }

  sdk::Result<DeclarationPlan> plan(const sdk::Consignment& c, const std::optional<sdk::DeclarationFacts>& facts,
                                    const std::string& account = "ACC-1") {
    return planDeclaration(*journal_, c, facts, account, "M-1", kNow, "/MetaData/Declaration");
  }

  std::string refusal(const sdk::Consignment& c, const std::optional<sdk::DeclarationFacts>& facts,
                      const std::string& account = "ACC-1") {
    auto planned = plan(c, facts, account);
    if (planned.ok()) return "accepted";
    std::string text = sdk::formatErrors(planned.errors());
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  }

  swhub::testing::TempDir dir_;
  std::unique_ptr<journal::Journal> journal_;
};

TEST_F(intake_declaration_plan, ASupplementaryCompletesReleasedOrClearedCasesByIdOrReference) {
  auto planned = plan(filing(sdk::FilingKind::Supplementary), completing({"C-REL", "LRN-CLR"}));
  ASSERT_TRUE(planned.ok()) << sdk::formatErrors(planned.errors());
  const auto& links = planned.value().links;
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0], (journal::DeclarationLink{"C-NEW", "supplementary", "Y", "C-REL", "", "", "{}", kNow}));
  EXPECT_EQ(links[1].completes, "C-CLR");
  // One event on the supplementary and one on each case it completes, for their traces.
  ASSERT_EQ(planned.value().events.size(), 4u);
  EXPECT_EQ(planned.value().events[1].case_id, "C-REL");
  EXPECT_EQ(planned.value().events[1].kind, "supplemented");
}

TEST_F(intake_declaration_plan, EachRefusalNamesThePreviousDocument) {
  const auto supplementary = filing(sdk::FilingKind::Supplementary);
  const std::string unknown = " names no case of partner 'broker' (a supplementary declaration completes its filer's "
                              "own declarations, named by the hub's case id or the filer's reference)";
  EXPECT_EQ(refusal(supplementary, completing({"C-NONE"})), kAt + ": previous document Y-SDE 'C-NONE'" + unknown);
  // Another partner's case reads exactly like no case at all.
  EXPECT_EQ(refusal(supplementary, completing({"C-OTHER"})), kAt + ": previous document Y-SDE 'C-OTHER'" + unknown);
  EXPECT_EQ(refusal(supplementary, completing({"C-HELD"})),
            kAt + ": previous document Y-SDE 'C-HELD' is case C-HELD in state 'held': a supplementary declaration "
                  "completes a released or cleared declaration");
  EXPECT_EQ(refusal(supplementary, completing({"C-SUP"})),
            kAt + ": previous document Y-SDE 'C-SUP' is case C-SUP, itself a supplementary declaration: a "
                  "supplementary declaration completes a declaration of goods");
  EXPECT_EQ(refusal(supplementary, completing({"C-REL", "LRN-REL"})),
            kAt + ": previous document Y-SDE 'LRN-REL' names case C-REL a second time");
  EXPECT_EQ(refusal(supplementary, completing({})),
            "/MetaData/Declaration: a supplementary declaration names the declarations it completes (previous "
            "document Y-SDE, or Y-DCR for an entry in the declarant's records): none given");
  EXPECT_EQ(refusal(supplementary, std::nullopt),
            "/MetaData/Declaration: a filing of kind 'supplementary' comes with what it completes or closes (its "
            "format's previous documents); none came with it");
}

TEST_F(intake_declaration_plan, ACaseIsCompletedOnceAlsoWhenTheStoreDecides) {
  journal::WriteBatch batch;
  batch.declaration_links.push_back({"C-Y1", "supplementary", "Y", "C-REL", "", "", "{}", kNow});
  ASSERT_EQ(journal_->commit(std::move(batch)).status, journal::CommitResult::Status::Committed);
  EXPECT_EQ(refusal(filing(sdk::FilingKind::Supplementary), completing({"C-REL"})),
            kAt + ": previous document Y-SDE 'C-REL': case C-REL is completed already by supplementary declaration C-Y1");
  // Two racing supplementaries both pass the check: the journal refuses the second as stale (the
  // filer is told to send it again, and is then refused with the reason above).
  journal::WriteBatch again;
  again.declaration_links.push_back({"C-Y2", "supplementary", "Y", "C-REL", "", "", "{}", kNow});
  const auto result = journal_->commit(std::move(again));
  EXPECT_EQ(result.status, journal::CommitResult::Status::Stale);
  EXPECT_EQ(result.error, "case 'C-REL' is completed already by supplementary declaration C-Y1");
}

TEST_F(intake_declaration_plan, AFinalSupplementaryClosesAMonthOfItsFilersAccountOnce) {
  sdk::DeclarationFacts q;
  q.additional_type = "Q";
  q.period = "2026-11";
  q.counts = {{"Y", 1, 1}, {"Z", 0, 0}};
  q.totals = {{"vat", *sdk::Decimal::parse("240.00"), "GBP", "/x"}};
  const auto final = filing(sdk::FilingKind::FinalSupplementary);
  auto planned = plan(final, q);
  ASSERT_TRUE(planned.ok()) << sdk::formatErrors(planned.errors());
  ASSERT_EQ(planned.value().links.size(), 1u);
  EXPECT_EQ(planned.value().links[0],
            (journal::DeclarationLink{"C-NEW", "final-supplementary", "Q", "", "ACC-1", "2026-11",
                                      R"({"counts":[{"type":"Y","finalised":1,"due":1},{"type":"Z","finalised":0,"due":0}],)"
                                      R"("totals":[{"tax":"vat","amount":"240.00","currency":"GBP"}]})",
                                      kNow}));
  journal::WriteBatch batch;
  batch.declaration_links = planned.value().links;
  ASSERT_EQ(journal_->commit(std::move(batch)).status, journal::CommitResult::Status::Committed);
  EXPECT_EQ(refusal(final, q), "/MetaData/Declaration: period 2026-11 of account ACC-1 is closed already by final "
                               "supplementary declaration C-NEW");
  q.period = "2026-12";
  EXPECT_EQ(refusal(final, q, ""), "/MetaData/Declaration: partner 'broker' holds no account: a final supplementary "
                                   "declaration closes a period of its filer's account (partners.broker.account)");
  q.account = "ACC-9";
  EXPECT_EQ(refusal(final, q), "/MetaData/Declaration: account 'ACC-9' is not the account of partner 'broker' (ACC-1): "
                               "a final supplementary declaration closes its filer's account");
  q.account = "";
  q.period = "2026-13";
  EXPECT_EQ(refusal(final, q), "/MetaData/Declaration: period '2026-13' is not a month YYYY-MM");
}

TEST_F(intake_declaration_plan, ASimplifiedDeclarationIsMarkedAndAStandardOneIsNot) {
  sdk::DeclarationFacts c;
  c.additional_type = "C";
  c.simplified = true;
  auto planned = plan(filing(sdk::FilingKind::Declaration), c);
  ASSERT_TRUE(planned.ok());
  ASSERT_EQ(planned.value().links.size(), 1u);
  EXPECT_EQ(planned.value().links[0].kind, "simplified");
  planned = plan(filing(sdk::FilingKind::Declaration), std::nullopt);
  ASSERT_TRUE(planned.ok());
  EXPECT_TRUE(planned.value().links.empty());
}

}  // namespace
}  // namespace swhub::intake
