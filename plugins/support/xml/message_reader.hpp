#pragma once
// The SAX2 reader for a partner's message, validated against the plugin's own grammar.
//
// Schema hints in a message (xsi:schemaLocation, xsi:noNamespaceSchemaLocation) are ignored
// entirely, well formed or not: the plugin validates against the grammar it compiled at start,
// never against what a message points to. Turning schema loading off is not enough with xerces-c:
// it still splits xsi:schemaLocation into namespace-location pairs and stops the whole parse with
// a fatal error when their number is odd, and HMRC's own published DMS samples carry such a
// one-token hint. This reader drops that one report, and stops at every other fatal error itself
// (xerces would stop at the hint before anyone could drop it): the error handler's fatalError()
// is called first, then the parse ends by throwing StopParsing, which the caller catches anyway.
//
// XMLUni::fgXercesContinueAfterFatalError stays on whatever a caller sets: xerces must leave the
// stopping to the reader.

#include <memory>

#include <xercesc/framework/XMLGrammarPool.hpp>
#include <xercesc/sax2/SAX2XMLReader.hpp>

namespace swhub::plugins::xml {

/// A SAX2 reader on `pool` (may be null) that ignores schema hints and stops at the first fatal
/// error by throwing StopParsing after the error handler saw it. Set the other features as usual.
std::unique_ptr<xercesc::SAX2XMLReader> createMessageReader(xercesc::XMLGrammarPool* pool);

/// True for the report of a malformed xsi:schemaLocation hint (error `code` of `domain`), the
/// one report the message reader drops.
bool isSchemaHintReport(unsigned int code, const XMLCh* domain);

}  // namespace swhub::plugins::xml
