// The intake pipeline without HTTP: a fake partner plugin hands over what each test wants, a real
// SQLite journal keeps it. The same message gets the same outcome whether it is held in memory
// or spooled and staged in chunks.

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <fstream>
#include <functional>

#include "temp_dir.hpp"
#include "../model/examples.hpp"
#include "common/ids.hpp"
#include "intake/pipeline.hpp"
#include "plugin/plugin_failure.hpp"
#include "routing/route_table.hpp"

namespace swhub::intake {
namespace {

using swhub::testing::TempDir;

constexpr const char* kType = "application/x-fake";

// Hands over a scripted list, calling `before(i)` before its i-th item, then calls `atEnd` (a
// test's chance to change the journal between the decoding and the commit).
class ScriptedDecoder : public sdk::Decoder {
 public:
  ScriptedDecoder(std::vector<sdk::Decoded> script, std::function<void(std::size_t)> before, std::function<void()> atEnd)
      : script_(std::move(script)), before_(std::move(before)), atEnd_(std::move(atEnd)) {}
  std::optional<sdk::Decoded> next() noexcept override {
    if (at_ < script_.size()) {
      if (before_) before_(at_);
      return script_[at_++];
    }
    if (atEnd_) std::exchange(atEnd_, nullptr)();
    return std::nullopt;
  }

 private:
  std::vector<sdk::Decoded> script_;
  std::size_t at_ = 0;
  std::function<void(std::size_t)> before_;
  std::function<void()> atEnd_;
};

class ScriptedPlugin : public sdk::PartnerPlugin {
 public:
  std::vector<std::string> contentTypes() const override { return {kType}; }
  std::unique_ptr<sdk::Decoder> open(const sdk::MessageContext&, sdk::ByteSource& input) const noexcept override {
    char buffer[4096];
    while (input.read(buffer, sizeof buffer) > 0) {
    }
    return std::make_unique<ScriptedDecoder>(script, std::exchange(before, nullptr), std::exchange(atEnd, nullptr));
  }
  sdk::Result<sdk::EncodedMessage> encode(const std::vector<sdk::Notification>&) const noexcept override {
    return sdk::EncodedMessage{"text/plain", ""};
  }
  std::vector<sdk::Decoded> script;
  mutable std::function<void(std::size_t)> before;  // these two once
  mutable std::function<void()> atEnd;
};

sdk::DecodedFiling filing(const std::string& reference, const std::string& location,
                          sdk::FilingKind kind = sdk::FilingKind::PreArrival) {
  sdk::Consignment c = test::designConsignment();
  c.reference = reference;
  c.filing = kind;
  return {c, location};
}

sdk::Errors pluginFailure(plugin::FailureKind kind) {
  return {plugin::failureError({"fake", kind, "decode", "no answer within 2000 ms"})};
}

class intake_pipeline : public ::testing::Test {
 protected:
  intake_pipeline() {
    journal_ = journal::openJournal("sqlite:" + dir_.file("journal.db"));
    auto routes = routing::RouteTable::compile(sdk::Value::list({sdk::Value::map(
        {{"name", sdk::Value::string("all")}, {"require", sdk::Value::list({sdk::Value::string("customs")})}})}));
    release::Directory directory;
    directory.agencies["customs"] = {false, false};
    coordinator_ = std::make_unique<release::Coordinator>(*journal_, directory, routes.take());
    bool made = false;
    signer_ = security::ReceiptSigner::loadOrMake(dir_.path(), made);
    addPartner("demo-post", false);
    addPartner("demo-market", true);
    pipeline_ = std::make_unique<Pipeline>(*journal_, metrics_, partners_, nullptr, *coordinator_, *signer_,
                                           [](const Outcome& o) {
                                             return Rendered{o.kind == OutcomeKind::Invalid ? 400 : 422, o.detail};
                                           });
    pipeline_->setStageChunk(2);
  }

