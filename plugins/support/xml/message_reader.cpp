#include "xml/message_reader.hpp"

#include <xercesc/framework/XMLErrorCodes.hpp>
#include <xercesc/parsers/SAX2XMLReaderImpl.hpp>
#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/XMLString.hpp>
#include <xercesc/util/XMLUni.hpp>

#include "xml/parsing.hpp"

namespace swhub::plugins::xml {

using namespace xercesc;

namespace {

class MessageReader : public SAX2XMLReaderImpl {
 public:
  explicit MessageReader(XMLGrammarPool* pool) : SAX2XMLReaderImpl(XMLPlatformUtils::fgMemoryManager, pool) {
    setFeature(XMLUni::fgXercesContinueAfterFatalError, true);
  }

  // xerces must leave the stopping to error() below, or it stops at the hint before error() can
  // drop it: "continue after a fatal error" stays on whatever a caller sets.
  void setFeature(const XMLCh* const name, const bool value) override {
    SAX2XMLReaderImpl::setFeature(name, XMLString::equals(name, XMLUni::fgXercesContinueAfterFatalError) || value);
  }

  void error(const unsigned int code, const XMLCh* const domain, const XMLErrorReporter::ErrTypes type,
             const XMLCh* const text, const XMLCh* const systemId, const XMLCh* const publicId,
             const XMLFileLoc line, const XMLFileLoc column) override {
    if (isSchemaHintReport(code, domain)) return;
    SAX2XMLReaderImpl::error(code, domain, type, text, systemId, publicId, line, column);
    if (type == XMLErrorReporter::ErrType_Fatal) throw StopParsing{};
  }
};

}  // namespace

bool isSchemaHintReport(unsigned int code, const XMLCh* domain) {
  return code == XMLErrs::BadSchemaLocation && XMLString::equals(domain, XMLUni::fgXMLErrDomain);
}

std::unique_ptr<SAX2XMLReader> createMessageReader(XMLGrammarPool* pool) {
  return std::make_unique<MessageReader>(pool);
}

}  // namespace swhub::plugins::xml
