#include "model/canonical_xml.hpp"

#include <xercesc/framework/LocalFileInputSource.hpp>
#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/framework/XMLGrammarPoolImpl.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/SAX2XMLReader.hpp>
#include <xercesc/sax2/XMLReaderFactory.hpp>
#include <xercesc/util/OutOfMemoryException.hpp>
#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/SecurityManager.hpp>
#include <xercesc/util/XMLException.hpp>
#include <xercesc/util/XMLUni.hpp>

#include <stdexcept>

#include "model/canonical_xml_handler.hpp"
#include "model/message_reader.hpp"
#include "model/validation_merge.hpp"
#include "model/xerces_support.hpp"

namespace swhub::model {

namespace {

using namespace xercesc;

// Entity expansions allowed in one document. A DOCTYPE is refused anyway, so no document can
// declare an entity; this is the second line of defence.
constexpr XMLSize_t kEntityExpansionLimit = 100;

// Features shared by the grammar loader and the per-message parsers: nothing is fetched, no DTD.
void harden(SAX2XMLReader& parser) {
  parser.setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
  parser.setFeature(XMLUni::fgXercesLoadExternalDTD, false);
  parser.setFeature(XMLUni::fgXercesSkipDTDValidation, true);
  parser.setFeature(XMLUni::fgXercesDisableDefaultEntityResolution, true);
  parser.setFeature(XMLUni::fgXercesLoadSchema, false);
  parser.setFeature(XMLUni::fgXercesContinueAfterFatalError, false);
}

// Collects the errors found while the XSD itself is loaded; refuses imports and includes.
class SchemaLoadHandler : public DefaultHandler {
 public:
  sdk::Errors& errors() { return errors_; }
  void error(const SAXParseException& e) override { add(e); }
  void fatalError(const SAXParseException& e) override { add(e); }
  void startDTD(const XMLCh*, const XMLCh*, const XMLCh*) override {
    errors_.push_back({"", "DOCTYPE is not allowed"});
    throw detail::StopParsing{};
  }
  InputSource* resolveEntity(const XMLCh*, const XMLCh* systemId) override { return refuse(systemId); }

