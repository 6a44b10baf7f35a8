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
