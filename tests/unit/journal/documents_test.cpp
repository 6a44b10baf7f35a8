// Supporting documents in the journal, on both backends: bytes stored once per digest whichever
// case holds them, a case's documents listed in the order attached, a second attach of the same
// digest to one case refused with nothing written, and the bytes surviving a reopen.

#include <gtest/gtest.h>

#include <string>

#include "backends.hpp"
#include "instants.hpp"
#include "journal/journal.hpp"

namespace swhub::journal {
namespace {

using namespace std::string_literals;

CaseDocument document(const std::string& caseId, const std::string& digest, const std::string& bytes,
                      const std::string& id, const std::string& code = "") {
  CaseDocument d;
  d.case_id = caseId;
  d.digest = digest;
  d.type = code.empty() ? "invoice" : "certificate";
  d.code = code;
  d.id = id;
  d.media_type = "application/pdf";
  d.size = static_cast<std::int64_t>(bytes.size());
  d.uploaded_by = common::Actor::partner("demo-shop");
  d.uploaded_at = swhub::testing::at("2026-11-28T10:00:00.000Z");
  d.bytes = bytes;
  return d;
}

WriteBatch attach(const CaseDocument& d) {
  WriteBatch batch;
  batch.documents.push_back(d);
  CaseEvent e;
  e.case_id = d.case_id;
  e.at = d.uploaded_at;
  e.actor = d.uploaded_by;
  e.kind = "document";
  e.detail_json = "{}";
  batch.events.push_back(e);
  return batch;
}

// The cases the documents go to (a trace event names an existing case).
std::unique_ptr<Journal> withCases(const std::string& url) {
  auto journal = openJournal(url);
  WriteBatch batch;
  for (const char* id : {"C-1", "C-2"}) {
    batch.new_cases.push_back({id, "demo-shop", std::string("R-") + id, "pre-arrival", common::CaseState::Accepted, 1,
                               "{}", "", swhub::testing::at("2026-11-28T09:00:00.000Z"),
                               swhub::testing::at("2026-11-28T09:00:00.000Z")});
  }
  EXPECT_EQ(journal->commit(batch).status, CommitResult::Status::Committed);
  return journal;
}

// On both backends (backends.hpp).
JOURNAL_SUITE(journal_documents);

TEST_P(journal_documents, ADocumentIsListedPerCaseInOrderAndReadWithItsBytes) {
  auto journal = withCases(journalUrl());
  const std::string pdf = "%PDF-1.7\n\0\x01\xff binary"s;
  ASSERT_EQ(journal->commit(attach(document("C-1", "sha256:aa", pdf, "INV-1"))).status, CommitResult::Status::Committed);
  ASSERT_EQ(journal->commit(attach(document("C-1", "sha256:bb", "%PDF-2", "VET-1", "C640"))).status,
            CommitResult::Status::Committed);
  ASSERT_EQ(journal->commit(attach(document("C-2", "sha256:cc", "%PDF-3", "INV-9"))).status,
            CommitResult::Status::Committed);

  const auto listed = journal->caseDocuments("C-1");
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].digest, "sha256:aa");
  EXPECT_EQ(listed[0].type, "invoice");
  EXPECT_EQ(listed[0].id, "INV-1");
  EXPECT_EQ(listed[0].code, "");
  EXPECT_EQ(listed[0].media_type, "application/pdf");
  EXPECT_EQ(listed[0].size, static_cast<std::int64_t>(pdf.size()));
  EXPECT_EQ(listed[0].uploaded_by, common::Actor::partner("demo-shop"));
  EXPECT_EQ(listed[0].uploaded_at, swhub::testing::at("2026-11-28T10:00:00.000Z"));
  EXPECT_TRUE(listed[0].bytes.empty());  // a list carries no bytes
  EXPECT_EQ(listed[1].digest, "sha256:bb");
  EXPECT_EQ(listed[1].code, "C640");
  EXPECT_EQ(journal->caseDocuments("C-2").size(), 1u);
  EXPECT_TRUE(journal->caseDocuments("C-3").empty());

  const auto read = journal->caseDocument("C-1", "sha256:aa");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->bytes, pdf);  // NULs and high bytes intact
  EXPECT_EQ(read->id, "INV-1");
  // Scoped by case: another case's digest is not this case's document.
  EXPECT_FALSE(journal->caseDocument("C-1", "sha256:cc"));
  EXPECT_FALSE(journal->caseDocument("C-1", "sha256:zz"));
}

TEST_P(journal_documents, TheSameBytesForTwoCasesAreStoredOnceAndServedToBoth) {
  auto journal = withCases(journalUrl());
  ASSERT_EQ(journal->commit(attach(document("C-1", "sha256:aa", "%PDF-same", "INV-1"))).status,
            CommitResult::Status::Committed);
  ASSERT_EQ(journal->commit(attach(document("C-2", "sha256:aa", "%PDF-same", "INV-1"))).status,
            CommitResult::Status::Committed);
  EXPECT_EQ(journal->caseDocument("C-1", "sha256:aa")->bytes, "%PDF-same");
  EXPECT_EQ(journal->caseDocument("C-2", "sha256:aa")->bytes, "%PDF-same");
  EXPECT_EQ(journal->caseDocument("C-2", "sha256:aa")->case_id, "C-2");
}

TEST_P(journal_documents, TheSameDigestTwiceForOneCaseIsRefusedAndWritesNothing) {
  auto journal = withCases(journalUrl());
  ASSERT_EQ(journal->commit(attach(document("C-1", "sha256:aa", "%PDF-1", "INV-1"))).status,
            CommitResult::Status::Committed);
  const auto before = journal->caseEvents("C-1").size();
  const auto again = journal->commit(attach(document("C-1", "sha256:aa", "%PDF-1", "INV-2")));
  EXPECT_EQ(again.status, CommitResult::Status::Duplicate);
  EXPECT_EQ(again.error, "case C-1 holds document sha256:aa already");
  EXPECT_EQ(journal->caseDocuments("C-1").size(), 1u);
  EXPECT_EQ(journal->caseDocuments("C-1")[0].id, "INV-1");
  EXPECT_EQ(journal->caseEvents("C-1").size(), before);  // its event went with it
  // The journal stays writable.
  EXPECT_EQ(journal->commit(attach(document("C-1", "sha256:bb", "%PDF-2", "INV-2"))).status,
            CommitResult::Status::Committed);
}

TEST_P(journal_documents, DocumentsSurviveAReopen) {
  const std::string url = journalUrl();
  {
    auto journal = withCases(url);
    ASSERT_EQ(journal->commit(attach(document("C-1", "sha256:aa", "%PDF-kept", "INV-1"))).status,
              CommitResult::Status::Committed);
  }
  auto reopened = openJournal(url);
  ASSERT_EQ(reopened->caseDocuments("C-1").size(), 1u);
  EXPECT_EQ(reopened->caseDocument("C-1", "sha256:aa")->bytes, "%PDF-kept");
}

}  // namespace
}  // namespace swhub::journal
