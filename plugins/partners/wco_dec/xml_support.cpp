#include "xml_support.hpp"

#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/TransService.hpp>
#include <xercesc/util/XMLString.hpp>

#include <mutex>

namespace swhub::plugins::wco_dec {

namespace {
std::mutex gXercesMutex;
}  // namespace

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

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1));
}

}  // namespace swhub::plugins::wco_dec
