// GET /v1/cases with filters (CaseViews::search): each identity's scope, every bad parameter a
// 400 naming it, the cursor, and `?reference=R` answering as it always did.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "api/case_views.hpp"
#include "instants.hpp"
#include "temp_dir.hpp"

namespace swhub::api {
namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

journal::CaseRecord caseOf(const std::string& id, const std::string& partner, const std::string& reference,
                           common::CaseState state, const std::string& filed) {
  return {id, partner, reference, "pre-arrival", state, 1, "{}", "M-" + id, swhub::testing::at(filed),
          swhub::testing::at(filed)};
}

journal::OutboxItem taskOf(const std::string& caseId, const std::string& agency) {
  journal::OutboxItem o;
  o.id = "T-" + caseId + "-" + agency;
  o.channel = journal::Channel::Task;
  o.recipient = agency;
  o.case_id = caseId;
  o.content_type = "application/json";
  o.body = "{}";
  o.state = journal::OutboxState::Pull;
  o.created_at = swhub::testing::at("2026-11-28T10:00:00Z");
  return o;
}

class api_case_search : public ::testing::Test {
 protected:
  void SetUp() override {
    journal_ = journal::openJournal("sqlite:" + dir_.file("journal.db"));
    journal::WriteBatch batch;
    batch.new_cases = {caseOf("C-1", "demo-post", "R-1", common::CaseState::Held, "2026-11-28T10:00:01Z"),
                       caseOf("C-2", "demo-shop", "R-1", common::CaseState::Released, "2026-11-29T10:00:00Z"),
                       caseOf("C-3", "demo-shop", "R-3", common::CaseState::Held, "2026-11-30T10:00:00Z")};
    batch.outbox = {taskOf("C-1", "customs"), taskOf("C-3", "customs"), taskOf("C-2", "food-safety")};
    ASSERT_EQ(journal_->commit(std::move(batch)).status, journal::CommitResult::Status::Committed);
    views_ = std::make_unique<CaseViews>(*journal_);
  }

  HttpResult search(Identity::Kind kind, const std::string& id, const Query& query) {
    return views_->search(Identity{kind, id}, query);
  }

  swhub::testing::TempDir dir_;
  std::unique_ptr<journal::Journal> journal_;
  std::unique_ptr<CaseViews> views_;
};

// The case ids in an answer, in order.
std::vector<std::string> ids(const std::string& body) {
  std::vector<std::string> out;
  for (auto at = body.find("\"case_id\":\""); at != std::string::npos; at = body.find("\"case_id\":\"", at + 1)) {
    const auto start = at + 11;
    out.push_back(body.substr(start, body.find('"', start) - start));
  }
  return out;
}

using V = std::vector<std::string>;

TEST_F(api_case_search, EachIdentitySearchesItsOwnScope) {
  const auto partner = search(Identity::Kind::Partner, "demo-shop", {{"state", "held"}, {"partner", "demo-post"}});
  EXPECT_EQ(partner.status, 200);
  EXPECT_EQ(ids(partner.body), V{"C-3"});  // its own, whatever partner it names
  EXPECT_EQ(ids(search(Identity::Kind::Agency, "customs", {}).body), (V{"C-3", "C-1"}));
  EXPECT_EQ(ids(search(Identity::Kind::Agency, "customs", {{"reference", "R-1"}}).body), V{"C-1"});
  EXPECT_EQ(ids(search(Identity::Kind::Admin, "admin", {{"reference", "R-1"}}).body), (V{"C-2", "C-1"}));
  EXPECT_EQ(ids(search(Identity::Kind::Admin, "admin", {{"agency", "food-safety"}}).body), V{"C-2"});
  EXPECT_EQ(ids(search(Identity::Kind::Admin, "admin", {{"from", "2026-11-29"}, {"to", "2026-11-29"}}).body), V{"C-2"});
  const auto other = search(Identity::Kind::Agency, "customs", {{"agency", "food-safety"}});
  EXPECT_EQ(other.status, 403);
  EXPECT_NE(other.body.find("\"path\":\"agency\""), std::string::npos);
}

TEST_F(api_case_search, EveryBadParameterIsA400NamingIt) {
  const auto r = search(Identity::Kind::Admin, "admin",
                        {{"state", "lost"}, {"from", "yesterday"}, {"to", "2026-13-01"}, {"limit", "0"}, {"after", "C-1"},
                         {"colour", "red"}});
  ASSERT_EQ(r.status, 400);
  for (const char* name : {"state", "from", "to", "limit", "after", "colour"}) {
    EXPECT_NE(r.body.find(std::string("\"path\":\"") + name + "\""), std::string::npos) << name << ": " << r.body;
  }
  EXPECT_EQ(search(Identity::Kind::Admin, "admin", {{"limit", "501"}}).status, 400);
  EXPECT_EQ(search(Identity::Kind::Admin, "admin", {{"from", "2026-11-30"}, {"to", "2026-11-29"}}).status, 400);
}

TEST_F(api_case_search, ACursorLeadsToTheNextPageAndTheLastHasNone) {
  const auto first = search(Identity::Kind::Admin, "admin", {{"limit", "2"}});
  EXPECT_EQ(ids(first.body), (V{"C-3", "C-2"}));
  EXPECT_NE(first.body.find("\"next\":\"2026-11-29T10:00:00.000Z~C-2\""), std::string::npos) << first.body;
  const auto second = search(Identity::Kind::Admin, "admin", {{"limit", "2"}, {"after", "2026-11-29T10:00:00.000Z~C-2"}});
  EXPECT_EQ(ids(second.body), V{"C-1"});
  EXPECT_NE(second.body.find("\"next\":null"), std::string::npos) << second.body;
}

TEST_F(api_case_search, AReferenceAloneAnswersAsItAlwaysDid) {
  const Identity shop{Identity::Kind::Partner, "demo-shop"};
  EXPECT_EQ(views_->search(shop, {{"reference", "R-1"}}).body, views_->byReference(shop, "R-1", "").body);
  EXPECT_EQ(views_->search(shop, {{"reference", "R-1"}}).body.find("next"), std::string::npos);
  const Identity admin{Identity::Kind::Admin, "admin"};
  EXPECT_EQ(views_->search(admin, {{"reference", "R-1"}, {"partner", "demo-post"}}).body,
            views_->byReference(admin, "R-1", "demo-post").body);
  EXPECT_EQ(views_->search(shop, {{"reference", ""}}).status, 400);
}

}  // namespace
}  // namespace swhub::api
