// The estimate's parameters: the query string's form and the JSON body's, one reader, every bad
// parameter named by its path.
#include <gtest/gtest.h>

#include "estimate/estimate_query.hpp"

namespace swhub::estimate {
namespace {

const Parameters kHeadphones = {{"destination", "PT"},       {"items[0].hs", "851830"}, {"items[0].value", "48.00"},
                                {"items[0].currency", "EUR"}, {"items[0].origin", "CN"}};

std::vector<std::string> paths(const sdk::Errors& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.path);
  return out;
}

std::string messageAt(const sdk::Errors& errors, const std::string& path) {
  for (const auto& e : errors) {
    if (e.path == path) return e.message;
  }
  return "";
}

TEST(estimate_query, ReadsTheQueryStringForm) {
  Parameters p = kHeadphones;
  p.insert(p.end(), {{"model", "vendor"}, {"registration", "IM9990000001"}, {"tax_collected", "11.04"},
                     {"departure", "CN"}, {"mode", "air"}, {"items[1].search", "t-shirt"}, {"items[1].value", "20"},
                     {"items[1].currency", "USD"}, {"items[1].origin", "BD"}, {"items[1].quantity", "2"},
                     {"items[1].description", "two shirts"}});
  auto q = readQuery(p);
  ASSERT_TRUE(q.ok()) << sdk::formatErrors(q.errors());
  EXPECT_EQ(q.value().destination, "PT");
  EXPECT_EQ(q.value().model, sdk::CollectionModel::Vendor);
  EXPECT_EQ(q.value().registration, "IM9990000001");
  EXPECT_EQ(q.value().tax_collected, sdk::Decimal::parse("11.04"));
  EXPECT_EQ(q.value().departure, "CN");
  EXPECT_EQ(q.value().mode, sdk::TransportMode::Air);
  ASSERT_EQ(q.value().items.size(), 2u);
  EXPECT_EQ(q.value().items[0].hs, "851830");
  EXPECT_EQ(q.value().items[0].value, sdk::Decimal::parse("48.00"));
  EXPECT_EQ(q.value().items[0].quantity, 1);
  EXPECT_EQ(q.value().items[1].search, "t-shirt");
  EXPECT_EQ(q.value().items[1].quantity, 2);
  EXPECT_EQ(q.value().items[1].description, "two shirts");
}

TEST(estimate_query, TheModelIsTheConsumerUnlessSaidOtherwise) {
  auto q = readQuery(kHeadphones);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q.value().model, sdk::CollectionModel::Consumer);
  EXPECT_FALSE(q.value().mode.has_value());
}

TEST(estimate_query, NamesEveryMissingParameter) {
  auto q = readQuery({});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(paths(q.errors()), (std::vector<std::string>{"destination", "items"}));
  EXPECT_EQ(messageAt(q.errors(), "destination"), "required: the country of destination, ISO 3166-1 alpha-2 (PT)");

  auto item = readQuery({{"destination", "PT"}, {"items[0].description", "headphones"}});
  ASSERT_FALSE(item.ok());
  EXPECT_EQ(paths(item.errors()),
            (std::vector<std::string>{"items[0].hs", "items[0].value", "items[0].currency", "items[0].origin"}));
  EXPECT_EQ(messageAt(item.errors(), "items[0].hs"),
            "required: the HS code (6 to 10 digits), or a word to look it up by as items[0].search");
}

TEST(estimate_query, NamesEveryBadValue) {
  auto q = readQuery({{"destination", "pt"},
                      {"model", "buyer"},
                      {"mode", "ship"},
                      {"items[0].hs", "8518"},
                      {"items[0].value", "-5"},
                      {"items[0].currency", "euro"},
                      {"items[0].origin", "CHN"},
                      {"items[0].quantity", "0"},
                      {"items[1].search", "socks"},
                      {"items[1].hs", "611595"},
                      {"items[1].value", "4.12345"},
                      {"items[1].currency", "EUR"},
                      {"items[1].origin", "CN"}});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(paths(q.errors()),
            (std::vector<std::string>{"destination", "model", "mode", "items[0].hs", "items[0].value", "items[0].currency",
                                      "items[0].origin", "items[0].quantity", "items[1].search", "items[1].value"}));
  EXPECT_EQ(messageAt(q.errors(), "destination"), "'pt' is not an ISO 3166-1 alpha-2 country code (two capital letters: PT)");
  EXPECT_EQ(messageAt(q.errors(), "model"), "'buyer' is not a collection model; one of " + sdk::allowedCollectionModels());
  EXPECT_EQ(messageAt(q.errors(), "items[0].hs"), "'8518' is not an HS code: 6 to 10 digits (851830)");
  EXPECT_EQ(messageAt(q.errors(), "items[0].value"), "'-5' is not an amount (a decimal with at most 4 fraction digits: 48.00)");
  EXPECT_EQ(messageAt(q.errors(), "items[1].search"), "give the HS code or a search word, not both");
  EXPECT_EQ(messageAt(q.errors(), "items[1].value"),
            "'4.12345' is not an amount (a decimal with at most 4 fraction digits: 48.00)");
}

