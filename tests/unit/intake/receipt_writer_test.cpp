// A receipt written in memory and one written to spool files are the same bytes, and the
// signature covers the signed text exactly as security/receipt_text.hpp spells it.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "instants.hpp"
#include "temp_dir.hpp"
#include "intake/receipt_writer.hpp"
#include "security/receipt_text.hpp"

namespace swhub::intake {
namespace {

using swhub::testing::TempDir;

std::string readAll(const Receipt& r) {
  if (!r.file) return r.bytes;
  std::ifstream in(r.file->path(), std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(intake_receipt, InMemoryAndSpooledReceiptsAreTheSameBytes) {
  TempDir dir;
  bool made = false;
  auto signer = security::ReceiptSigner::loadOrMake(dir.path(), made);
  const ReceiptWriter::Head head{"M-1", "demo-post", "sha256:ab", swhub::testing::at("2026-12-06T10:00:00.000Z")};
  ReceiptWriter memory(head, *signer);
  ReceiptWriter spooled(head, *signer, dir.path());
  ASSERT_TRUE(spooled.ok());
  for (auto* w : {&memory, &spooled}) {
    w->add({"C-1", "R\"1", common::CaseState::UnderAssessment});
    w->add({"C-2", "R2", common::CaseState::Accepted});
  }
  const std::vector<ReceiptCase> last{{"C-0", "OLD", common::CaseState::Cancelled}};
  auto a = memory.finish(last, ",\"rejected_count\":0");
  auto b = spooled.finish(last, ",\"rejected_count\":0");
  ASSERT_TRUE(a && b);
  const std::string text = readAll(*a);
  EXPECT_EQ(a->size, static_cast<std::int64_t>(text.size()));
  EXPECT_EQ(b->size, static_cast<std::int64_t>(readAll(*b).size()));
  const std::string signedText = security::filingReceiptText("M-1", "demo-post", "sha256:ab",
                                                             "2026-12-06T10:00:00.000Z", {"C-1", "C-2", "C-0"});
  const std::string start =
      "{\"message_id\":\"M-1\",\"received_at\":\"2026-12-06T10:00:00.000Z\",\"digest\":\"sha256:ab\",\"cases\":["
      "{\"case_id\":\"C-1\",\"reference\":\"R\\\"1\",\"state\":\"under-assessment\"},"
      "{\"case_id\":\"C-2\",\"reference\":\"R2\",\"state\":\"accepted\"},"
      "{\"case_id\":\"C-0\",\"reference\":\"OLD\",\"state\":\"cancelled\"}],\"signed\":\"" +
      security::jsonEscaped(signedText) + "\",\"signature\":\"";
  EXPECT_EQ(text.rfind(start, 0), 0u) << text;
  EXPECT_NE(text.find("\"signature_alg\":\"" + signer->algorithm() + "\",\"rejected_count\":0}"), std::string::npos)
      << text;
  // The spooled one carries the same fields up to its signature (ECDSA signatures differ per run).
  EXPECT_EQ(readAll(*b).rfind(start, 0), 0u) << readAll(*b);
  // Finished again (a commit planned again): the same receipt once more.
  auto again = spooled.finish(last, "");
  ASSERT_TRUE(again);
  EXPECT_EQ(readAll(*again).rfind(start, 0), 0u);
}

}  // namespace
}  // namespace swhub::intake
