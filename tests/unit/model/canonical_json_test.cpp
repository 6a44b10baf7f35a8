#include <gtest/gtest.h>

#include <cstdlib>
#include <map>

#include "examples.hpp"
#include "model/canonical_json.hpp"

using namespace swhub;
using model::decodeConsignmentJson;
using model::decodeConsignmentsJson;
using sdk::Errors;

namespace {

Errors errorsOf(const std::string& json, const model::DecodeOptions& options = {}) {
  auto r = decodeConsignmentJson(json, options);
  return r ? Errors{} : r.errors();
}

// The design example with one item field replaced (JSON text of the new value, or "" to drop it).
std::string withItemField(const std::string& field, const std::string& json) {
  static const std::map<std::string, std::string> kOriginal = {
      {"hs", "\"851830\""}, {"quantity", "1"}, {"nature", "\"sale\""}, {"value", "45.00"}, {"gross_kg", "0.4"}};
  std::string body = test::kDesignJson;
  std::string from = "\"" + field + "\": " + kOriginal.at(field);
  const std::string to = json.empty() ? "" : "\"" + field + "\": " + json;
  if (json.empty()) from += ", ";
  return body.replace(body.find(from), from.size(), to);
}

}  // namespace

TEST(canonicalJson, DesignExampleDecodesToTheExpectedValues) {
  auto r = decodeConsignmentJson(test::kDesignJson);
  ASSERT_TRUE(r) << sdk::formatErrors(r.errors());
  EXPECT_EQ(r.value(), test::designConsignment());
  EXPECT_EQ(r.value().items[0].value.toString(), "45.00");
  EXPECT_EQ(r.value().items[0].sequence, 1);
}

TEST(canonicalJson, UnknownFieldIsReportedAtItsPointer) {
  EXPECT_EQ(errorsOf(withItemField("hs", "\"851830\", \"hscode\": \"1\"")),
            (Errors{{"/items/0/hscode", "unknown field 'hscode'"}}));
}

TEST(canonicalJson, WrongTypeNamesBothTypes) {
  EXPECT_EQ(errorsOf(withItemField("hs", "851830")), (Errors{{"/items/0/hs", "expected string, got number"}}));
  EXPECT_EQ(errorsOf(withItemField("quantity", "\"1\"")), (Errors{{"/items/0/quantity", "expected number, got string"}}));
}

TEST(canonicalJson, MissingRequiredFieldIsReportedAtItsPointer) {
  EXPECT_EQ(errorsOf(withItemField("hs", "")), (Errors{{"/items/0/hs", "missing required field 'hs'"}}));
}

TEST(canonicalJson, EnumValuesListTheAllowedOnes) {
  EXPECT_EQ(errorsOf(withItemField("nature", "\"sold\"")),
            (Errors{{"/items/0/nature", "'sold' is not one of: sale, gift, sample, return, documents, other"}}));
}

TEST(canonicalJson, ValidationErrorsComeWithDecodeErrors) {
  std::string body = withItemField("hs", "\"8518\"");
  body.replace(body.find("\"EUR\""), 5, "\"EURO\"");
  body.replace(body.find("\"pre-arrival\""), 13, "\"later\"");
  body.replace(body.find("\"origin\": \"CN\""), 14, "\"origin\": 86");
  EXPECT_EQ(errorsOf(body),
            (Errors{{"/filing", "'later' is not one of: pre-loading, pre-arrival, declaration, amendment, "
                                "cancellation, arrival, return, supplementary, final-supplementary"},
                    {"/items/0/origin", "expected string, got number"},
                    {"/items/0/hs", "'8518' is not an HS code: 6 to 10 digits expected"},
                    {"/items/0/currency", "'EURO' is not an ISO 4217 currency code"}}));
}

TEST(canonicalJson, AnIntegerOutsideIntIsOutOfRangeAndAFractionIsNoInteger) {
  auto version = [](const std::string& json) {
    std::string body = test::kDesignJson;
    body.insert(body.find('{') + 1, "\"version\": " + json + ", ");
    auto r = decodeConsignmentJson(body);
    return r ? std::to_string(r.value().version) : sdk::formatErrors(r.errors());
  };
  EXPECT_EQ(version("7"), "7");
  EXPECT_EQ(version("-7"), "/version: must be at least 1, got -7\n");  // read, then validated
  EXPECT_EQ(version("3000000000"), "/version: 3000000000 is out of range\n");
  EXPECT_EQ(version("18446744073709551615"), "/version: 18446744073709551615 is out of range\n");
  EXPECT_EQ(version("1.5"), "/version: expected integer, got number\n");
}

