// A stored consignment copied into a view without some members of one of its objects
// (api/json_members.hpp): the rest byte for byte, whatever the nesting, the escapes and the
// whitespace; anything that is not one JSON object appends nothing.
#include <gtest/gtest.h>

#include "api/json_members.hpp"

namespace swhub::api {
namespace {

std::string without(std::string_view json, std::initializer_list<std::string_view> drop) {
  std::string out = "prefix:";
  if (!appendWithout(out, json, "derived", drop)) return "(none) " + out;
  return out.substr(7);
}

TEST(api_json_members, CopiesEverythingButTheNamedMembersOfTheNamedObject) {
  struct Row {
    const char* json;
    const char* want;
  };
  const Row rows[] = {
      // The risk fields go; the other derived fields and the rest stay, in order.
      {R"({"reference":"R-1","derived":{"category":3,"duties":3.00,"risk_score":35,"reason_codes":["RISK-NEW","RISK-LATE"]},"items":[]})",
       R"({"reference":"R-1","derived":{"category":3,"duties":3.00},"items":[]})"},
      // First, last, only.
      {R"({"derived":{"risk_score":1,"taxes":2}})", R"({"derived":{"taxes":2}})"},
      {R"({"derived":{"risk_score":1}})", R"({"derived":{}})"},
      {R"({"derived":{}})", R"({"derived":{}})"},
      // Only the top-level object of that name: the same names deeper or elsewhere stay.
      {R"({"items":[{"derived":{"risk_score":1}}],"risk_score":2,"derived":{"x":{"risk_score":3}}})",
       R"({"items":[{"derived":{"risk_score":1}}],"risk_score":2,"derived":{"x":{"risk_score":3}}})"},
      // Strings with escapes, quotes and braces inside; numbers as written; literals.
      {R"({"a":"q\"}{,:\\","n":-1.50e3,"t":true,"f":false,"z":null,"derived":{"reason_codes":["\"]"],"k":"v"}})",
       R"({"a":"q\"}{,:\\","n":-1.50e3,"t":true,"f":false,"z":null,"derived":{"k":"v"}})"},
      // Whitespace is not copied.
      {"{ \"a\" : [ 1 , 2 ] ,\n \"derived\" : { \"risk_score\" : 1 , \"b\" : { } } }", R"({"a":[1,2],"derived":{"b":{}}})"},
      // `derived` that is no object is copied as it is.
      {R"({"derived":[1,2]})", R"({"derived":[1,2]})"},
  };
  for (const auto& row : rows) EXPECT_EQ(without(row.json, {"risk_score", "reason_codes"}), row.want) << row.json;
  // Nothing to drop: a copy.
  EXPECT_EQ(without(R"({"derived":{"risk_score":1}})", {}), R"({"derived":{"risk_score":1}})");
}

TEST(api_json_members, AnythingButOneWellFormedObjectAppendsNothing) {
  for (const char* bad : {"", "[]", "{", "{\"a\":}", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":1}{}", "{\"a\":\"x}",
                          "{\"a\":tru}", "{\"a\":1} x", "{\"derived\":{\"risk_score\":}}", "{a:1}", "{\"a\":\"\x01\"}"}) {
    EXPECT_EQ(without(bad, {"risk_score"}), "(none) prefix:") << bad;
  }
}

}  // namespace
}  // namespace swhub::api