TEST(estimate_query, AnUnknownOrRepeatedParameterIsAnError) {
  Parameters p = kHeadphones;
  p.insert(p.end(), {{"destinaton", "PT"}, {"items[0].valeu", "1"}, {"items[0].hs", "851830"}, {"items[01].hs", "1"}});
  auto q = readQuery(p);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(paths(q.errors()), (std::vector<std::string>{"destinaton", "items[0].valeu", "items[0].hs", "items[01].hs"}));
  EXPECT_EQ(messageAt(q.errors(), "destinaton"),
            "unknown parameter; allowed: destination, model, registration, tax_collected, tax_currency, departure, mode "
            "and items[N].description, hs, search, value, currency, origin, quantity; did you mean 'destination'?");
  EXPECT_EQ(messageAt(q.errors(), "items[0].valeu"),
            "unknown item parameter 'valeu'; allowed: description, hs, search, value, currency, origin, quantity; did you "
            "mean 'items[0].value'?");
  EXPECT_EQ(messageAt(q.errors(), "items[0].hs"), "given more than once");
}

// Found by the estimate_query fuzz target: "&=PT" made an error whose path was empty.
TEST(estimate_query, AParameterWithoutANameIsAnErrorThatSaysSo) {
  const auto q = readQuery({{"destination", "PT"}, {"", "PT"}, {"items[0].hs", "851830"}, {"items[0].value", "45"},
                            {"items[0].currency", "EUR"}, {"items[0].origin", "CN"}});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(paths(q.errors()), (std::vector<std::string>{"(no name)"}));
  EXPECT_EQ(messageAt(q.errors(), "(no name)"), "a parameter without a name ('=PT')");
  EXPECT_FALSE(readBody(R"({"destination":"PT","":1})").ok());
}

// Found by the estimate_query fuzz target in CI: a body member without a name whose value was an
// array ({"": [...]}) made an error whose path was empty.
TEST(estimate_query, ABodyMemberWithoutANameThatIsNotAScalarIsNamedAsNoName) {
  const auto q = readBody(R"({"":[{"hs":"851830","value":"45.00","currency":"EUR","origin":"CN"}]})");
  ASSERT_FALSE(q.ok());
  for (const auto& e : q.errors()) EXPECT_FALSE(e.path.empty()) << e.message;
  EXPECT_EQ(messageAt(q.errors(), "(no name)"), "a string or a number is expected");
}

TEST(estimate_query, ItemsAreNumberedFromZeroWithoutGapsAndAtMostFifty) {
  Parameters p = {{"destination", "PT"}};
  for (const std::string i : {"0", "2"}) {
    p.insert(p.end(), {{"items[" + i + "].hs", "851830"}, {"items[" + i + "].value", "1"},
                       {"items[" + i + "].currency", "EUR"}, {"items[" + i + "].origin", "CN"}});
  }
  p.emplace_back("items[50].hs", "851830");
  auto q = readQuery(p);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(paths(q.errors()), (std::vector<std::string>{"items[50].hs", "items[1]"}));
  EXPECT_EQ(messageAt(q.errors(), "items[1]"), "missing: items are numbered from 0 without gaps");
  EXPECT_EQ(messageAt(q.errors(), "items[50].hs"), "at most 50 items (items[0] to items[49])");
}

TEST(estimate_query, TheJsonBodyReadsLikeTheQuery) {
  auto q = readBody(R"({"destination":"PT","model":"consumer","items":[)"
                    R"({"hs":"851830","value":48.5,"currency":"EUR","origin":"CN"},)"
                    R"({"search":"cheese","value":"12","currency":"EUR","origin":"FR","quantity":2}]})");
  ASSERT_TRUE(q.ok()) << sdk::formatErrors(q.errors());
  ASSERT_EQ(q.value().items.size(), 2u);
  EXPECT_EQ(q.value().items[0].value, sdk::Decimal::parse("48.5"));
  EXPECT_EQ(q.value().items[1].search, "cheese");
  EXPECT_EQ(q.value().items[1].quantity, 2);
}

TEST(estimate_query, TheJsonBodysErrorsNameTheSamePaths) {
  auto q = readBody(R"({"destination":"PT","items":[{"hs":"851830","value":true,"currency":"EUR"},7],"extra":{}})");
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(paths(q.errors()), (std::vector<std::string>{"extra", "items[0].value", "items[1]", "items[0].value", "items[0].origin"}));
  EXPECT_EQ(messageAt(q.errors(), "items[1]"), "a JSON object is expected");
  EXPECT_EQ(messageAt(q.errors(), "extra"), "a string or a number is expected");

  for (const std::string body : {"", "[1]", "{\"destination\":", "null"}) {
    auto bad = readBody(body);
    ASSERT_FALSE(bad.ok()) << body;
    EXPECT_EQ(paths(bad.errors()), (std::vector<std::string>{"body"})) << body;
  }
}

}  // namespace
}  // namespace swhub::estimate
