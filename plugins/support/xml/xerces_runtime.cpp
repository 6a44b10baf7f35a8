#include "xml/xerces_runtime.hpp"

#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/validators/datatype/DatatypeValidatorFactory.hpp>
#include <xercesc/validators/schema/ComplexTypeInfo.hpp>
#include <xercesc/validators/schema/SchemaSymbols.hpp>

#include <mutex>

namespace swhub::plugins::xml {

namespace {

std::mutex gXercesMutex;

// Grammars are never shared between parses here (GrammarPools), but a few objects of xerces
// are shared by every grammar of the process and filled in on their first use, without a
// lock: the character classes of the built-in xs:language pattern (the UNECE types' languageID
// in the WCO DMS grammars) and the content model of xs:anyType.
// Filled in now, before the plugin parses anything, parses cannot race on them.
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

// A Terminate to zero drops the shared objects: each Initialize fills them in again.
XercesRuntime::XercesRuntime() {
  std::lock_guard lock(gXercesMutex);
  xercesc::XMLPlatformUtils::Initialize();
  fillInSharedObjects();
}

XercesRuntime::~XercesRuntime() {
  std::lock_guard lock(gXercesMutex);
  xercesc::XMLPlatformUtils::Terminate();
}

}  // namespace swhub::plugins::xml
