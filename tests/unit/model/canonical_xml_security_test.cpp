#include <gtest/gtest.h>

#include "examples.hpp"
#include "xml_fixture.hpp"

using namespace swhub;
using sdk::Errors;
using test::replaced;
using test::xmlCodec;

namespace {
const std::string kBody = test::kDesignXml.substr(test::kDesignXml.find("<consignment"));

std::string allText(const Errors& errors) { return sdk::formatErrors(errors); }
}  // namespace

TEST(canonicalXmlSecurity, DoctypeWithExternalEntityIsRefused) {
  const std::string xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n" +
                          replaced(kBody, "<reference>LRN-2026-000123</reference>", "<reference>&e;</reference>");
  auto r = xmlCodec().decode(xml);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.errors().size(), 1u) << allText(r.errors());
  EXPECT_EQ(r.errors()[0].path, "");
  EXPECT_NE(r.errors()[0].message.find("DOCTYPE is not allowed"), std::string::npos);
  EXPECT_EQ(allText(r.errors()).find("root:"), std::string::npos);
}

TEST(canonicalXmlSecurity, BillionLaughsIsRefused) {
  std::string dtd = "<!DOCTYPE consignment [\n<!ENTITY lol \"lol\">\n";
  for (int i = 1; i < 10; ++i)
    dtd += "<!ENTITY lol" + std::to_string(i) + " \"" + [&] {
      std::string s;
      for (int k = 0; k < 10; ++k) s += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
      return s;
    }() + "\">\n";
  dtd += "]>\n";
  const std::string xml = "<?xml version=\"1.0\"?>\n" + dtd +
                          replaced(kBody, "<reference>LRN-2026-000123</reference>", "<reference>&lol9;</reference>");
  auto r = xmlCodec().decode(xml);
  ASSERT_FALSE(r);
  EXPECT_NE(allText(r.errors()).find("DOCTYPE is not allowed"), std::string::npos) << allText(r.errors());
}

TEST(canonicalXmlSecurity, ExternalDtdIsNeverFetched) {
  const std::string xml = "<!DOCTYPE consignment SYSTEM \"http://127.0.0.1:9/evil.dtd\">\n" + kBody;
  auto r = xmlCodec().decode(xml);
  ASSERT_FALSE(r);
  EXPECT_NE(allText(r.errors()).find("DOCTYPE is not allowed"), std::string::npos) << allText(r.errors());
}

TEST(canonicalXmlSecurity, SchemaLocationIsIgnoredAndThePinnedSchemaUsed) {
  const std::string hint =
      "<consignment xmlns=\"urn:swhub:canonical:consignment:1\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"urn:swhub:canonical:consignment:1 http://127.0.0.1:9/permissive.xsd\">";
  const std::string xml = replaced(kBody, "<consignment xmlns=\"urn:swhub:canonical:consignment:1\">", hint);
  auto ok = xmlCodec().decode(xml);
  EXPECT_TRUE(ok) << allText(ok.errors());
  auto bad = xmlCodec().decode(replaced(xml, "<hs>851830</hs>", "<hs>85</hs>"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.errors()[0].path, "/consignment/items/item[1]/hs");
}

// A hint that is not namespace-location pairs (a single token, as in HMRC's published samples) is
// ignored like any other: the hub validates against its own grammar.
TEST(canonicalXmlSecurity, AMalformedSchemaLocationIsIgnoredToo) {
  const std::string open = "<consignment xmlns=\"urn:swhub:canonical:consignment:1\">";
  const std::string xsi = "<consignment xmlns=\"urn:swhub:canonical:consignment:1\" "
                          "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ";
  for (const std::string& hint : {std::string("xsi:schemaLocation=\"consignment.xsd\">"),
                                  std::string("xsi:schemaLocation=\"urn:swhub:canonical:consignment:1 a.xsd b\">"),
                                  std::string("xsi:noNamespaceSchemaLocation=\"http://127.0.0.1:9/any.xsd\">")}) {
    SCOPED_TRACE(hint);
    const std::string xml = replaced(kBody, open, xsi + hint);
    auto ok = xmlCodec().decode(xml);
    EXPECT_TRUE(ok) << allText(ok.errors());
    // The pinned grammar still judges it.
    auto bad = xmlCodec().decode(replaced(xml, "<hs>851830</hs>", "<hs>85</hs>"));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.errors()[0].path, "/consignment/items/item[1]/hs") << allText(bad.errors());
  }
  // A document that is not well formed still stops at its first fatal error, with one error.
  auto broken = xmlCodec().decode(replaced(kBody, open, xsi + "xsi:schemaLocation=\"x\">") + "<trailing>");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.errors().size(), 1u) << allText(broken.errors());
}

TEST(canonicalXmlSecurity, TooDeepIsRefused) {
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<x>";
  const auto errors = [&] {
    auto r = xmlCodec().decode(replaced(kBody, "<filing>", deep + "<filing>"));
    return r ? Errors{} : r.errors();
  }();
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors.back().message.find("nesting deeper than 32 levels"), std::string::npos) << allText(errors);
}

TEST(canonicalXmlSecurity, BodyIsCappedBeforeParsing) {
  model::DecodeOptions options;
  options.max_bytes = 64;
  model::CanonicalXmlCodec codec(model::SchemaFile{test::kXsdPath}, options);
  auto r = codec.decode(test::kDesignXml);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.errors(), (Errors{{"", "body of " + std::to_string(test::kDesignXml.size()) +
                                         " bytes exceeds the limit of 64"}}));
}

TEST(canonicalXmlSecurity, ItemCountIsBounded) {
  model::DecodeOptions options;
  options.max_items = 0;
  model::CanonicalXmlCodec codec(model::SchemaFile{test::kXsdPath}, options);
  auto r = codec.decode(test::kDesignXml);
  ASSERT_FALSE(r);
  ASSERT_EQ(r.errors().size(), 1u);
  EXPECT_EQ(r.errors()[0].path, "/consignment/items");
  EXPECT_EQ(r.errors()[0].message.rfind("more than 0 items: at most 0 per consignment", 0), 0u) << r.errors()[0].message;
}