TEST(canonicalJson, MoneyIsReadFromTheNumberTextExactly) {
  auto value = [](const std::string& json) {
    auto r = decodeConsignmentJson(withItemField("value", json));
    return r ? r.value().items[0].value.toString() : sdk::formatErrors(r.errors());
  };
  EXPECT_EQ(value("0.1"), "0.10");
  EXPECT_EQ(value("1234567.8901"), "1234567.8901");
  EXPECT_EQ(value("\"19.99\""), "19.99");
  EXPECT_EQ(value("100000000000"), "100000000000.00");
  EXPECT_EQ(value("45.00001"),
            "/items/0/value: '45.00001' is not an amount: a decimal with at most 4 fraction digits expected\n");
  EXPECT_EQ(value("\"1e3\""), "/items/0/value: '1e3' is not an amount: a decimal with at most 4 fraction digits expected\n");
  EXPECT_EQ(value("true"), "/items/0/value: expected number, got boolean\n");
  // Zero with an exponent, and a number too small for a double, are zero (RapidJSON 1.1.0's full
  // precision mode read them as 2e-115 and -2e307).
  EXPECT_EQ(value("0e60"), "0.00");
  EXPECT_EQ(value("0.0000000000000000000000001e-300"), "0.00");
}

// Found by the canonical_json fuzz target (three minutes): RapidJSON 1.1.0's default reading of
// 1.3333333333336665 is ...663, one step off the nearest double, so the 17 digits the encoder
// writes for a weight did not read back as it and a consignment changed through its own JSON.
TEST(canonicalJson, ANumberReadsAsTheNearestDoubleAndComesBackTheSame) {
  // The gross weight as written, the net weight 0 (never above the gross one).
  auto body = [](const std::string& json) {
    std::string b = withItemField("gross_kg", json);
    const std::string net = "\"net_kg\": 0.25";
    return b.replace(b.find(net), net.size(), "\"net_kg\": 0");
  };
  auto weight = [&](const std::string& json) {
    auto r = decodeConsignmentJson(body(json));
    EXPECT_TRUE(r) << json << ": " << sdk::formatErrors(r.errors());
    return r ? r.value().items[0].gross_kg : std::optional<double>();
  };
  for (const std::string text : {"1.3333333333336665", "1.33333333333366666666", "0.2555555555555555555555555555555555",
                                 "0.1", "2.5e-3", "1E2", "123456789012345678", "18446744073709551616", "4.9e-324",
                                 "1.7976931348623157e308"}) {
    const auto read = weight(text);
    ASSERT_TRUE(read.has_value()) << text;
    EXPECT_EQ(*read, std::strtod(text.c_str(), nullptr)) << text;  // the nearest double ("C" locale here)
    auto decoded = decodeConsignmentJson(body(text));
    auto again = decodeConsignmentJson(model::encodeConsignmentJson(decoded.value()), {.allow_hub_fields = true});
    ASSERT_TRUE(again) << sdk::formatErrors(again.errors());
    EXPECT_TRUE(again.value() == decoded.value()) << text << " -> " << model::encodeConsignmentJson(decoded.value());
  }
  // Past a double's range: too big is refused where the number starts (RapidJSON refuses most such
  // numbers itself; this one it lets through), too small is zero.
  EXPECT_EQ(errorsOf("{\"reference\": 1.9e308}"), (Errors{{"", "not valid JSON: number too big at byte 14"}}));
  EXPECT_EQ(errorsOf("{\"reference\": 1e999}"), (Errors{{"", "not valid JSON: number too big at byte 14"}}));
  EXPECT_EQ(weight("1e-400"), 0.0);
  EXPECT_EQ(weight("0." + std::string(400, '0') + "1"), 0.0);
}

