#pragma once
// xerces-c start-up and string conversions for the wco_dec plugin (a private copy: a plugin links
// only the SDK and xerces).

#include <xercesc/util/XercesDefs.hpp>

#include <string>
#include <string_view>

namespace swhub::plugins::wco_dec {

/// Holds xerces-c initialised while alive. XMLPlatformUtils counts Initialize/Terminate pairs
/// itself; the mutex serialises them against other instances built or dropped concurrently.
/// Create before, destroy after every other xerces object.
class XercesRuntime {
 public:
  XercesRuntime();
  ~XercesRuntime();
  XercesRuntime(const XercesRuntime&) = delete;
  XercesRuntime& operator=(const XercesRuntime&) = delete;
};

/// UTF-16 from xerces -> UTF-8. `length` npos: up to the terminating zero.
std::string toUtf8(const XMLCh* text, std::size_t length = std::string::npos);

/// UTF-8 -> a zero-terminated UTF-16 string for xerces.
std::u16string toXml(std::string_view text);

/// Leading and trailing XML white space removed.
std::string trim(std::string_view text);

/// Thrown by handlers to stop a parse that must not go on (DOCTYPE, too deep, ...).
struct StopParsing {};

}  // namespace swhub::plugins::wco_dec
