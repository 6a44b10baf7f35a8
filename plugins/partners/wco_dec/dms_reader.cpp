#include "dms_reader.hpp"

#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/sax/Locator.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/Attributes.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>
#include <xercesc/sax2/SAX2XMLReader.hpp>
#include <xercesc/util/OutOfMemoryException.hpp>
#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/SecurityManager.hpp>
#include <xercesc/util/XMLException.hpp>
#include <xercesc/util/XMLUni.hpp>

#include <algorithm>

#include "xml/message_reader.hpp"
#include "xml_support.hpp"

namespace swhub::plugins::wco_dec {

using namespace xercesc;

const XmlNode* XmlNode::child(std::string_view local) const {
  for (const auto& c : children)
    if (c->name == local) return c.get();
  return nullptr;
}

std::vector<const XmlNode*> XmlNode::all(std::string_view local) const {
  std::vector<const XmlNode*> out;
  for (const auto& c : children)
    if (c->name == local) out.push_back(c.get());
  return out;
}

const XmlNode* XmlNode::find(std::string_view relative) const {
  const XmlNode* node = this;
  while (node != nullptr && !relative.empty()) {
    const auto slash = relative.find('/');
    node = node->child(relative.substr(0, slash));
    relative = slash == std::string_view::npos ? std::string_view() : relative.substr(slash + 1);
  }
  return node;
}

std::string XmlNode::value(std::string_view relative) const {
  const XmlNode* node = find(relative);
  return node == nullptr ? std::string() : trim(node->text);
}

std::string XmlNode::attribute(std::string_view local) const {
  for (const auto& [key, v] : attributes)
    if (key == local) return v;
  return {};
}

namespace {

// Entity expansions allowed in one document: a DOCTYPE is refused anyway, so no document can
// declare an entity; this is the second line of defence.
constexpr XMLSize_t kEntityExpansionLimit = 100;

class TreeHandler : public DefaultHandler {
 public:
  TreeHandler(const ExpectedRoot& expected, const ReadLimits& limits) : expected_(expected), limits_(limits) {}

  sdk::Errors& errors() { return errors_; }
  std::unique_ptr<XmlNode>& root() { return root_; }

  void fail(const std::string& message) {
    std::string text = message;
    if (locator_ != nullptr && locator_->getLineNumber() > 0)
      text += " (line " + std::to_string(locator_->getLineNumber()) + ", column " +
              std::to_string(locator_->getColumnNumber()) + ")";
    errors_.push_back({currentPath(), std::move(text)});
  }

  void setDocumentLocator(const Locator* locator) override { locator_ = locator; }