TEST(canonicalJson, ParseErrorHasNoPathAndSaysWhereInTheBody) {
  EXPECT_EQ(errorsOf("{\"reference\": x}"), (Errors{{"", "not valid JSON: unexpected 'x' in value at byte 14"}}));
  EXPECT_EQ(errorsOf("{\"reference\": [1, 2"), (Errors{{"", "not valid JSON: unexpected end of input"}}));
  EXPECT_EQ(errorsOf("{\"reference\": \"R1"), (Errors{{"", "not valid JSON: unexpected end of input"}}));
  EXPECT_EQ(errorsOf(""), (Errors{{"", "not valid JSON: the body holds no JSON value"}}));
  EXPECT_EQ(errorsOf("{\"a\" 1}"), (Errors{{"", "not valid JSON: expected ':' after a member name at byte 5"}}));
  EXPECT_EQ(errorsOf("{\"a\": 1 \"b\": 2}"), (Errors{{"", "not valid JSON: expected ',' or '}' in an object at byte 8"}}));
  EXPECT_EQ(errorsOf("[{} {}]"), (Errors{{"", "not valid JSON: expected ',' or ']' in an array at byte 4"}}));
  EXPECT_EQ(errorsOf("{a: 1}"), (Errors{{"", "not valid JSON: expected a member name in quotes at byte 1"}}));
  EXPECT_EQ(errorsOf("{\"reference\": \"a\\q\"}"), (Errors{{"", "not valid JSON: invalid escape in a string at byte 16"}}));
  EXPECT_EQ(errorsOf("{\"reference\": \"a\tb\"}"), (Errors{{"", "not valid JSON: unescaped control byte 0x09 in a string at byte 16"}}));
  EXPECT_EQ(errorsOf("{} {}"), (Errors{{"", "not valid JSON: more than one value at the top: '{' at byte 3"}}));
  EXPECT_EQ(errorsOf("{\"reference\": 1e999}"), (Errors{{"", "not valid JSON: number too big at byte 14"}}));
  EXPECT_EQ(errorsOf("\"just a string\""), (Errors{{"", "expected object or array of objects, got string"}}));
  EXPECT_EQ(errorsOf("null"), (Errors{{"", "expected object or array of objects, got null"}}));
  EXPECT_EQ(errorsOf("{\"reference\": \"\xC3\x28\"}"), (Errors{{"", "not valid JSON: invalid UTF-8 at byte 15"}}));
}

// Found by the canonical_json fuzz target (a four-minute run, 3.3 million inputs): RapidJSON 1.1.0
// wrote the escape of a lone low surrogate out as the bytes ED BF BF, which are not UTF-8, so a
// consignment that decoded did not decode from its own JSON, and its text would have gone on to
// the journal and to every partner and agency.
TEST(canonicalJson, ALoneSurrogateEscapeIsRefusedAndSaysWhere) {
  EXPECT_EQ(errorsOf("{\"reference\": \"a\\udc00b\"}"),
            (Errors{{"", "not valid JSON: a \\u escape of a lone UTF-16 surrogate (\\ud800 to \\udfff without its pair) "
                         "in the string that ends at byte 23"}}));
  EXPECT_EQ(errorsOf("{\"ref\\udfff\": 1}"),
            (Errors{{"", "not valid JSON: a \\u escape of a lone UTF-16 surrogate (\\ud800 to \\udfff without its pair) "
                         "in the string that ends at byte 11"}}));
  // A high surrogate without its low one, or before something else, RapidJSON refuses itself.
  EXPECT_EQ(errorsOf("{\"reference\": \"a\\ud800b\"}"), (Errors{{"", "not valid JSON: invalid escape in a string at byte 16"}}));
  // A pair is one character (U+1F600), written back as UTF-8, and the consignment goes round.
  std::string body(test::kDesignJson);
  const std::string name = "\"name\": \"";
  body.insert(body.find(name) + name.size(), "\\ud83d\\ude00 ");
  auto decoded = model::decodeConsignmentJson(body);
  ASSERT_TRUE(decoded) << sdk::formatErrors(decoded.errors());
  EXPECT_EQ(decoded.value().parties.seller->name.rfind("\xF0\x9F\x98\x80 ", 0), 0u) << decoded.value().parties.seller->name;
  auto again = model::decodeConsignmentJson(model::encodeConsignmentJson(decoded.value()), {.allow_hub_fields = true});
  ASSERT_TRUE(again) << sdk::formatErrors(again.errors());
  EXPECT_TRUE(again.value() == decoded.value());
}

TEST(canonicalJson, DepthIsBounded) {
  std::string deep = "{\"reference\": " + std::string(40, '[') + std::string(40, ']') + "}";
  EXPECT_EQ(errorsOf(deep), (Errors{{"", "not valid JSON: nesting deeper than 32 levels"}}));
}

