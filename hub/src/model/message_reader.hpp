#pragma once
// The SAX2 reader for a canonical XML message, validated against the hub's own grammar. Schema
// hints in the message (xsi:schemaLocation, xsi:noNamespaceSchemaLocation) are ignored entirely,
// well formed or not: with schema loading off xerces-c still stops the whole parse when
// xsi:schemaLocation is not namespace-location pairs (a single token). This reader drops that one
// report and stops at every other fatal error itself: the error handler's fatalError() first,
// then detail::StopParsing, which the codec catches. (The partner plugins have the same reader in
// plugins/support/xml; the hub does not link plugin code.)

#include <memory>

#include <xercesc/framework/XMLGrammarPool.hpp>
#include <xercesc/sax2/SAX2XMLReader.hpp>

namespace swhub::model::detail {

/// A SAX2 reader on `pool` that ignores schema hints and stops at the first fatal error by throwing
/// StopParsing after the error handler saw it. fgXercesContinueAfterFatalError stays on whatever
/// is set: xerces must leave the stopping to the reader.
std::unique_ptr<xercesc::SAX2XMLReader> createMessageReader(xercesc::XMLGrammarPool* pool);

}  // namespace swhub::model::detail