  void addPartner(const std::string& id, bool acceptValid) {
    auto partner = std::make_unique<PartnerRuntime>();
    partner->config.id = id;
    partner->config.accept_valid = acceptValid;
    partner->instance = std::make_unique<plugin::Instance<sdk::PartnerPlugin>>();
    partner->instance->id = id;
    partner->instance->plugin = std::make_unique<ScriptedPlugin>();
    partner->contentTypes = {kType};
    partners_[id] = std::move(partner);
  }
  ScriptedPlugin& plugin(const std::string& partner) {
    return static_cast<ScriptedPlugin&>(*partners_.at(partner)->instance->plugin);
  }

  // Files `body` as `partner`: in memory, or (`spooled`) from a file, as a large message is.
  Outcome file(const std::string& partner, bool spooled, const std::string& body = "{}", const std::string& key = "") {
    Message m;
    m.partnerId = partner;
    m.contentType = std::string(kType) + "; charset=utf-8";
    m.idempotencyKey = key;
    m.spool = dir_.path();
    m.digest = "sha256:" + common::sha256Hex(body);
    m.size = static_cast<std::int64_t>(body.size());
    if (spooled) {
      m.file = dir_.path() / "body";
      std::ofstream(m.file, std::ios::binary) << body;
    } else {
      m.bytes = &body;
    }
    return pipeline_->file(m);
  }

  static std::string receiptOf(const Outcome& o) {
    if (!o.stream) return o.body;
    std::string out(static_cast<std::size_t>(o.stream->size), '\0');
    std::size_t at = 0;
    while (at < out.size()) {
      const std::size_t n = o.stream->read(out.data() + at, out.size() - at);
      if (n == 0) break;
      at += n;
    }
    out.resize(at);
    return out;
  }