TEST(canonicalJson, SizeIsBoundedBeforeParsing) {
  model::DecodeOptions options;
  options.max_bytes = 100;
  EXPECT_EQ(errorsOf(test::kDesignJson, options),
            (Errors{{"", "body of " + std::to_string(test::kDesignJson.size()) + " bytes exceeds the limit of 100"}}));
}

TEST(canonicalJson, ItemCountIsBounded) {
  model::DecodeOptions options;
  options.max_items = 0;
  EXPECT_EQ(errorsOf(test::kDesignJson, options), (Errors{{"/items", "1 items: at most 0 per consignment"}}));
}

TEST(canonicalJson, HubFieldsAreRefusedInAFiling) {
  std::string body = test::kDesignJson;
  body.insert(1, "\"partner\": \"x\", \"derived\": {\"category\": 1}, ");
  EXPECT_EQ(errorsOf(body), (Errors{{"/partner", "'partner' is set by the hub, not by a filing"},
                                    {"/derived", "'derived' is set by the hub, not by a filing"}}));
}

TEST(canonicalJson, BatchPrefixesEveryErrorWithItsIndex) {
  const std::string bad = withItemField("hs", "\"8518\"");
  auto r = decodeConsignmentsJson("[" + test::kDesignJson + "," + bad + ", 7]");
  ASSERT_TRUE(r);
  ASSERT_EQ(r.value().size(), 3u);
  EXPECT_EQ(r.value()[0].location, "/0");
  ASSERT_TRUE(r.value()[0].result);
  EXPECT_EQ(r.value()[0].result.value(), test::designConsignment());
  EXPECT_EQ(r.value()[1].result.errors(), (Errors{{"/1/items/0/hs", "'8518' is not an HS code: 6 to 10 digits expected"}}));
  EXPECT_EQ(r.value()[2].result.errors(), (Errors{{"/2", "expected object, got number"}}));
  EXPECT_EQ(decodeConsignmentsJson("[]").errors(), (Errors{{"", "a batch holds at least one consignment"}}));
}

TEST(canonicalJson, SequenceDefaultsToPositionAndMustBeUnique) {
  std::string body = test::kDesignJson;
  const auto items = body.find("[ {");
  const std::string item = body.substr(items + 2, body.rfind("] }") - items - 3);
  body.insert(body.rfind("] }"), ", " + item);
  auto r = decodeConsignmentJson(body);
  ASSERT_TRUE(r) << sdk::formatErrors(r.errors());
  EXPECT_EQ(r.value().items[1].sequence, 2);
  std::string dup = body;
  dup.replace(dup.rfind("\"description\""), 0, "\"sequence\": 1, ");
  EXPECT_EQ(errorsOf(dup), (Errors{{"/items/1/sequence", "sequence 1 is already used by /items/0"}}));
}

TEST(canonicalJson, RoundTripKeepsEveryField) {
  const sdk::Consignment c = test::fullConsignment();
  const std::string json = model::encodeConsignmentJson(c);
  auto r = decodeConsignmentJson(json, {.allow_hub_fields = true});
  ASSERT_TRUE(r) << sdk::formatErrors(r.errors()) << json;
  EXPECT_EQ(r.value(), c);
}

TEST(canonicalJson, EncodesTheDesignExampleCompactly) {
  EXPECT_EQ(model::encodeConsignmentJson(test::designConsignment()),
            R"({"reference":"LRN-2026-000123","filing":"pre-arrival","version":1,)"
            R"("parties":{"seller":{"name":"Gadget Export Ltd","id":"CN91440300MA5","country":"CN"},)"
            R"("buyer":{"name":"Ana Silva","address":"Rua Augusta 10, Lisboa","country":"PT"},)"
            R"("carrier":{"name":"Demo Post","id":"PT-POST"}},)"
            R"("transport":{"mode":"air","conveyance":"TP1234","master_ref":"999-12345675","departure":"CN",)"
            R"("destination":"PT","arrival":"2026-11-29T08:00:00Z"},)"
            R"("fiscal":{"model":"consumer","collected_at_sale":false,"registration":null},)"
            R"("items":[{"sequence":1,"description":"Bluetooth headphones","hs":"851830","quantity":1,"unit":"pce",)"
            R"("net_kg":0.25,"gross_kg":0.4,"value":45.00,"currency":"EUR","origin":"CN","nature":"sale","documents":[]}]})");
}

