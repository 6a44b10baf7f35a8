// The exact bytes a receipt signature covers (security/receipt_text.hpp, README "Signed receipts").
#include <gtest/gtest.h>

#include "security/receipt_text.hpp"

namespace swhub::security {
namespace {

TEST(receipt_text, AFilingsTextIsItsLinesInOrder) {
  EXPECT_EQ(filingReceiptText("M-1", "demo-post", "sha256:ab", "2026-12-06T07:00:00.000Z", {"C-1", "C-2"}),
            "swhub-receipt-v1\ntype=message\nmessage_id=M-1\npartner=demo-post\ndigest=sha256:ab\n"
            "received_at=2026-12-06T07:00:00.000Z\ncases=C-1,C-2\n");
  EXPECT_EQ(filingReceiptHead("M-1", "demo-post", "sha256:ab", "2026-12-06T07:00:00.000Z") + "C-1,C-2\n",
            filingReceiptText("M-1", "demo-post", "sha256:ab", "2026-12-06T07:00:00.000Z", {"C-1", "C-2"}));
}

TEST(receipt_text, ADecisionsTextIsItsLinesInOrder) {
  EXPECT_EQ(decisionReceiptText("customs", "sha256:cd", "2026-12-06T07:00:01.000Z", "C-1", "hold",
                                "2026-12-06T06:59:00.000Z", "applied"),
            "swhub-receipt-v1\ntype=decision\nagency=customs\ndigest=sha256:cd\nreceived_at=2026-12-06T07:00:01.000Z\n"
            "cases=C-1\ndecision=hold\ndecided_at=2026-12-06T06:59:00.000Z\neffect=applied\n");
}

// A value can never forge the next line.
TEST(receipt_text, ALineBreakInAValueIsCutOut) {
  EXPECT_EQ(decisionReceiptText("customs", "sha256:cd", "t", "C-1\neffect=applied", "hold", "t", "late"),
            "swhub-receipt-v1\ntype=decision\nagency=customs\ndigest=sha256:cd\nreceived_at=t\n"
            "cases=C-1effect=applied\ndecision=hold\ndecided_at=t\neffect=late\n");
}

TEST(receipt_text, TheTextIsEscapedForAJsonString) {
  EXPECT_EQ(jsonEscaped("a\nb\"c\\d\x01"), "a\\nb\\\"c\\\\d\\u0001");
  // Escapes first, last and next to each other; UTF-8 and DEL as they are.
  EXPECT_EQ(jsonEscaped("\"\t\x1f\r"), "\\\"\\t\\u001f\\r");
  EXPECT_EQ(jsonEscaped("plain \xc3\xa9t\xc3\xa9 \x7f"), "plain \xc3\xa9t\xc3\xa9 \x7f");
  EXPECT_EQ(jsonEscaped(""), "");
}

}  // namespace
}  // namespace swhub::security