  TempDir dir_;
  std::unique_ptr<journal::Journal> journal_;
  std::unique_ptr<release::Coordinator> coordinator_;
  std::unique_ptr<security::ReceiptSigner> signer_;
  metrics::HubMetrics metrics_;
  std::map<std::string, std::unique_ptr<PartnerRuntime>> partners_;
  std::unique_ptr<Pipeline> pipeline_;
};

TEST_F(intake_pipeline, AcceptsEveryFilingInMemoryOrStagedWithTheSameReceipt) {
  for (bool spooled : {false, true}) {
    SCOPED_TRACE(spooled ? "staged" : "in memory");
    const std::string prefix = spooled ? "S-" : "M-";
    plugin("demo-post").script = {filing(prefix + "1", "/0"), filing(prefix + "2", "/1"), filing(prefix + "3", "/2"),
                                  filing(prefix + "4", "/3"), filing(prefix + "5", "/4")};
    const Outcome o = file("demo-post", spooled, "body " + prefix);
    ASSERT_EQ(o.kind, OutcomeKind::Accepted) << o.detail << sdk::formatErrors(o.errors);
    EXPECT_EQ(o.stream.has_value(), spooled);
    const std::string receipt = receiptOf(o);
    for (int i = 1; i <= 5; ++i) {
      const std::string reference = prefix + std::to_string(i);
      EXPECT_NE(receipt.find("\"reference\":\"" + reference + "\",\"state\":\"under-assessment\""), std::string::npos)
          << receipt;
      EXPECT_EQ(journal_->findCases("demo-post", reference).size(), 1u) << reference;
    }
    EXPECT_EQ(receipt.find("{\"message_id\":\"M-"), 0u) << receipt;
    EXPECT_NE(receipt.find("\"signature_alg\":\"ecdsa-p256-sha256\"}"), std::string::npos) << receipt;
  }
  EXPECT_EQ(metrics_.filingsAccepted.value("demo-post"), 10u);
}

TEST_F(intake_pipeline, APluginFailureRefusesTheWholeMessageAsPluginFailedAndJournalsIt) {
  for (bool spooled : {false, true}) {
    SCOPED_TRACE(spooled ? "staged" : "in memory");
    for (const std::string partner : {"demo-post", "demo-market"}) {  // reject-all and accept-valid alike
      plugin(partner).script = {filing("GOOD-" + partner + std::to_string(spooled), "/0"),
                                pluginFailure(plugin::FailureKind::Garbage)};
      const auto before = journal_->stats();
      const Outcome o = file(partner, spooled);
      ASSERT_EQ(o.kind, OutcomeKind::PluginFailed) << toString(o.kind);
      ASSERT_EQ(o.errors.size(), 1u);
      EXPECT_EQ(o.errors[0].path, "plugins.fake");
      EXPECT_EQ(o.errors[0].message,
                "plugin 'fake' answered something unusable during decode: no answer within 2000 ms");
      EXPECT_EQ(o.detail,
                "plugin 'fake' answered something unusable during decode: no answer within 2000 ms; nothing was filed");
      const auto after = journal_->stats();
      EXPECT_EQ(after.messages, before.messages + 1) << "journaled as rejected";
      EXPECT_EQ(after.cases, before.cases) << "nothing of it filed";
      EXPECT_TRUE(journal_->findCases(partner, "GOOD-" + partner + std::to_string(spooled)).empty());
    }
  }
  EXPECT_EQ(metrics_.filingsRejected.value("demo-post"), 2u);
  EXPECT_EQ(metrics_.filingsRejected.value("demo-market"), 2u);
}

TEST_F(intake_pipeline, ABusyPluginIsToldApartSoThatThePartnerRetries) {
  plugin("demo-post").script = {pluginFailure(plugin::FailureKind::Busy)};
  const Outcome o = file("demo-post", false);
  EXPECT_EQ(o.kind, OutcomeKind::PluginBusy);
  ASSERT_EQ(o.errors.size(), 1u);
  EXPECT_EQ(o.errors[0].path, "plugins.fake");
  plugin("demo-post").script = {pluginFailure(plugin::FailureKind::TimedOut)};
  EXPECT_EQ(file("demo-post", true).kind, OutcomeKind::PluginFailed);
}

// A filing said to be valid without anything to file it under (the faulty fixture's
// FAULT-GARBAGE) is the plugin's failure, not an error of the message.
TEST_F(intake_pipeline, AFilingWithoutAReferenceIsThePluginsGarbage) {
  partners_.at("demo-post")->config.plugin = "scripted";
  plugin("demo-post").script = {filing("FINE", "/0"), sdk::DecodedFiling{sdk::Consignment{}, "line 2"}};
  const Outcome o = file("demo-post", false);
  ASSERT_EQ(o.kind, OutcomeKind::PluginFailed);
  ASSERT_EQ(o.errors.size(), 1u);
  EXPECT_EQ(o.errors[0].path, "plugins.scripted");
  EXPECT_EQ(o.errors[0].message,
            "plugin 'scripted' answered something unusable during decode: a filing at 'line 2' without a reference");
  EXPECT_TRUE(journal_->findCases("demo-post", "FINE").empty());
}

TEST_F(intake_pipeline, AnInputErrorIsNotAPluginFailure) {
  plugin("demo-post").script = {sdk::Errors{{"/0/items/0/hs", "not an HS code"}}};
  const Outcome o = file("demo-post", false);
  EXPECT_EQ(o.kind, OutcomeKind::Invalid);
  EXPECT_EQ(o.detail, "1 error(s) in the message; nothing was filed");
  ASSERT_EQ(o.errors.size(), 1u);
  EXPECT_EQ(o.errors[0].path, "/0/items/0/hs");
}

TEST_F(intake_pipeline, AReferenceFiledTwiceInOneMessageOrEarlierIsRefusedTheSameWayInBothSinks) {
  for (bool spooled : {false, true}) {
    SCOPED_TRACE(spooled ? "staged" : "in memory");
    const std::string twice = spooled ? "TWICE-S" : "TWICE-M";
    // Far apart in the message: the first is staged in an earlier chunk than the second.
    plugin("demo-post").script = {filing(twice, "/0"), filing("A" + twice, "/1"), filing("B" + twice, "/2"),
                                  filing(twice, "/3")};
    const Outcome o = file("demo-post", spooled);
    ASSERT_EQ(o.kind, OutcomeKind::Invalid);
    ASSERT_EQ(o.errors.size(), 1u);
    EXPECT_EQ(o.errors[0].path, "/3");
    EXPECT_EQ(o.errors[0].message,
              "reference '" + twice + "' was already filed by 'demo-post': file an amendment or a cancellation for it");
    EXPECT_TRUE(journal_->findCases("demo-post", "A" + twice).empty());
  }
  // Filed by an earlier message: accept-valid files the rest and lists it in the receipt.
  plugin("demo-market").script = {filing("ONCE", "/0")};
  ASSERT_EQ(file("demo-market", false).kind, OutcomeKind::Accepted);
  for (bool spooled : {false, true}) {
    const std::string other = spooled ? "OTHER-S" : "OTHER-M";
    plugin("demo-market").script = {filing("ONCE", "/0"), filing(other, "/1")};
    const Outcome o = file("demo-market", spooled, "again " + other);
    ASSERT_EQ(o.kind, OutcomeKind::Accepted) << o.detail;
    EXPECT_NE(receiptOf(o).find("\"rejected\":[{\"location\":\"/0\",\"errors\":[{\"path\":\"/0\",\"message\":\"reference "
                                "'ONCE' was already filed by 'demo-market'"),
              std::string::npos)
        << receiptOf(o);
    EXPECT_EQ(journal_->findCases("demo-market", other).size(), 1u);
  }
}

// A staged chunk is written while the next is planned: a reference of the chunk still being
// written is refused as one already staged is. Another connection holds the journal's write lock
// from before the first chunk (two filings) goes until the message's end, so that the reference
// comes back while that chunk waits to be written.
TEST_F(intake_pipeline, AReferenceOfTheChunkBeingWrittenIsRefusedAsAStagedOneIs) {
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(dir_.file("journal.db").c_str(), &other), SQLITE_OK);
  sqlite3_busy_timeout(other, 5000);  // should the journal be writing when the lock is taken
  const auto exec = [&](const char* sql) { return sqlite3_exec(other, sql, nullptr, nullptr, nullptr); };
  plugin("demo-post").script = {filing("WRITING", "/0"), filing("OTHER", "/1"), filing("WRITING", "/2"),
                                filing("LAST", "/3")};
  bool locked = false;
  plugin("demo-post").before = [&](std::size_t i) {
    if (i == 1) locked = exec("BEGIN IMMEDIATE") == SQLITE_OK;
  };
  plugin("demo-post").atEnd = [&] {
    if (locked) exec("ROLLBACK");
  };
  const Outcome o = file("demo-post", true);
  sqlite3_close(other);
  ASSERT_TRUE(locked);
  ASSERT_EQ(o.kind, OutcomeKind::Invalid) << o.detail;
  ASSERT_EQ(o.errors.size(), 1u);
  EXPECT_EQ(o.errors[0].path, "/2");
  EXPECT_EQ(o.errors[0].message,
            "reference 'WRITING' was already filed by 'demo-post': file an amendment or a cancellation for it");
  EXPECT_TRUE(journal_->findCases("demo-post", "WRITING").empty());
}

TEST_F(intake_pipeline, TheSameKeyAndBodyReplayTheStoredAnswerAndAnotherBodyConflicts) {
  plugin("demo-post").script = {filing("KEYED", "/0")};
  const Outcome first = file("demo-post", false, "body-1", "key-1");
  ASSERT_EQ(first.kind, OutcomeKind::Accepted);
  const Outcome again = file("demo-post", true, "body-1", "key-1");
  EXPECT_EQ(again.kind, OutcomeKind::Replayed);
  EXPECT_EQ(again.storedStatus, 202);
  EXPECT_EQ(receiptOf(again), first.body);
  const Outcome other = file("demo-post", false, "body-2", "key-1");
  EXPECT_EQ(other.kind, OutcomeKind::IdempotencyConflict);
  EXPECT_EQ(other.detail.rfind("Idempotency-Key 'key-1' was already used with another body (message M-", 0), 0u)
      << other.detail;
}

// A follow-up is planned on the case as read while decoding; a case changed before the commit
// (customs deciding in process) is read again and the follow-up planned again, in memory and
// staged alike (the staged path answered 409 case-changed at once before).
TEST_F(intake_pipeline, AFollowUpOnACaseChangedBeforeTheCommitIsPlannedAgain) {
  for (bool spooled : {false, true}) {
    SCOPED_TRACE(spooled ? "staged" : "in memory");
    const std::string reference = spooled ? "CHANGED-S" : "CHANGED-M";
    plugin("demo-post").script = {filing(reference, "/0")};
    ASSERT_EQ(file("demo-post", false, "first " + reference).kind, OutcomeKind::Accepted);
    const auto target = journal_->findCases("demo-post", reference).at(0);
    plugin("demo-post").script = {filing(reference, "/0", sdk::FilingKind::Arrival)};
    plugin("demo-post").atEnd = [&] {
      auto now = journal_->getCase(target.id);
      journal::WriteBatch change;
      change.case_updates.push_back({now->id, now->version, now->state, now->filing, "", common::nowInstant(), ""});
      ASSERT_EQ(journal_->commit(std::move(change)).status, journal::CommitResult::Status::Committed);
    };
    const Outcome o = file("demo-post", spooled, "arrival " + reference);
    EXPECT_EQ(o.kind, OutcomeKind::Accepted) << toString(o.kind) << " " << o.detail;
    EXPECT_NE(receiptOf(o).find(target.id), std::string::npos);
    EXPECT_EQ(journal_->getCase(target.id)->version, target.version + 2) << "changed once, then the arrival";
  }
}

TEST_F(intake_pipeline, AMessageWithoutFilingsIsInvalid) {
  plugin("demo-post").script = {};
  const Outcome o = file("demo-post", true);
  ASSERT_EQ(o.kind, OutcomeKind::Invalid);
  ASSERT_EQ(o.errors.size(), 1u);
  EXPECT_EQ(o.errors[0].message, "the message holds no filing");
  EXPECT_EQ(file("nobody", false).kind, OutcomeKind::NotAPartner);
}

TEST_F(intake_pipeline, AnUnreadTypeNamesWhatThePartnerMayFile) {
  Message m;
  m.partnerId = "demo-post";
  m.contentType = "text/csv";
  const std::string body = "x";
  m.bytes = &body;
  const Outcome o = pipeline_->file(m);
  EXPECT_EQ(o.kind, OutcomeKind::UnsupportedType);
  EXPECT_EQ(o.detail, "partner 'demo-post' cannot file 'text/csv'; accepted: application/x-fake");
}

}  // namespace
}  // namespace swhub::intake

