#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "examples.hpp"
#include "model/canonical_json.hpp"
#include "xml_fixture.hpp"

using namespace swhub;
using sdk::Errors;
using test::replaced;
using test::xmlCodec;

namespace {
Errors errorsOf(const std::string& xml) {
  auto r = xmlCodec().decode(xml);
  return r ? Errors{} : r.errors();
}
}  // namespace

TEST(canonicalXml, DesignExampleDecodesToTheExpectedValues) {
  auto r = xmlCodec().decode(test::kDesignXml);
  ASSERT_TRUE(r) << sdk::formatErrors(r.errors());
  EXPECT_EQ(r.value(), test::designConsignment());
}

TEST(canonicalXml, SchemaViolationHasXPathAndPosition) {
  EXPECT_EQ(errorsOf(replaced(test::kDesignXml, "<hs>851830</hs>", "<hs>8518</hs>")),
            (Errors{{"/consignment/items/item[1]/hs",
                     "value '8518' does not match regular expression facet '[0-9]{6,10}' (line 17, column 67)"}}));
}

TEST(canonicalXml, SecondItemGetsItsIndex) {
  const std::string second =
      "<item><description>Case</description><hs>392690</hs><quantity>2</quantity><unit>pce</unit>"
      "<value>3.5</value><currency>EUR</currency><origin>XX</origin></item>";
  auto r = xmlCodec().decode(replaced(test::kDesignXml, "</items>", second + "</items>"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.errors(), (Errors{{"/consignment/items/item[2]/origin", "'XX' is not an ISO 3166-1 alpha-2 country code"}}));
  auto ok = xmlCodec().decode(replaced(test::kDesignXml, "</items>", replaced(second, "XX", "CN") + "</items>"));
  ASSERT_TRUE(ok) << sdk::formatErrors(ok.errors());
  ASSERT_EQ(ok.value().items.size(), 2u);
  EXPECT_EQ(ok.value().items[1].sequence, 2);
  EXPECT_EQ(ok.value().items[1].value.toString(), "3.50");
}

TEST(canonicalXml, UnknownElementIsReportedAtItsOwnPath) {
  // xerces also reports, at the end of the item, that its content model does not allow it.
  const auto errors = errorsOf(replaced(test::kDesignXml, "<hs>851830</hs>", "<hs>851830</hs><hscode>1</hscode>"));
  ASSERT_EQ(errors.size(), 2u) << sdk::formatErrors(errors);
  EXPECT_EQ(errors[0].path, "/consignment/items/item[1]/hscode");
  EXPECT_EQ(errors[0].message, "no declaration found for element 'hscode' (line 17, column 77)");
  EXPECT_EQ(errors[1].path, "/consignment/items/item[1]");
}

TEST(canonicalXml, MissingRequiredElementIsReportedAtItsParent) {
  const auto errors = errorsOf(replaced(test::kDesignXml, "<hs>851830</hs>", ""));
  ASSERT_EQ(errors.size(), 1u) << sdk::formatErrors(errors);
  EXPECT_EQ(errors[0].path, "/consignment/items/item[1]");
  EXPECT_NE(errors[0].message.find("hs"), std::string::npos) << errors[0].message;
}

TEST(canonicalXml, ManyErrorsAtOnce) {
  std::string xml = replaced(test::kDesignXml, "<currency>EUR</currency>", "<currency>EURO</currency>");
  xml = replaced(xml, "<origin>CN</origin>", "<origin>XX</origin>");
  xml = replaced(xml, "<value>45.00</value>", "<value>45.00001</value>");
  xml = replaced(xml, "<filing>pre-arrival</filing>", "<filing>later</filing>");
  const auto errors = errorsOf(xml);
  ASSERT_EQ(errors.size(), 4u) << sdk::formatErrors(errors);
  EXPECT_EQ(errors[0].path, "/consignment/filing");
  EXPECT_EQ(errors[1].path, "/consignment/items/item[1]/value");
  EXPECT_EQ(errors[2].path, "/consignment/items/item[1]/currency");
  EXPECT_EQ(errors[3], (sdk::Error{"/consignment/items/item[1]/origin", "'XX' is not an ISO 3166-1 alpha-2 country code"}));
}

TEST(canonicalXml, WrongNamespaceIsRefused) {
  const auto errors = errorsOf(replaced(test::kDesignXml, "urn:swhub:canonical:consignment:1", "urn:other"));
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].path, "/consignment");
}

TEST(canonicalXml, NotWellFormedIsFatal) {
  const auto errors = errorsOf(replaced(test::kDesignXml, "</reference>", "</ref>"));
  ASSERT_EQ(errors.size(), 1u) << sdk::formatErrors(errors);
  EXPECT_EQ(errors[0].path, "/consignment/reference");
  EXPECT_NE(errors[0].message.find("(line 3, column"), std::string::npos) << errors[0].message;
}

TEST(canonicalXml, HubFieldsAreRefusedInAFiling) {
  EXPECT_EQ(errorsOf(replaced(test::kDesignXml, "<filing>", "<partner>x</partner><filing>")),
            (Errors{{"/consignment/partner", "'partner' is set by the hub, not by a filing"}}));
}

TEST(canonicalXml, EncodedXmlValidatesAndRoundTrips) {
  const sdk::Consignment c = test::fullConsignment();
  model::DecodeOptions options;
  options.allow_hub_fields = true;
  model::CanonicalXmlCodec codec(model::SchemaFile{test::kXsdPath}, options);
  const std::string xml = model::encodeConsignmentXml(c);
  auto r = codec.decode(xml);
  ASSERT_TRUE(r) << sdk::formatErrors(r.errors()) << xml;
  EXPECT_EQ(r.value(), c);
}

TEST(canonicalXml, JsonXmlJsonRoundTrip) {
  auto fromJson = model::decodeConsignmentJson(test::kDesignJson);
  ASSERT_TRUE(fromJson);
  auto fromXml = xmlCodec().decode(model::encodeConsignmentXml(fromJson.value()));
  ASSERT_TRUE(fromXml) << sdk::formatErrors(fromXml.errors());
  EXPECT_EQ(fromXml.value(), fromJson.value());
  EXPECT_EQ(model::encodeConsignmentJson(fromXml.value()), model::encodeConsignmentJson(fromJson.value()));
}

TEST(canonicalXml, DecodesFromManyThreadsAtOnce) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  std::mutex mutex;
  std::string firstError;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto r = xmlCodec().decode(test::kDesignXml);
        if (r) {
          ++ok;
        } else {
          std::lock_guard lock(mutex);
          if (firstError.empty()) firstError = sdk::formatErrors(r.errors());
        }
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 200) << firstError;
}

TEST(canonicalXml, SchemaFileThatDoesNotExistFailsAtStart) {
  try {
    model::CanonicalXmlCodec codec(model::SchemaFile{"/nonexistent/consignment.xsd"});
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/consignment.xsd"), std::string::npos) << e.what();
  }
}
