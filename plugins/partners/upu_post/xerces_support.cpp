#include "xerces_support.hpp"

#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/TransService.hpp>
#include <xercesc/util/XMLString.hpp>

#include <mutex>

namespace swhub::plugins::upu_post {

namespace {
std::mutex gXercesMutex;
}  // namespace

// Initialize/Terminate are reference counted by xerces itself; the mutex keeps this library's
// calls from racing each other.
XercesRuntime::XercesRuntime() {
  std::lock_guard lock(gXercesMutex);
  xercesc::XMLPlatformUtils::Initialize();
}

XercesRuntime::~XercesRuntime() {
  std::lock_guard lock(gXercesMutex);
  xercesc::XMLPlatformUtils::Terminate();
}

std::string toUtf8(const XMLCh* text, std::size_t length) {
  if (text == nullptr) return {};
  if (length == std::string::npos) length = xercesc::XMLString::stringLen(text);
  if (length == 0) return {};
  xercesc::TranscodeToStr utf8(text, length, "UTF-8");
  return std::string(reinterpret_cast<const char*>(utf8.str()), utf8.length());
}

std::u16string toXml(std::string_view text) {
  xercesc::TranscodeFromStr utf16(reinterpret_cast<const XMLByte*>(text.data()), text.size(), "UTF-8");
  return std::u16string(utf16.str(), utf16.length());
}

}  // namespace swhub::plugins::upu_post
