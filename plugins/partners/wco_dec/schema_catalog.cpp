#include "schema_catalog.hpp"

#include <xercesc/framework/LocalFileInputSource.hpp>
#include <xercesc/framework/XMLGrammarPoolImpl.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>
#include <xercesc/dom/DOMException.hpp>
#include <xercesc/parsers/XercesDOMParser.hpp>
#include <xercesc/util/SecurityManager.hpp>
#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/XMLEntityResolver.hpp>
#include <xercesc/util/XMLException.hpp>
#include <xercesc/util/XMLResourceIdentifier.hpp>
#include <xercesc/util/XMLUni.hpp>

#include <stdexcept>

#include "xml_support.hpp"

namespace swhub::plugins::wco_dec {

namespace fs = std::filesystem;
using namespace xercesc;

bool isInside(const fs::path& root, const fs::path& candidate) {
  auto r = root.begin();
  auto c = candidate.begin();
  for (; r != root.end(); ++r, ++c) {
    if (r->empty()) continue;  // a trailing separator
    if (c == candidate.end() || *r != *c) return false;
  }
  return c != candidate.end();
}

namespace {

// Serves schema imports from the catalog folder only; records the first refusal.
class CatalogResolver : public XMLEntityResolver, public DefaultHandler {
 public:
  explicit CatalogResolver(fs::path root) : root_(std::move(root)) {}

  InputSource* resolveEntity(XMLResourceIdentifier* id) override {
    std::string system = toUtf8(id->getSystemId());
    std::string base = toUtf8(id->getBaseURI());
    auto local = [](std::string s) {
      if (s.rfind("file://", 0) == 0) s.erase(0, 7);
      return s;
    };
    if (system.find("://") != std::string::npos && system.rfind("file://", 0) != 0) return refuse(system);
    fs::path target = local(system);
    if (target.is_relative()) target = fs::path(local(base)).parent_path() / target;
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(target, ec);
    if (ec || !isInside(root_, canonical) || !fs::is_regular_file(canonical, ec)) return refuse(system);
    const std::u16string path = toXml(canonical.string());
    return new LocalFileInputSource(path.c_str());
  }

  void error(const SAXParseException& e) override { add(e); }
  void fatalError(const SAXParseException& e) override { add(e); }

  std::vector<std::string>& errors() { return errors_; }

 private:
  InputSource* refuse(const std::string& system) {
    errors_.push_back("schema location '" + system + "' is outside the schema folder " + root_.string() +
                      " or does not exist: refused");
    throw StopParsing{};
  }
  void add(const SAXParseException& e) {
    errors_.push_back(toUtf8(e.getSystemId()) + " line " + std::to_string(e.getLineNumber()) + ", column " +
                      std::to_string(e.getColumnNumber()) + ": " + toUtf8(e.getMessage()));
  }

  fs::path root_;
  std::vector<std::string> errors_;
};

}  // namespace

GrammarCache::GrammarCache(const fs::path& root, const std::vector<std::string>& xsds)
    : pool_(std::make_unique<XMLGrammarPoolImpl>(XMLPlatformUtils::fgMemoryManager)) {
  const fs::path canonicalRoot = fs::canonical(root);
  // The DOM parser is the one whose grammar loading takes an XMLEntityResolver (with the base URI
  // of the importing schema); the SAX2 reader only offers the base-less SAX resolver.
  auto loader = std::make_unique<XercesDOMParser>(nullptr, XMLPlatformUtils::fgMemoryManager, pool_.get());
  loader->setDoNamespaces(true);
  loader->setDoSchema(true);
  loader->setLoadExternalDTD(false);
  loader->setSkipDTDValidation(true);
  loader->setDisableDefaultEntityResolution(true);
  loader->setValidationSchemaFullChecking(false);  // the official XSDs are fixed: skip the slow check
  // The RES schema imports the DEC schema: both bring the UNECE code lists under the same
  // namespaces from two folders. The first import of a namespace wins, as in other validators.
  loader->setHandleMultipleImports(false);
  SecurityManager security;
  security.setEntityExpansionLimit(100);
  loader->setSecurityManager(&security);
  CatalogResolver resolver(canonicalRoot);
  loader->setErrorHandler(&resolver);
  loader->setXMLEntityResolver(&resolver);
  for (const std::string& xsd : xsds) {
    const fs::path file = canonicalRoot / xsd;
    Grammar* grammar = nullptr;
    try {
      const std::u16string path = toXml(file.string());
      LocalFileInputSource source(path.c_str());
      grammar = loader->loadGrammar(source, Grammar::SchemaGrammarType, true);
    } catch (const StopParsing&) {
    } catch (const XMLException& e) {
      resolver.errors().push_back(toUtf8(e.getMessage()));
    } catch (const DOMException& e) {
      resolver.errors().push_back(toUtf8(e.getMessage()));
    }
    if (grammar == nullptr || !resolver.errors().empty()) {
      std::string message = "XSD '" + file.string() + "' is not a valid schema";
      if (!resolver.errors().empty()) message += ": " + resolver.errors().front();
      throw std::runtime_error(message);
    }
  }
  loader.reset();
  // A locked pool is read-only and uses a synchronised string pool: parsers on many threads may
  // share it.
  pool_->lockPool();
}

GrammarCache::~GrammarCache() = default;

}  // namespace swhub::plugins::wco_dec
