// Search words to HS subheadings: one, the candidates, or none; and the nomenclature file shipped
// with the example config, read as the hub reads it.
#include <gtest/gtest.h>

#include <filesystem>

#include "config/config.hpp"
#include "estimate/heading_search.hpp"

namespace swhub::estimate {
namespace {

const std::string kShipped = (std::filesystem::path(SWHUB_SOURCE_ROOT) / "config" / "tariff" / "hs-headings.yaml").string();

std::vector<std::string> codes(const std::vector<const config::Heading*>& found) {
  std::vector<std::string> out;
  for (const auto* h : found) out.push_back(h->hs);
  return out;
}

HeadingSearch shipped() {
  sdk::Errors errors;
  auto headings = config::readHeadings(config::parseYamlFile(kShipped), "nomenclature", errors);
  EXPECT_TRUE(errors.empty()) << sdk::formatErrors(errors);
  return HeadingSearch(std::move(headings));
}

TEST(estimate_headings, TheShippedFileHoldsAHundredOrSoSubheadings) {
  sdk::Errors errors;
  const auto headings = config::readHeadings(config::parseYamlFile(kShipped), "nomenclature", errors);
  EXPECT_TRUE(errors.empty()) << sdk::formatErrors(errors);
  EXPECT_GE(headings.size(), 100u);
}

TEST(estimate_headings, AWordOfOneSubheadingResolvesToIt) {
  const HeadingSearch search = shipped();
  EXPECT_EQ(codes(search.search("headphones")), (std::vector<std::string>{"851830"}));
  EXPECT_EQ(codes(search.search("  Headphone ")), (std::vector<std::string>{"851830"}));  // case, plural, spaces
  EXPECT_EQ(codes(search.search("cheese")), (std::vector<std::string>{"040690"}));
  EXPECT_EQ(codes(search.search("cotton t-shirt")), (std::vector<std::string>{"610910"}));
  EXPECT_EQ(codes(search.search("phone")), (std::vector<std::string>{"851713"}));  // a keyword beats "phone case"
}

TEST(estimate_headings, AWordOfSeveralSubheadingsGivesTheCandidatesInFileOrder) {
  const HeadingSearch search = shipped();
  EXPECT_EQ(codes(search.search("watch")), (std::vector<std::string>{"910211", "910212", "910221"}));
  EXPECT_EQ(codes(search.search("T-Shirts")), (std::vector<std::string>{"610910", "610990"}));
  EXPECT_EQ(codes(search.search("shoes")), (std::vector<std::string>{"640399", "640411", "640299"}));
}

TEST(estimate_headings, WordsThatAreNoKeywordAreCoveredByTheWordsOfKeywords) {
  const HeadingSearch search = shipped();
  // No keyword "wool jumper cardigan"... but "wool" and "sweater" are both words of 611011's keywords.
  EXPECT_EQ(codes(search.search("sweater wool")), (std::vector<std::string>{"611011"}));
}

TEST(estimate_headings, AnUnknownWordFindsNothing) {
  const HeadingSearch search = shipped();
  EXPECT_TRUE(search.search("xyzzy").empty());
  EXPECT_TRUE(search.search("").empty());
  EXPECT_TRUE(search.search("--").empty());
}

TEST(estimate_headings, AnHsCodeFallsUnderTheLongestSubheadingThatStartsIt) {
  const HeadingSearch search({{"8518", "loudspeakers and headphones", {"audio"}}, {"851830", "headphones", {"headphones"}}});
  ASSERT_NE(search.of("8518300000"), nullptr);
  EXPECT_EQ(search.of("8518300000")->hs, "851830");
  EXPECT_EQ(search.of("851822")->hs, "8518");
  EXPECT_EQ(search.of("610910"), nullptr);
}

TEST(estimate_headings, ABadFileIsNamedByEntry) {
  sdk::Errors errors;
  const auto document = config::parseYamlString(R"(headings:
  - {hs: "851830", description: headphones, keywords: [headphones]}
  - {hs: "8518", description: short, keywords: [audio]}
  - {hs: "851830", description: again, keywords: [earbuds]}
  - {hs: "610910", description: shirts, keywords: []}
  - {hs: "610990", description: shirts, keywords: [shirt], colour: blue}
)");
  const auto headings = config::readHeadings(document, "hub.public_estimate.nomenclature(x.yaml)", errors);
  EXPECT_EQ(sdk::formatErrors(errors),
            "hub.public_estimate.nomenclature(x.yaml).headings[3].keywords: expected at least 1 item(s), got 0\n"
            "hub.public_estimate.nomenclature(x.yaml).headings[4].colour: unknown key 'colour'; allowed keys: "
            "description, hs, keywords\n");
  EXPECT_TRUE(headings.empty());

  sdk::Errors semantic;
  const auto read = config::readHeadings(config::parseYamlString(R"(headings:
  - {hs: "851830", description: headphones, keywords: [headphones]}
  - {hs: "8518", description: short, keywords: [audio]}
  - {hs: "851830", description: again, keywords: [earbuds]}
)"),
                                         "n", semantic);
  EXPECT_EQ(sdk::formatErrors(semantic),
            "n.headings[1].hs: '8518' is not an HS code: 6 to 10 digits expected\n"
            "n.headings[2].hs: '851830' is also n.headings[0].hs: one entry per code\n");
  EXPECT_EQ(read.size(), 1u);
}

}  // namespace
}  // namespace swhub::estimate
