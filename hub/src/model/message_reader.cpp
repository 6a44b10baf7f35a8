#include "model/message_reader.hpp"

#include <xercesc/framework/XMLErrorCodes.hpp>
#include <xercesc/parsers/SAX2XMLReaderImpl.hpp>
#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/XMLString.hpp>
#include <xercesc/util/XMLUni.hpp>

#include "model/canonical_xml_handler.hpp"

namespace swhub::model::detail {

using namespace xercesc;

namespace {

class MessageReader : public SAX2XMLReaderImpl {
 public:
  explicit MessageReader(XMLGrammarPool* pool) : SAX2XMLReaderImpl(XMLPlatformUtils::fgMemoryManager, pool) {
    setFeature(XMLUni::fgXercesContinueAfterFatalError, true);
  }

  void setFeature(const XMLCh* const name, const bool value) override {
    SAX2XMLReaderImpl::setFeature(name, XMLString::equals(name, XMLUni::fgXercesContinueAfterFatalError) || value);
  }

  void error(const unsigned int code, const XMLCh* const domain, const XMLErrorReporter::ErrTypes type,
             const XMLCh* const text, const XMLCh* const systemId, const XMLCh* const publicId,
             const XMLFileLoc line, const XMLFileLoc column) override {
    // A malformed xsi:schemaLocation: the hint is ignored like any other.
    if (code == XMLErrs::BadSchemaLocation && XMLString::equals(domain, XMLUni::fgXMLErrDomain)) return;
    SAX2XMLReaderImpl::error(code, domain, type, text, systemId, publicId, line, column);
    if (type == XMLErrorReporter::ErrType_Fatal) throw StopParsing{};
  }
};

}  // namespace

std::unique_ptr<SAX2XMLReader> createMessageReader(XMLGrammarPool* pool) {
  return std::make_unique<MessageReader>(pool);
}

}  // namespace swhub::model::detail
