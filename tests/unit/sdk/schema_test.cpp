// sdk::Schema: every kind of error with its exact text and path, in document order.
#include <gtest/gtest.h>

#include "swhub/sdk/schema.hpp"

namespace swhub::sdk {
namespace {

using Entry = Value::Entry;

Value str(const std::string& s) { return Value::string(s); }
Value map(std::vector<Entry> entries) { return Value::map(std::move(entries)); }
Value list(std::vector<Value> items) { return Value::list(std::move(items)); }

Schema hubLike() {
  return Schema::object("root").required(
      "hub", Schema::object("hub")
                 .required("listen", Schema::string("HOST:PORT"))
                 .required("journal", Schema::string("journal URL"))
                 .optional("plugin_dir", Schema::string("plugin folder")));
}

TEST(sdk_schema, AcceptsAValidDocument) {
  const Value doc = map({{"hub", map({{"listen", str("a:1")}, {"journal", str("sqlite:x")}})}});
  EXPECT_EQ(hubLike().validate(doc), Errors{});
}

TEST(sdk_schema, UnknownKeyListsAllowedKeysAndSuggestsTheNearest) {
  const Value doc = map({{"hub", map({{"lisen", str("a:1")}, {"listen", str("a:1")},
                                      {"journal", str("j")}})}});
  EXPECT_EQ(hubLike().validate(doc),
            (Errors{{"hub.lisen",
                     "unknown key 'lisen'; allowed keys: journal, listen, plugin_dir; did you mean "
                     "'listen'?"}}));
}

TEST(sdk_schema, UnknownKeyWithoutANearOneHasNoSuggestion) {
  const Value doc = map({{"hub", map({{"listen", str("a:1")}, {"journal", str("j")},
                                      {"workers", Value::integer(3)}})}});
  EXPECT_EQ(hubLike().validate(doc),
            (Errors{{"hub.workers", "unknown key 'workers'; allowed keys: journal, listen, plugin_dir"}}));
}

TEST(sdk_schema, WrongTypeNamesBothTypes) {
  const Value doc = map({{"hub", map({{"listen", list({})}, {"journal", str("j")}})}});
  EXPECT_EQ(hubLike().validate(doc), (Errors{{"hub.listen", "expected string, got list"}}));
}

TEST(sdk_schema, StringAcceptsAnyScalar) {
  const Schema s = Schema::string("s");
  EXPECT_EQ(s.validate(Value::integer(1)), Errors{});
  EXPECT_EQ(s.validate(Value::boolean(true)), Errors{});
  EXPECT_EQ(s.validate(Value::number(1.5)), Errors{});
  EXPECT_EQ(s.validate(Value(), "x"), (Errors{{"x", "expected string, got null"}}));
}

TEST(sdk_schema, IntegerAcceptsOnlyIntegers) {
  const Schema s = Schema::integer("n", 0, 10);
  EXPECT_EQ(s.validate(Value::number(1.5), "n"), (Errors{{"n", "expected integer, got number"}}));
  EXPECT_EQ(s.validate(str("1"), "n"), (Errors{{"n", "expected integer, got string"}}));
}

TEST(sdk_schema, NumberAcceptsIntegersAndDecimals) {
  const Schema s = Schema::number("x", 0, 1.5);
  EXPECT_EQ(s.validate(Value::integer(1)), Errors{});
  EXPECT_EQ(s.validate(Value::number(0.5)), Errors{});
  EXPECT_EQ(s.validate(Value::number(2.25), "x"), (Errors{{"x", "2.25 is out of range [0, 1.5]"}}));
}

TEST(sdk_schema, BooleanAcceptsOnlyBooleans) {
  EXPECT_EQ(Schema::boolean("b").validate(str("yes"), "b"),
            (Errors{{"b", "expected boolean, got string"}}));
}

TEST(sdk_schema, MissingRequiredKeyIsReportedAtItsOwnPath) {
  const Value doc = map({{"hub", map({{"listen", str("a:1")}})}});
  EXPECT_EQ(hubLike().validate(doc), (Errors{{"hub.journal", "required key missing: journal URL"}}));
}

TEST(sdk_schema, OutOfRangeShowsTheValueAndTheBounds) {
  EXPECT_EQ(Schema::integer("n", 1, 1024).validate(Value::integer(0), "threads"),
            (Errors{{"threads", "0 is out of range [1, 1024]"}}));
}

TEST(sdk_schema, ClosedSetSuggestsTheNearestValue) {
  EXPECT_EQ(Schema::oneOf("k", {"a", "b", "food"}).validate(str("fod"), "kind"),
            (Errors{{"kind", "'fod' is not one of: a, b, food; did you mean 'food'?"}}));
}

TEST(sdk_schema, ClosedSetWithoutANearValue) {
  EXPECT_EQ(Schema::oneOf("k", {"postal", "express"}).validate(str("zeppelin"), "kind"),
            (Errors{{"kind", "'zeppelin' is not one of: postal, express"}}));
}

TEST(sdk_schema, NonEmptyRefusesAnEmptyString) {
  EXPECT_EQ(Schema::string("s").nonEmpty().validate(str(""), "name"),
            (Errors{{"name", "must not be empty"}}));
}

TEST(sdk_schema, ListShorterThanMinItems) {
  EXPECT_EQ(Schema::list("l", Schema::string("s"), 1).validate(list({}), "require"),
            (Errors{{"require", "expected at least 1 item(s), got 0"}}));
}

TEST(sdk_schema, ListItemErrorsCarryTheirIndex) {
  const Schema s = Schema::object("root").optional(
      "routes", Schema::list("routes", Schema::object("route").required(
                                           "require", Schema::list("r", Schema::string("s")))));
  const Value doc = map({{"routes", list({map({{"require", list({str("a")})}}),
                                          map({{"require", list({str("a")})}}),
                                          map({{"require", list({list({})})}})})}});
  EXPECT_EQ(s.validate(doc), (Errors{{"routes[2].require[0]", "expected string, got list"}}));
}

TEST(sdk_schema, MapKeysAreAppendedWithADot) {
  const Schema s = Schema::object("root").required(
      "partners", Schema::map("p", Schema::object("partner").required("plugin", Schema::string("p"))));
  const Value doc = map({{"partners", map({{"demo-post", map({{"plugin", list({})}})}})}});
  EXPECT_EQ(s.validate(doc), (Errors{{"partners.demo-post.plugin", "expected string, got list"}}));
}

TEST(sdk_schema, ReportsEveryErrorInDocumentOrder) {
  const Schema s = Schema::object("root")
                       .required("a", Schema::integer("a", 1, 2))
                       .required("b", Schema::string("b").nonEmpty())
                       .required("c", Schema::boolean("the c flag"));
  const Value doc = map({{"b", str("")}, {"x", str("1")}, {"a", Value::integer(5)}});
  EXPECT_EQ(s.validate(doc), (Errors{{"b", "must not be empty"},
                                     {"x", "unknown key 'x'; allowed keys: a, b, c; did you mean 'a'?"},
                                     {"a", "5 is out of range [1, 2]"},
                                     {"c", "required key missing: the c flag"}}));
}

TEST(sdk_schema, ValidatesUnderTheGivenPath) {
  EXPECT_EQ(Schema::integer("n", 1, 10).validate(Value::integer(0), "partners.p.settings.n"),
            (Errors{{"partners.p.settings.n", "0 is out of range [1, 10]"}}));
}

Schema referencing() {
  return Schema::object("root")
      .optional("routes", Schema::list("routes", Schema::string("agency")).refersTo("agency"))
      .optional("agencies", Schema::map("agencies", Schema::any("agency")).defines("agency"));
}

TEST(sdk_schema, ReferenceToANameDefinedLaterIsFine) {
  const Value doc = map({{"routes", list({str("customs")})}, {"agencies", map({{"customs", Value()}})}});
  EXPECT_EQ(referencing().validate(doc), Errors{});
}

TEST(sdk_schema, DanglingReferenceListsDefinedNamesAndSuggests) {
  const Value doc = map({{"routes", list({str("customs"), str("custom")})},
                         {"agencies", map({{"food-safety", Value()}, {"customs", Value()}})}});
  EXPECT_EQ(referencing().validate(doc),
            (Errors{{"routes[1]",
                     "unknown agency 'custom'; defined: customs, food-safety; did you mean 'customs'?"}}));
}

TEST(sdk_schema, DanglingReferenceWhenNothingIsDefined) {
  const Value doc = map({{"routes", list({str("x")})}});
  EXPECT_EQ(referencing().validate(doc), (Errors{{"routes[0]", "unknown agency 'x'; none is defined"}}));
}

TEST(sdk_schema, DanglingReferenceKeepsItsPlaceInDocumentOrder) {
  const Schema s = Schema::object("root")
                       .optional("first", Schema::string("f").refersTo("agency"))
                       .optional("second", Schema::integer("s", 0, 1));
  const Value doc = map({{"first", str("nope")}, {"second", Value::integer(9)}});
  EXPECT_EQ(s.validate(doc), (Errors{{"first", "unknown agency 'nope'; none is defined"},
                                     {"second", "9 is out of range [0, 1]"}}));
}

TEST(sdk_schema, ExtraNamesSatisfyReferences) {
  const Value doc = map({{"routes", list({str("customs")})}});
  EXPECT_EQ(referencing().validate(doc, "", {{"agency", {"customs"}}}), Errors{});
}

TEST(sdk_schema, AStringCanDefineAName) {
  const Schema s = Schema::object("root")
                       .optional("id", Schema::string("id").defines("plugin"))
                       .optional("use", Schema::string("u").refersTo("plugin"));
  EXPECT_EQ(s.validate(map({{"use", str("x")}, {"id", str("x")}})), Errors{});
}

TEST(sdk_schema, EmptyYamlValueReadsAsAnEmptyMapOrList) {
  const Schema s = Schema::object("root")
                       .optional("m", Schema::map("m", Schema::any("v")))
                       .optional("l", Schema::list("l", Schema::any("v"), 1));
  EXPECT_EQ(s.validate(map({{"m", Value()}, {"l", Value()}})),
            (Errors{{"l", "expected at least 1 item(s), got 0"}}));
}

TEST(sdk_schema_nearest_name, FindsTheClosestWithinTheLimit) {
  EXPECT_EQ(nearestName("lisen", {"journal", "listen", "plugin_dir"}), "listen");
  EXPECT_EQ(nearestName("xyzzy", {"journal", "listen"}), "");
}

TEST(sdk_schema_nearest_name, LimitGrowsWithTheName) {
  // 11 letters: up to 3 edits; 3 letters: up to 2.
  EXPECT_EQ(nearestName("mx_bdy_byts", {"max_body_bytes"}), "max_body_bytes");
  EXPECT_EQ(nearestName("abc", {"xyz"}), "");
}

TEST(sdk_schema_nearest_name, TiesGoToTheFirstInSortedOrder) {
  EXPECT_EQ(nearestName("cat", {"cut", "bat"}), "bat");
}

TEST(sdk_schema, DescribeOutlinesEveryKey) {
  const Schema s = Schema::object("root")
                       .required("hub", Schema::object("the hub").required(
                                            "threads", Schema::integer("worker threads", 2, 8)))
                       .optional("agencies", Schema::map("agencies", Schema::object("one agency")
                                                                         .optional("name", Schema::string("display name"))))
                       .optional("tags", Schema::list("tags", Schema::oneOf("tag", {"a", "b"})));
  EXPECT_EQ(s.describe(),
            "hub (map, required): the hub\n"
            "  threads (integer, required): worker threads; range [2, 8]\n"
            "agencies (map, optional): agencies\n"
            "  <name> (map): one agency\n"
            "    name (string, optional): display name\n"
            "tags (list of string, optional): tags; each one of: a, b\n");
}

}  // namespace
}  // namespace swhub::sdk
