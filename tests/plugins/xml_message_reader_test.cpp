// The message reader of plugins/support/xml without any partner format: a small grammar of its own,
// messages with schema hints well formed or not, and the fatal errors it must still stop at.

#include <gtest/gtest.h>

#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/framework/XMLErrorCodes.hpp>
#include <xercesc/framework/XMLGrammarPoolImpl.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>
#include <xercesc/sax2/XMLReaderFactory.hpp>
#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/XMLUni.hpp>

#include <memory>
#include <string>
#include <vector>

#include "xml/message_reader.hpp"
#include "xml/parsing.hpp"
#include "xml/utf.hpp"
#include "xml/xerces_runtime.hpp"

namespace xml = swhub::plugins::xml;
using namespace xercesc;

namespace {

constexpr const char* kXsd = R"(<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:test:parcel"
           xmlns="urn:test:parcel" elementFormDefault="qualified">
  <xs:element name="parcel">
    <xs:complexType><xs:sequence><xs:element name="weight" type="xs:decimal"/></xs:sequence></xs:complexType>
  </xs:element>
</xs:schema>)";

// Every report, "error: ..." or "fatal: ...", in order.
class Collecting : public DefaultHandler {
 public:
  std::vector<std::string> reports;
  void error(const SAXParseException& e) override { reports.push_back("error: " + xml::toUtf8(e.getMessage())); }
  void fatalError(const SAXParseException& e) override { reports.push_back("fatal: " + xml::toUtf8(e.getMessage())); }
  InputSource* resolveEntity(const XMLCh*, const XMLCh* systemId) override {
    reports.push_back("fetch: " + xml::toUtf8(systemId));
    throw xml::StopParsing{};
  }
};

class xmlSupportMessageReader : public ::testing::Test {
 protected:
  void SetUp() override {
    pool_ = std::make_unique<XMLGrammarPoolImpl>(XMLPlatformUtils::fgMemoryManager);
    std::unique_ptr<SAX2XMLReader> loader(XMLReaderFactory::createXMLReader(XMLPlatformUtils::fgMemoryManager, pool_.get()));
    loader->setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
    loader->setFeature(XMLUni::fgXercesSchema, true);
    MemBufInputSource source(reinterpret_cast<const XMLByte*>(kXsd), std::char_traits<char>::length(kXsd), "parcel.xsd",
                             false);
    ASSERT_NE(loader->loadGrammar(source, Grammar::SchemaGrammarType, true), nullptr);
    loader.reset();
    pool_->lockPool();
  }

  // What the reader reported for `message`, and whether it ran to the end (no StopParsing).
  std::vector<std::string> read(const std::string& message, bool* finished = nullptr) {
    Collecting handler;
    std::unique_ptr<SAX2XMLReader> reader = xml::createMessageReader(pool_.get());
    // As the plugins set it up: namespaces, validation against the pool only, nothing loaded.
    reader->setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
    reader->setFeature(XMLUni::fgXercesLoadExternalDTD, false);
    reader->setFeature(XMLUni::fgXercesDisableDefaultEntityResolution, true);
    reader->setFeature(XMLUni::fgXercesLoadSchema, false);
    reader->setFeature(XMLUni::fgXercesContinueAfterFatalError, false);  // stays on: the reader stops itself
    reader->setFeature(XMLUni::fgSAX2CoreValidation, true);
    reader->setFeature(XMLUni::fgXercesDynamic, false);
    reader->setFeature(XMLUni::fgXercesSchema, true);
    reader->setFeature(XMLUni::fgXercesUseCachedGrammarInParse, true);
    reader->setFeature(XMLUni::fgXercesCacheGrammarFromParse, false);
    reader->setContentHandler(&handler);
    reader->setErrorHandler(&handler);
    reader->setEntityResolver(&handler);
    bool ran = true;
    try {
      MemBufInputSource source(reinterpret_cast<const XMLByte*>(message.data()), message.size(), "message", false);
      reader->parse(source);
    } catch (const xml::StopParsing&) {
      ran = false;
    }
    if (finished != nullptr) *finished = ran;
    return handler.reports;
  }

  static std::string parcel(const std::string& rootAttributes, const std::string& weight = "1.5") {
    return R"(<?xml version="1.0"?><parcel xmlns="urn:test:parcel" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" )" +
           rootAttributes + "><weight>" + weight + "</weight></parcel>";
  }

  xml::XercesRuntime runtime_;
  std::unique_ptr<XMLGrammarPoolImpl> pool_;
};

}  // namespace

TEST_F(xmlSupportMessageReader, IgnoresAOneTokenSchemaLocation) {
  bool finished = false;
  EXPECT_EQ(read(parcel(R"(xsi:schemaLocation="parcel.xsd")"), &finished), std::vector<std::string>{});
  EXPECT_TRUE(finished);
  EXPECT_EQ(read(parcel(R"(xsi:schemaLocation="urn:test:parcel parcel.xsd urn:other")")), std::vector<std::string>{});
}

TEST_F(xmlSupportMessageReader, IgnoresWellFormedAndNoNamespaceHintsWithoutFetchingThem) {
  EXPECT_EQ(read(parcel(R"(xsi:schemaLocation="urn:test:parcel http://203.0.113.1/evil.xsd")")),
            std::vector<std::string>{});
  EXPECT_EQ(read(parcel(R"(xsi:noNamespaceSchemaLocation="http://203.0.113.1/evil.xsd")")), std::vector<std::string>{});
  EXPECT_EQ(read(parcel(R"(xsi:noNamespaceSchemaLocation="a b c")")), std::vector<std::string>{});
}

// Ignoring the hint changes nothing else: the grammar still judges the message.
TEST_F(xmlSupportMessageReader, StillValidatesAgainstItsOwnGrammarBesideAMalformedHint) {
  bool finished = false;
  const auto reports = read(parcel(R"(xsi:schemaLocation="parcel.xsd")", "heavy"), &finished);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].rfind("error: ", 0), 0u) << reports[0];
  EXPECT_TRUE(finished);
}

TEST_F(xmlSupportMessageReader, StopsAtTheFirstFatalErrorAfterTheHandlerSawIt) {
  bool finished = true;
  const auto reports = read(R"(<?xml version="1.0"?><parcel xmlns="urn:test:parcel"><weight>1</weight></parcl>)"
                            "<trailing/><more>", &finished);
  ASSERT_EQ(reports.size(), 1u) << reports.back();
  EXPECT_EQ(reports[0].rfind("fatal: ", 0), 0u) << reports[0];
  EXPECT_FALSE(finished);
}

TEST_F(xmlSupportMessageReader, OnlyTheMalformedHintReportIsDropped) {
  EXPECT_TRUE(xml::isSchemaHintReport(XMLErrs::BadSchemaLocation, XMLUni::fgXMLErrDomain));
  EXPECT_FALSE(xml::isSchemaHintReport(XMLErrs::BadSchemaLocation, XMLUni::fgValidityDomain));
  EXPECT_FALSE(xml::isSchemaHintReport(XMLErrs::ExpectedEndOfTagX, XMLUni::fgXMLErrDomain));
}
