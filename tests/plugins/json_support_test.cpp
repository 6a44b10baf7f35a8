// The JSON plugins' support library (plugins/support/json): string literals, UTF-8 checks,
// JSON pointer tokens, type words and amount texts, as the marketplace, payment and express
// plugins rely on them.

#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include "json/revenue.hpp"
#include "json/text.hpp"
#include "json/var.hpp"
#include "revenue_notifications.hpp"

namespace swhub::plugins::json {
namespace {

std::string literal(std::string_view s) {
  std::string out;
  appendString(out, s);
  return out;
}

Poco::Dynamic::Var member(const std::string& json) {
  return Poco::JSON::Parser().parse("{\"v\":" + json + "}").extract<Poco::JSON::Object::Ptr>()->get("v");
}

TEST(jsonSupport, StringLiteralsEscapeQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(literal("plain"), "\"plain\"");
  EXPECT_EQ(literal("say \"hi\" \\ now"), "\"say \\\"hi\\\" \\\\ now\"");
  EXPECT_EQ(literal("a\nb\rc\td"), "\"a\\nb\\rc\\td\"");
  EXPECT_EQ(literal(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
  EXPECT_EQ(literal(std::string("nul\0byte", 8)), "\"nul\\u0000byte\"");
  EXPECT_EQ(literal("Lisboa \xC3\xA7 \xF0\x9F\x93\xA6"), "\"Lisboa \xC3\xA7 \xF0\x9F\x93\xA6\"");  // UTF-8 as is
  EXPECT_EQ(literal("a/b"), "\"a/b\"");
}

TEST(jsonSupport, FindsTheFirstIllFormedUtf8Sequence) {
  EXPECT_EQ(invalidUtf8At("ascii only"), std::string_view::npos);
  EXPECT_EQ(invalidUtf8At("\xC3\xA7 \xE2\x82\xAC \xF0\x9F\x93\xA6"), std::string_view::npos);
  EXPECT_EQ(invalidUtf8At("ab\x80"), 2u);                  // stray continuation byte
  EXPECT_EQ(invalidUtf8At("a\xC0\xAF"), 1u);               // overlong 2-byte form
  EXPECT_EQ(invalidUtf8At("a\xE0\x80\xAF"), 1u);           // overlong 3-byte form
  EXPECT_EQ(invalidUtf8At("ab\xED\xA0\x80"), 2u);          // UTF-16 surrogate
  EXPECT_EQ(invalidUtf8At("\xF4\x90\x80\x80"), 0u);        // above U+10FFFF
  EXPECT_EQ(invalidUtf8At("abc\xE2\x82"), 3u);             // truncated at the end
  EXPECT_EQ(invalidUtf8At("\xFF"), 0u);
}

TEST(jsonSupport, PointerTokensEscapeTildeAndSlash) {
  EXPECT_EQ(pointerToken("lines"), "lines");
  EXPECT_EQ(pointerToken("a/b~c"), "a~1b~0c");
}

TEST(jsonSupport, TypeWordsForErrorMessages) {
  EXPECT_EQ(typeOf(member("null")), "null");
  EXPECT_EQ(typeOf(member("{}")), "object");
  EXPECT_EQ(typeOf(member("[]")), "array");
  EXPECT_EQ(typeOf(member("\"x\"")), "string");
  EXPECT_EQ(typeOf(member("true")), "boolean");
  EXPECT_EQ(typeOf(member("4.5")), "number");
}

TEST(jsonSupport, AmountTextKeepsStringsAndWritesNumbersBackExactly) {
  EXPECT_EQ(amountText(member("\"45.00\"")), "45.00");  // as written, trailing zeros kept
  EXPECT_EQ(amountText(member("45")), "45");
  EXPECT_EQ(amountText(member("189.75")), "189.75");
  EXPECT_EQ(amountText(member("0.1")), "0.1");           // the shortest text, not 0.1000000000000000055...
  EXPECT_EQ(amountText(member("-3.5")), "-3.5");         // the sign is for the caller to judge
  EXPECT_EQ(amountText(member("true")), std::nullopt);
  EXPECT_EQ(amountText(member("{}")), std::nullopt);
  EXPECT_EQ(amountText(member("null")), std::nullopt);
}

}  // namespace
}  // namespace swhub::plugins::json

// ---------------------------------------------------------------- json/revenue.hpp

using swhub::plugins::json::appendRevenueObject;
using swhub::plugins::json::readRevenue;
using swhub::plugins::json::Revenue;
using swhub::plugins::json::RevenueLine;
using swhub::plugins::json::revenueSummary;

TEST(jsonRevenue, ANotificationWithoutRevenueDetailsHasNone) {
  swhub::sdk::Notification n{"N-1", "C-1", "R", "held", "held", "", "2026-11-29T08:00:00Z",
                             {{"reason_codes", "FS-VET"}, {"previous_state", "accepted"}}};
  auto revenue = readRevenue(n);
  ASSERT_TRUE(revenue);
  EXPECT_FALSE(revenue.value().has_value());
}

TEST(jsonRevenue, ReadsEveryDetailAndLineInOrder) {
  auto revenue = readRevenue(swhub::testing::consumerFallback());
  ASSERT_TRUE(revenue);
  ASSERT_TRUE(revenue.value());
  const Revenue& r = *revenue.value();
  EXPECT_EQ(r.model, "consumer");
  EXPECT_EQ(r.model_reason, swhub::testing::kModelReason);
  EXPECT_EQ(r.due, "16.34");
  EXPECT_EQ(r.paid, "0.00");
  EXPECT_EQ(r.currency, "EUR");
  EXPECT_EQ(r.settled, false);
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.lines[0], (RevenueLine{"duty", std::nullopt, "1", std::nullopt, "3.00", "EUR",
                                     "EU temporary low-value duty, 1 classification", false}));
  EXPECT_EQ(r.lines[1], (RevenueLine{"vat", 1, "48.00", "23", "11.04", "EUR", "VAT 23 % on the item's value and duty",
                                     false}));
  EXPECT_EQ(revenueSummary(r),
            "duty 3.00 EUR (EU temporary low-value duty, 1 classification); vat 11.04 EUR on item 1 (23 % of 48.00); "
            "vat 2.30 EUR on item 2 (23 % of 10.00); " + swhub::testing::kModelReason);
}

TEST(jsonRevenue, AcceptsAmountsAsNumbersAndLeavesOutWhatIsNotGiven) {
  swhub::sdk::Notification n{"N-1", "C-1", "R", "cleared", "cleared", "", "t",
                             {{"revenue_line", R"({"tax":"charge","amount":2,"currency":"GBP","extra":"later"})"}}};
  auto revenue = readRevenue(n);
  ASSERT_TRUE(revenue);
  const Revenue& r = *revenue.value();
  EXPECT_EQ(r.lines.at(0), (RevenueLine{"charge", std::nullopt, "", std::nullopt, "2", "GBP", "", false}));
  std::string out;
  appendRevenueObject(out, r);
  EXPECT_EQ(out, R"({"model":null,"due":null,"paid":null,"currency":null,"settled":null,"lines":[{"tax":"charge",)"
                 R"("item":null,"base":null,"rate":null,"amount":"2","currency":"GBP","why":"",)"
                 R"("collected_at_sale":false}]})");
  EXPECT_EQ(revenueSummary(r), "charge 2 GBP");
}

TEST(jsonRevenue, NamesTheDetailItCannotRead) {
  const std::pair<std::string, std::string> cases[] = {
      {"[1]", "revenue_line: expected an object, got array"},
      {"{", "revenue_line is not JSON: "},
      {R"({"amount":"1","currency":"EUR"})", "revenue_line: tax is missing"},
      {R"({"tax":"vat","amount":"1,5","currency":"EUR"})", "revenue_line: amount: '1,5' is not a decimal"},
      {R"({"tax":"vat","amount":"1","currency":"EUR","rate":true})", "revenue_line: rate: 'true' is not a decimal"},
      {R"({"tax":"vat","amount":"1","currency":"EUR","item":"2"})",
       "revenue_line: item: expected an item sequence (a whole number from 1) or null, got '2'"},
      {R"({"tax":"vat","amount":"1","currency":"EUR","collected_at_sale":"yes"})",
       "revenue_line: collected_at_sale: expected true or false"},
  };
  for (const auto& [line, message] : cases) {
    swhub::sdk::Notification n{"N-1", "C-1", "R", "cleared", "cleared", "", "t",
                               {{"revenue_due", "1.00"}, {"revenue_line", line}}};
    auto revenue = readRevenue(n);
    ASSERT_FALSE(revenue) << line;
    EXPECT_EQ(revenue.errors().at(0).path, "/details/1") << line;
    EXPECT_EQ(revenue.errors().at(0).message.rfind(message, 0), 0u) << revenue.errors().at(0).message;
  }
  swhub::sdk::Notification n{"N-1", "C-1", "R", "cleared", "cleared", "", "t", {{"revenue_settled", "yes"}}};
  EXPECT_EQ(readRevenue(n).errors().at(0).message, "revenue_settled: 'yes' is not true or false");
}
