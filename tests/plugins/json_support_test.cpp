// The JSON plugins' support library (plugins/support/json): string literals, UTF-8 checks,
// JSON pointer tokens, type words and amount texts, as the marketplace, payment and express
// plugins rely on them.

#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include "json/text.hpp"
#include "json/var.hpp"

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