namespace swhub::intake {
namespace {

// SDK 3.3: the facts a decoder yields before a filing go with it into the same commit, in memory
// or staged; facts that no filing follows are the plugin's failure; a supplementary filing without
// facts is refused.
TEST_F(intake_pipeline, DeclarationFactsGoWithTheirFilingIntoTheCommit) {
  for (bool spooled : {false, true}) {
    SCOPED_TRACE(spooled ? "staged" : "in memory");
    const std::string prefix = spooled ? "FS-" : "FM-";
    sdk::DeclarationFacts simplified;
    simplified.additional_type = "C";
    simplified.simplified = true;
    plugin("demo-post").script = {filing(prefix + "0", "/0"), simplified, filing(prefix + "1", "/1"),
                                  filing(prefix + "2", "/2"), filing(prefix + "3", "/3")};
    const Outcome o = file("demo-post", spooled, "facts " + prefix);
    ASSERT_EQ(o.kind, OutcomeKind::Accepted) << o.detail << sdk::formatErrors(o.errors);
    const auto marked = journal_->findCases("demo-post", prefix + "1");
    ASSERT_EQ(marked.size(), 1u);
    const auto links = journal_->linksOf(marked[0].id);
    ASSERT_EQ(links.size(), 1u);
    EXPECT_EQ(links[0].kind, "simplified");
    EXPECT_EQ(links[0].type, "C");
    EXPECT_TRUE(journal_->linksOf(journal_->findCases("demo-post", prefix + "0").at(0).id).empty());
    EXPECT_TRUE(journal_->linksOf(journal_->findCases("demo-post", prefix + "2").at(0).id).empty());
  }
}

TEST_F(intake_pipeline, FactsThatNoFilingFollowsAreThePluginsFailure) {
  plugin("demo-post").script = {filing("F-1", "/0"), sdk::DeclarationFacts{}};
  const Outcome o = file("demo-post", false, "trailing facts");
  ASSERT_EQ(o.kind, OutcomeKind::PluginFailed) << toString(o.kind);
  // (The scripted partner's plugin has no name of its own here.)
  EXPECT_EQ(o.errors.at(0).message, "plugin '' answered something unusable during decode: declaration facts that no "
                                    "filing follows");
  EXPECT_TRUE(journal_->findCases("demo-post", "F-1").empty());
}

TEST_F(intake_pipeline, ASupplementaryFilingWithoutFactsIsRefused) {
  plugin("demo-post").script = {filing("SUP-1", "/0", sdk::FilingKind::Supplementary)};
  const Outcome o = file("demo-post", false, "bare supplementary");
  ASSERT_EQ(o.kind, OutcomeKind::Invalid) << toString(o.kind);
  EXPECT_EQ(o.errors.at(0).path, "/0");
  EXPECT_EQ(o.errors.at(0).message, "a filing of kind 'supplementary' comes with what it completes or closes (its "
                                    "format's previous documents); none came with it");
}

TEST_F(intake_pipeline, TwoSupplementariesOfOneCaseInOneMessageAreRefused) {
  journal::WriteBatch batch;
  const common::Instant at = *common::parseInstant("2026-11-20T10:00:00.000Z");
  batch.new_cases.push_back({"C-DONE", "demo-market", "LRN-DONE", "declaration", common::CaseState::Released, 1, "{}",
                             "M-0", at, at, "{}"});
  ASSERT_EQ(journal_->commit(std::move(batch)).status, journal::CommitResult::Status::Committed);
  sdk::DeclarationFacts y;
  y.additional_type = "Y";
  y.completes = {{"Y", "SDE", "C-DONE", "/sde"}};
  // demo-market accepts the valid filings of a message: the first supplementary is filed.
  plugin("demo-market").script = {y, filing("SUP-A", "/0", sdk::FilingKind::Supplementary), y,
                                  filing("SUP-B", "/1", sdk::FilingKind::Supplementary)};
  const Outcome o = file("demo-market", false, "two supplementaries");
  ASSERT_EQ(o.kind, OutcomeKind::Accepted) << o.detail << sdk::formatErrors(o.errors);
  const auto filed = journal_->findCases("demo-market", "SUP-A");
  ASSERT_EQ(filed.size(), 1u);
  EXPECT_EQ(journal_->completionOf("C-DONE")->case_id, filed[0].id);
  EXPECT_TRUE(journal_->findCases("demo-market", "SUP-B").empty());
  EXPECT_NE(receiptOf(o).find("is completed already by supplementary declaration " + filed[0].id + " of this message"),
            std::string::npos)
      << receiptOf(o);
}

}  // namespace
}  // namespace swhub::intake
