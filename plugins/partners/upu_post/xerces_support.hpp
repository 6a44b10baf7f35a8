#pragma once
// Process-wide xerces-c initialisation and string conversions, adapted from the hub's canonical
// XML codec (a plugin links only the SDK and xerces-c, so it keeps its own copy).

#include <xercesc/util/XercesDefs.hpp>

#include <string>
#include <string_view>

namespace swhub::plugins::upu_post {

/// Holds xerces-c initialised while alive. XMLPlatformUtils::Initialize and Terminate count
/// their calls, so this copy coexists with the hub's and other plugins' own. Creation and
/// destruction are serialised by a mutex of this library.
class XercesRuntime {
 public:
  XercesRuntime();
  ~XercesRuntime();
  XercesRuntime(const XercesRuntime&) = delete;
  XercesRuntime& operator=(const XercesRuntime&) = delete;
};

/// Thrown by a SAX handler to stop a parse that must not go on (DOCTYPE, too deep, too many).
struct StopParsing {};

/// UTF-16 from xerces -> UTF-8. `length` npos: up to the terminating zero.
std::string toUtf8(const XMLCh* text, std::size_t length = std::string::npos);

/// UTF-8 -> a zero-terminated UTF-16 string for xerces.
std::u16string toXml(std::string_view text);

}  // namespace swhub::plugins::upu_post