TEST(canonicalJson, EncodesNotifications) {
  sdk::Notification n{"N-1", "C-1", "LRN-1", "held", "held", "documents \"missing\"", "2026-11-29T08:00:00Z",
                      {{"agency", "customs"}, {"category", "3"}}};
  EXPECT_EQ(model::encodeNotificationsJson({n, n}),
            R"({"notifications":[{"id":"N-1","case_id":"C-1","reference":"LRN-1","event":"held","state":"held",)"
            R"("reason":"documents \"missing\"","at":"2026-11-29T08:00:00Z","details":{"agency":"customs","category":"3"}},)"
            R"({"id":"N-1","case_id":"C-1","reference":"LRN-1","event":"held","state":"held",)"
            R"("reason":"documents \"missing\"","at":"2026-11-29T08:00:00Z","details":{"agency":"customs","category":"3"}}]})");
  EXPECT_EQ(model::encodeNotificationsJson({}), R"({"notifications":[]})");
}

TEST(canonicalJson, DecodesNotificationsItEncoded) {
  // Details keep their order (not sorted): "zone" before "agency".
  sdk::Notification a{"N-1", "C-1", "LRN-1", "held", "held", "documents \"missing\"", "2026-11-29T08:00:00Z",
                      {{"zone", "B"}, {"agency", "customs"}, {"emoji", "\xF0\x9F\x93\xA6"}}};
  sdk::Notification b{"N-2", "C-2", "HWB-2", "released", "released", "", "2026-11-29T08:00:01Z", {}};
  auto decoded = model::decodeNotificationsJson(model::encodeNotificationsJson({a, b}));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value(), (std::vector<sdk::Notification>{a, b}));
  auto none = model::decodeNotificationsJson(model::encodeNotificationsJson({}));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none.value().empty());
}

// What is due and why (issue 9): every revenue_line of a notification, in order, as objects in one
// array, so that a reader gets the fields instead of escaped text; the single-valued revenue
// details stay strings as before.
const std::string kVatLine =
    R"({"tax":"vat","item":1,"base":"48.00","rate":"23","amount":"11.04","currency":"EUR",)"
    R"("why":"VAT 23 % on the item's value and duty","collected_at_sale":false})";
const std::string kFixedDutyLine =
    R"({"tax":"duty","item":null,"base":"1","rate":null,"amount":"3.00","currency":"EUR",)"
    R"("why":"EU temporary low-value duty: 3 EUR per tariff classification","collected_at_sale":false})";

TEST(canonicalJson, EncodesRevenueLinesAsOneArrayOfObjects) {
  sdk::Notification n{"N-1", "C-1", "LRN-1", "cleared", "cleared", "", "2026-11-29T08:00:00Z",
                      {{"previous_state", "under-assessment"}, {"revenue_due", "14.04"}, {"revenue_currency", "EUR"},
                       {"revenue_settled", "false"}, {"revenue_model", "consumer"},
                       {"revenue_model_reason", "vendor model refused: registration 'x' is malformed"},
                       {"revenue_line", kFixedDutyLine}, {"revenue_line", kVatLine}, {"revenue_paid", "0.00"}}};
  EXPECT_EQ(model::encodeNotificationsJson({n}),
            R"({"notifications":[{"id":"N-1","case_id":"C-1","reference":"LRN-1","event":"cleared","state":"cleared",)"
            R"("reason":"","at":"2026-11-29T08:00:00Z","details":{"previous_state":"under-assessment",)"
            R"("revenue_due":"14.04","revenue_currency":"EUR","revenue_settled":"false","revenue_model":"consumer",)"
            R"("revenue_model_reason":"vendor model refused: registration 'x' is malformed","revenue_line":[)" +
                kFixedDutyLine + "," + kVatLine + R"(],"revenue_paid":"0.00"}}]})");
  auto decoded = model::decodeNotificationsJson(model::encodeNotificationsJson({n}));
  ASSERT_TRUE(decoded.ok()) << decoded.errors().front().message;
  EXPECT_EQ(decoded.value(), (std::vector<sdk::Notification>{n}));
}

TEST(canonicalJson, OneRevenueLineIsStillAnArray) {
  sdk::Notification n{"N-1", "C-1", "LRN-1", "released", "released", "", "2026-11-29T08:00:00Z",
                      {{"revenue_line", kVatLine}}};
  EXPECT_EQ(model::encodeNotificationsJson({n}),
            R"({"notifications":[{"id":"N-1","case_id":"C-1","reference":"LRN-1","event":"released",)"
            R"("state":"released","reason":"","at":"2026-11-29T08:00:00Z","details":{"revenue_line":[)" + kVatLine +
                "]}}]}");
}