  void startElement(const XMLCh* uri, const XMLCh* localname, const XMLCh*, const Attributes& attributes) override {
    if (stack_.size() >= limits_.max_depth) {
      fail("nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
      throw StopParsing{};
    }
    auto node = std::make_unique<XmlNode>();
    node->name = toUtf8(localname);
    node->ns = toUtf8(uri);
    node->line = locator_ != nullptr ? static_cast<int>(locator_->getLineNumber()) : 0;
    for (XMLSize_t i = 0; i < attributes.getLength(); ++i)
      node->attributes.emplace_back(toUtf8(attributes.getLocalName(i)), toUtf8(attributes.getValue(i)));
    const std::string parentPath = currentPath();
    XmlNode* raw = node.get();
    if (stack_.empty()) {
      raw->path = "/" + raw->name;
      if (raw->ns != expected_.ns || raw->name != expected_.name) {
        errors_.resize(seen_);  // "no grammar for ..." about this root: the message below says it better
        errors_.push_back({raw->path, "root element '" + raw->name + "' in namespace '" + raw->ns + "' is not " +
                                          expected_.prefixed + " of " + expected_.ns + " (line " +
                                          std::to_string(raw->line) + ", column " +
                                          std::to_string(locator_ != nullptr ? locator_->getColumnNumber() : 0) + ")"});
        throw StopParsing{};
      }
      root_ = std::move(node);
    } else {
      XmlNode* parent = stack_.back();
      // A repeating kind always carries its position ("[1]"); any other element only from its
      // second occurrence on.
      const auto count = std::count_if(parent->children.begin(), parent->children.end(),
                                       [&](const auto& c) { return c->name == raw->name; });
      raw->path = parent->path + "/" + raw->name + (count > 0 || isRepeated(raw->name)
                                                        ? "[" + std::to_string(count + 1) + "]"
                                                        : std::string());
      parent->children.push_back(std::move(node));
    }
    // Errors raised while the start tag was scanned concern this element, not its parent.
    for (std::size_t i = seen_; i < errors_.size(); ++i)
      if (errors_[i].path == parentPath) errors_[i].path = raw->path;
    stack_.push_back(raw);
    seen_ = errors_.size();
  }

  void endElement(const XMLCh*, const XMLCh*, const XMLCh*) override {
    if (!stack_.empty()) stack_.pop_back();
    seen_ = errors_.size();
  }

  void characters(const XMLCh* chars, XMLSize_t length) override {
    if (!stack_.empty()) appendUtf8(stack_.back()->text, std::u16string_view(chars, length));
    seen_ = errors_.size();
  }

  void warning(const SAXParseException&) override {}
  void error(const SAXParseException& e) override { record(e); }
  void fatalError(const SAXParseException& e) override {
    record(e);
    fatal_ = true;
  }
  bool fatal() const { return fatal_; }

  void startDTD(const XMLCh*, const XMLCh*, const XMLCh*) override {
    fail("DOCTYPE is not allowed: DTDs and entities are refused");
    throw StopParsing{};
  }

  InputSource* resolveEntity(const XMLCh*, const XMLCh* systemId) override {
    fail("external resource '" + toUtf8(systemId) + "' refused");
    throw StopParsing{};
  }

 private:
  // Elements that repeat in a DMS declaration: always indexed, so paths are stable.
  static bool isRepeated(const std::string& name) {
    static const char* const kRepeated[] = {"GovernmentAgencyGoodsItem", "AdditionalDocument", "Classification",
                                            "AdditionalInformation", "Origin", "Packaging", "PreviousDocument",
                                            "GovernmentProcedure", "AuthorisationHolder", "DutyTaxFee",
                                            "TransportEquipment", "Response", "Error", "Pointer"};
    return std::any_of(std::begin(kRepeated), std::end(kRepeated), [&](const char* n) { return name == n; });
  }

  std::string currentPath() const { return stack_.empty() ? std::string() : stack_.back()->path; }

  void record(const SAXParseException& e) {
    if (errors_.size() >= limits_.max_errors) {
      errors_.push_back({"", "more than " + std::to_string(limits_.max_errors) + " errors: further errors omitted"});
      throw StopParsing{};
    }
    errors_.push_back({currentPath(), validationMessage(toUtf8(e.getMessage())) + " (line " +
                                          std::to_string(e.getLineNumber()) + ", column " +
                                          std::to_string(e.getColumnNumber()) + ")"});
  }

  const ExpectedRoot& expected_;
  const ReadLimits& limits_;
  const Locator* locator_ = nullptr;
  std::unique_ptr<XmlNode> root_;
  std::vector<XmlNode*> stack_;
  sdk::Errors errors_;
  std::size_t seen_ = 0;
  bool fatal_ = false;
};

}  // namespace

ReadResult readValidated(std::string_view body, XMLGrammarPool* pool, const ExpectedRoot& root,
                         const ReadLimits& limits) {
  ReadResult result;
  if (body.size() > limits.max_bytes) {
    result.errors.push_back({"", "body of more than " + std::to_string(limits.max_bytes) + " bytes exceeds the limit"});
    return result;
  }
  TreeHandler handler(root, limits);
  try {
    // Hints are ignored, malformed or not; the reader stops at the first fatal error itself.
    std::unique_ptr<SAX2XMLReader> parser = xml::createMessageReader(pool);
    parser->setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
    parser->setFeature(XMLUni::fgXercesLoadExternalDTD, false);
    parser->setFeature(XMLUni::fgXercesSkipDTDValidation, true);
    parser->setFeature(XMLUni::fgXercesDisableDefaultEntityResolution, true);
    parser->setFeature(XMLUni::fgXercesLoadSchema, false);  // schemaLocation hints are ignored
    parser->setFeature(XMLUni::fgSAX2CoreValidation, true);
    parser->setFeature(XMLUni::fgXercesDynamic, false);  // validate always, even without a hint
    parser->setFeature(XMLUni::fgXercesSchema, true);
    parser->setFeature(XMLUni::fgXercesSchemaFullChecking, false);
    parser->setFeature(XMLUni::fgXercesUseCachedGrammarInParse, true);
    parser->setFeature(XMLUni::fgXercesCacheGrammarFromParse, false);
    parser->setFeature(XMLUni::fgXercesIdentityConstraintChecking, false);
    SecurityManager security;
    security.setEntityExpansionLimit(kEntityExpansionLimit);
    parser->setProperty(XMLUni::fgXercesSecurityManager, &security);
    parser->setContentHandler(&handler);
    parser->setErrorHandler(&handler);
    parser->setLexicalHandler(&handler);
    parser->setEntityResolver(&handler);
    MemBufInputSource source(reinterpret_cast<const XMLByte*>(body.data()), body.size(), "message", false);
    parser->parse(source);
  } catch (const StopParsing&) {
    // the handler recorded why
  } catch (const OutOfMemoryException&) {
    handler.fail("out of memory while parsing");
  } catch (const XMLException& e) {
    handler.fail(toUtf8(e.getMessage()));
  } catch (const SAXParseException&) {
    // reported through fatalError()
  } catch (const SAXException& e) {
    handler.fail(toUtf8(e.getMessage()));
  }
  result.errors = std::move(handler.errors());
  if (result.errors.empty()) result.root = std::move(handler.root());
  return result;
}

}  // namespace swhub::plugins::wco_dec
