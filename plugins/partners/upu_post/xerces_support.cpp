#include "xerces_support.hpp"

#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/TransService.hpp>
#include <xercesc/util/XMLString.hpp>
#include <xercesc/validators/datatype/DatatypeValidatorFactory.hpp>
#include <xercesc/validators/schema/ComplexTypeInfo.hpp>
#include <xercesc/validators/schema/SchemaSymbols.hpp>

#include <mutex>

namespace swhub::plugins::upu_post {

namespace {

std::mutex gXercesMutex;

// Grammars are never shared between parses here (GrammarPools), but a few objects of xerces
// are shared by every grammar of the process and filled in on their first use, without a
// lock: the character classes of the built-in xs:language pattern and the content model of
// xs:anyType. Filled in now, before this library parses anything, parses cannot race on them.
void fillInSharedObjects() noexcept {
  using namespace xercesc;
  try {
    if (RefHashTableOf<DatatypeValidator>* builtIn = DatatypeValidatorFactory::getBuiltInRegistry())
      if (DatatypeValidator* language = builtIn->get(SchemaSymbols::fgDT_LANGUAGE))
        language->validate(u"abcdefgh-ABCDEFG1", nullptr, XMLPlatformUtils::fgMemoryManager);  // every class
    if (ComplexTypeInfo* anyType = ComplexTypeInfo::getAnyType(1)) {
      anyType->getContentModel();
      anyType->getFormattedContentModel();
    }
  } catch (...) {
    // out of memory: left to the first parse, as xerces would
  }
}

}  // namespace

// Initialize/Terminate are reference counted by xerces itself; the mutex keeps this library's
// calls from racing each other. A Terminate to zero drops the shared objects: fill them in again.
XercesRuntime::XercesRuntime() {
  std::lock_guard lock(gXercesMutex);
  xercesc::XMLPlatformUtils::Initialize();
  fillInSharedObjects();
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