TEST(canonicalJson, ALineNotSpelledAsTheHubSpellsItStaysTextAndComesBackTheSame) {
  // Spaces, a fraction as a number, not JSON at all: each is kept as the exact text it was.
  const std::vector<std::string> odd{R"({ "tax": "vat" })", R"({"tax":"vat","rate":23.5})", "{not json", "plain"};
  sdk::Notification n{"N-1", "C-1", "LRN-1", "held", "held", "", "2026-11-29T08:00:00Z", {}};
  for (const auto& value : odd) n.details.push_back({"revenue_line", value});
  const std::string body = model::encodeNotificationsJson({n});
  EXPECT_NE(body.find(R"("revenue_line":["{ \"tax\": \"vat\" }","{\"tax\":\"vat\",\"rate\":23.5}","{not json","plain"])"),
            std::string::npos)
      << body;
  auto decoded = model::decodeNotificationsJson(body);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value(), (std::vector<sdk::Notification>{n}));
}

TEST(canonicalJson, AnyRepeatedDetailKeyIsOneArrayAtItsFirstPlace) {
  sdk::Notification n{"N-1", "C-1", "LRN-1", "held", "held", "", "2026-11-29T08:00:00Z",
                      {{"agency", "customs"}, {"note", "a"}, {"note", "b"}, {"zone", "B"}}};
  const std::string body = model::encodeNotificationsJson({n});
  EXPECT_NE(body.find(R"("details":{"agency":"customs","note":["a","b"],"zone":"B"})"), std::string::npos) << body;
  auto decoded = model::decodeNotificationsJson(body);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value(), (std::vector<sdk::Notification>{n}));
}

TEST(canonicalJson, DecodesDetailsJournaledBeforeRevenueLines) {
  // A notification journaled by an earlier hub: every detail a string.
  auto old = model::decodeNotificationsJson(
      R"({"notifications":[{"id":"N-1","case_id":"C-1","reference":"R","event":"cleared","state":"cleared",)"
      R"("reason":"","at":"2026-11-29T08:00:00Z","details":{"revenue_due":"9.50","revenue_currency":"EUR",)"
      R"("revenue_settled":"false"}}]})");
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old.value().at(0).details,
            (std::vector<std::pair<std::string, std::string>>{
                {"revenue_due", "9.50"}, {"revenue_currency", "EUR"}, {"revenue_settled", "false"}}));
}

TEST(canonicalJson, RefusesADetailArrayElementItCannotSpell) {
  auto bad = model::decodeNotificationsJson(
      R"({"notifications":[{"id":"N-1","case_id":"C-1","reference":"R","event":"held","state":"held",)"
      R"("reason":"","at":"t","details":{"revenue_line":[{"rate":23.5},7],"n":{"a":"b"}}}]})");
  ASSERT_FALSE(bad.ok());
  std::vector<std::string> where;
  for (const auto& e : bad.errors()) where.push_back(e.path + ": " + e.message);
  EXPECT_EQ(where, (std::vector<std::string>{
                       "/notifications/0/details/revenue_line/0: expected a string or an object of strings, whole "
                       "numbers, booleans and nulls",
                       "/notifications/0/details/revenue_line/1: expected a string or an object of strings, whole "
                       "numbers, booleans and nulls",
                       "/notifications/0/details/n: expected a string or an array"}));
}

TEST(canonicalJson, RefusesMalformedNotificationsNamingWhere) {
  auto bad = model::decodeNotificationsJson(R"({"notifications":[{"id":"N-1","case_id":7,"reference":"R",)"
                                            R"("event":"held","state":"held","reason":"","at":"t","details":{"a":1}}, 3]})");
  ASSERT_FALSE(bad.ok());
  std::vector<std::string> paths;
  for (const auto& e : bad.errors()) paths.push_back(e.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/notifications/0/case_id", "/notifications/0/details/a",
                                             "/notifications/1"}));
  EXPECT_EQ(model::decodeNotificationsJson("{").errors().at(0).path, "");
  EXPECT_EQ(model::decodeNotificationsJson(R"({"n":[]})").errors().at(0).path, "/notifications");
}
