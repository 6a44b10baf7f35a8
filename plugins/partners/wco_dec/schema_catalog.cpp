#include "schema_catalog.hpp"

#include <xercesc/framework/MemBufInputSource.hpp>
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

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

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

std::optional<std::string> readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return out.str();
}

InputSource* memorySource(const SchemaSources& sources, const std::string& systemId) {
  const std::string& text = sources.bytes.at(systemId);
  const std::u16string id = toXml(systemId);
  return new MemBufInputSource(reinterpret_cast<const XMLByte*>(text.data()), text.size(), id.c_str(), false);
}

// Serves schema imports from the catalog folder only; records the first refusal. The first
// compilation reads them from the folder and records them; later ones replay that record and
// serve nothing else.
class CatalogResolver : public XMLEntityResolver, public DefaultHandler {
 public:
  // Records into `sources` while `recording`; only reads it otherwise.
  CatalogResolver(fs::path root, const SchemaSources& sources, SchemaSources* recording)
      : root_(std::move(root)), sources_(sources), recording_(recording) {}

  InputSource* resolveEntity(XMLResourceIdentifier* id) override {
    std::string system = toUtf8(id->getSystemId());
    std::string base = toUtf8(id->getBaseURI());
    if (recording_ == nullptr) {
      const auto known = sources_.resolved.find({base, system});
      if (known == sources_.resolved.end()) return refuse(system);
      return memorySource(sources_, known->second);
    }
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
    const std::string key = canonical.string();
    if (recording_->bytes.count(key) == 0) {
      std::optional<std::string> text = readFile(canonical);
      if (!text) {
        errors_.push_back("schema file '" + key + "' cannot be read");
        throw StopParsing{};
      }
      recording_->bytes.emplace(key, std::move(*text));
    }
    recording_->resolved[{base, system}] = key;
    return memorySource(sources_, key);
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
  const SchemaSources& sources_;
  SchemaSources* recording_;
  std::vector<std::string> errors_;
};

// One locked pool of every root of `sources`, in order. Records what it reads into `recording`
// when given one (the first compilation); later ones read `sources` only, so several may run at
// once.
std::unique_ptr<XMLGrammarPool> compile(const fs::path& canonicalRoot, const SchemaSources& sources,
                                        SchemaSources* recording) {
  auto pool = std::make_unique<XMLGrammarPoolImpl>(XMLPlatformUtils::fgMemoryManager);
  // The DOM parser is the one whose grammar loading takes an XMLEntityResolver (with the base URI
  // of the importing schema); the SAX2 reader only offers the base-less SAX resolver.
  auto loader = std::make_unique<XercesDOMParser>(nullptr, XMLPlatformUtils::fgMemoryManager, pool.get());
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
  CatalogResolver resolver(canonicalRoot, sources, recording);
  loader->setErrorHandler(&resolver);
  loader->setXMLEntityResolver(&resolver);
  for (const std::string& file : sources.roots) {
    Grammar* grammar = nullptr;
    try {
      std::unique_ptr<InputSource> source(memorySource(sources, file));
      grammar = loader->loadGrammar(*source, Grammar::SchemaGrammarType, true);
    } catch (const StopParsing&) {
    } catch (const XMLException& e) {
      resolver.errors().push_back(toUtf8(e.getMessage()));
    } catch (const DOMException& e) {
      resolver.errors().push_back(toUtf8(e.getMessage()));
    }
    if (grammar == nullptr || !resolver.errors().empty()) {
      std::string message = "XSD '" + file + "' is not a valid schema";
      if (!resolver.errors().empty()) message += ": " + resolver.errors().front();
      throw std::runtime_error(message);
    }
  }
  loader.reset();
  // A locked pool is read-only for the parsers that use it (one at a time: GrammarPools).
  pool->lockPool();
  return pool;
}

}  // namespace

GrammarCache::GrammarCache(const fs::path& root, const std::vector<std::string>& xsds) : root_(fs::canonical(root)) {
  for (const std::string& xsd : xsds) {
    const std::string file = (root_ / xsd).string();
    if (sources_.bytes.count(file) == 0) {
      std::optional<std::string> text = readFile(file);
      if (!text) throw std::runtime_error("XSD '" + file + "' cannot be read");
      sources_.bytes.emplace(file, std::move(*text));
    }
    sources_.roots.push_back(file);
  }
  std::unique_ptr<XMLGrammarPool> first = compile(root_, sources_, &sources_);
  // A parse is CPU work: copies beyond the cores would only cost memory (a few MB each).
  const std::size_t most = std::max(2u, std::thread::hardware_concurrency());
  pools_ = std::make_unique<GrammarPools>(std::move(first), [this] { return compile(root_, sources_, nullptr); },
                                          most);
}

GrammarCache::~GrammarCache() = default;

}  // namespace swhub::plugins::wco_dec
