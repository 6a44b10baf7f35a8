#pragma once
// Process-wide xerces-c initialisation and string conversions for the canonical XML codec.

#include <xercesc/util/XercesDefs.hpp>

#include <string>
#include <string_view>

namespace swhub::model::detail {

/// Holds xerces-c initialised: the first instance calls XMLPlatformUtils::Initialize, the last
/// one destroyed calls Terminate. Creation and destruction are serialised by a process-wide
/// mutex, so codecs may be built and dropped from any thread. Create before, destroy after any
/// other xerces object.
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

}  // namespace swhub::model::detail