 private:
  void add(const SAXParseException& e) {
    errors_.push_back({"", detail::toUtf8(e.getMessage()) + " (line " + std::to_string(e.getLineNumber()) +
                               ", column " + std::to_string(e.getColumnNumber()) + ")"});
  }
  InputSource* refuse(const XMLCh* systemId) {
    errors_.push_back({"", "external resource '" + detail::toUtf8(systemId) + "' refused"});
    throw detail::StopParsing{};
  }
  sdk::Errors errors_;
};

}  // namespace

CanonicalXmlCodec::CanonicalXmlCodec(const SchemaFile& schema, DecodeOptions options)
    : options_(options), runtime_(std::make_unique<detail::XercesRuntime>()) {
  const std::u16string path = detail::toXml(schema.path);
  try {
    LocalFileInputSource source(path.c_str());
    load(&source, schema.path);
  } catch (const XMLException& e) {
    throw std::runtime_error("canonical XSD '" + schema.path + "' cannot be read: " + detail::toUtf8(e.getMessage()));
  }
}

CanonicalXmlCodec::CanonicalXmlCodec(const SchemaText& schema, DecodeOptions options)
    : options_(options), runtime_(std::make_unique<detail::XercesRuntime>()) {
  MemBufInputSource source(reinterpret_cast<const XMLByte*>(schema.xsd.data()), schema.xsd.size(),
                           "embedded:consignment.xsd", false);
  load(&source, "embedded consignment.xsd");
}

CanonicalXmlCodec::~CanonicalXmlCodec() = default;

void CanonicalXmlCodec::load(const void* source, const std::string& where) {
  pool_ = std::make_unique<XMLGrammarPoolImpl>(XMLPlatformUtils::fgMemoryManager);
  std::unique_ptr<SAX2XMLReader> loader(XMLReaderFactory::createXMLReader(XMLPlatformUtils::fgMemoryManager, pool_.get()));
  harden(*loader);
  loader->setFeature(XMLUni::fgXercesSchema, true);
  loader->setFeature(XMLUni::fgXercesSchemaFullChecking, true);
  SchemaLoadHandler handler;
  loader->setErrorHandler(&handler);
  loader->setEntityResolver(&handler);
  loader->setLexicalHandler(&handler);
  Grammar* grammar = nullptr;
  try {
    grammar = loader->loadGrammar(*static_cast<const InputSource*>(source), Grammar::SchemaGrammarType, true);
  } catch (const detail::StopParsing&) {
  } catch (const XMLException& e) {
    handler.errors().push_back({"", detail::toUtf8(e.getMessage())});
  } catch (const SAXException& e) {
    handler.errors().push_back({"", detail::toUtf8(e.getMessage())});
  }
  if (grammar == nullptr || !handler.errors().empty()) {
    std::string message = "canonical XSD '" + where + "' is not a valid schema";
    if (!handler.errors().empty()) message += ": " + handler.errors().front().message;
    throw std::runtime_error(message);
  }
  loader.reset();
  // A locked pool is read-only and uses a synchronised string pool: parsers on many threads
  // may share it.
  pool_->lockPool();
}

sdk::Result<sdk::Consignment> CanonicalXmlCodec::decode(std::string_view body) const {
  using R = sdk::Result<sdk::Consignment>;
  if (body.size() > options_.max_bytes)
    return R::failure("", "body of " + std::to_string(body.size()) + " bytes exceeds the limit of " +
                              std::to_string(options_.max_bytes));
  sdk::Consignment consignment;
  detail::ConsignmentSaxHandler handler(options_, consignment);
  std::unique_lock parsing(parseMutex_);
  try {
    // Schema hints are ignored, malformed or not; the reader stops at the first fatal error itself.
    std::unique_ptr<SAX2XMLReader> parser = detail::createMessageReader(pool_.get());
    harden(*parser);
    parser->setFeature(XMLUni::fgSAX2CoreValidation, true);
    parser->setFeature(XMLUni::fgXercesDynamic, false);  // validate always, even without a schema hint
    parser->setFeature(XMLUni::fgXercesSchema, true);
    parser->setFeature(XMLUni::fgXercesSchemaFullChecking, false);
    parser->setFeature(XMLUni::fgXercesUseCachedGrammarInParse, true);
    parser->setFeature(XMLUni::fgXercesCacheGrammarFromParse, false);
    parser->setFeature(XMLUni::fgXercesIdentityConstraintChecking, false);
    SecurityManager security;
    security.setEntityExpansionLimit(kEntityExpansionLimit);
    parser->setProperty(XMLUni::fgXercesSecurityManager, &security);
    parser->setContentHandler(&handler);
    parser->setErrorHandler(&handler);
    parser->setLexicalHandler(&handler);
    parser->setEntityResolver(&handler);
    MemBufInputSource source(reinterpret_cast<const XMLByte*>(body.data()), body.size(), "message", false);
    parser->parse(source);
  } catch (const detail::StopParsing&) {
    // the handler recorded why
  } catch (const OutOfMemoryException&) {
    handler.fail("out of memory while parsing", true);
  } catch (const XMLException& e) {
    handler.fail(detail::toUtf8(e.getMessage()), true);
  } catch (const SAXParseException&) {
    // reported through fatalError()
  } catch (const SAXException& e) {
    handler.fail(detail::toUtf8(e.getMessage()), true);
  }
  parsing.unlock();
  if (handler.fatal()) return std::move(handler.errors());
  sdk::Errors errors = mergeValidation(std::move(handler.errors()),
                                       sdk::validateConsignment(consignment, sdk::PathStyle::XPath, options_.max_items), "");
  if (!errors.empty()) return errors;
  return consignment;
}

}  // namespace swhub::model
