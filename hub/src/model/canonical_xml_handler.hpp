#pragma once
// SAX2 handler that builds a Consignment from the canonical XML form, keeps an XPath-like path
// of the current element for every error, and refuses DTDs and external resources.

#include <xercesc/sax/Locator.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>

#include <string>
#include <utility>
#include <vector>

#include "model/codec_options.hpp"
#include "swhub/sdk/model.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::model::detail {

/// Thrown by the handler to stop a parse that must not go on (DOCTYPE, too deep, ...).
struct StopParsing {};

class ConsignmentSaxHandler : public xercesc::DefaultHandler {
 public:
  ConsignmentSaxHandler(const DecodeOptions& options, sdk::Consignment& out);

  /// Errors found so far, in document order; `fatal()` when the document was not read to its end.
  sdk::Errors& errors() { return errors_; }
  bool fatal() const { return fatal_; }
  /// Records an error at the current element's path.
  void fail(const std::string& message, bool fatal);

  // ContentHandler
  void setDocumentLocator(const xercesc::Locator* locator) override { locator_ = locator; }
  void startElement(const XMLCh* uri, const XMLCh* localname, const XMLCh* qname,
                    const xercesc::Attributes& attributes) override;
  void endElement(const XMLCh* uri, const XMLCh* localname, const XMLCh* qname) override;
  void characters(const XMLCh* chars, XMLSize_t length) override;
  void ignorableWhitespace(const XMLCh*, XMLSize_t) override { seen_ = errors_.size(); }
  // ErrorHandler
  void warning(const xercesc::SAXParseException&) override {}
  void error(const xercesc::SAXParseException& e) override;
  void fatalError(const xercesc::SAXParseException& e) override;
  // LexicalHandler: a DOCTYPE is refused before its internal subset is read.
  void startDTD(const XMLCh* name, const XMLCh* publicId, const XMLCh* systemId) override;
  // EntityResolver: nothing is ever fetched (SAX2 routes entities and schema hints through it).
  xercesc::InputSource* resolveEntity(const XMLCh* publicId, const XMLCh* systemId) override;

 private:
  struct Frame {
    std::string name;
    std::string path;
    bool ours = false;  // in the canonical namespace
    std::vector<std::pair<std::string, int>> childCounts;  // for item[1], item[2], ...
  };

  std::string currentPath() const { return frames_.empty() ? std::string() : frames_.back().path; }
  void record(const xercesc::SAXParseException& e, bool fatal);
  void open(const std::string& name);
  void convertError(const std::string& path, const std::string& message);
  void assign(const std::string& parent, const std::string& name, const std::string& path);
  sdk::Party* party(const std::string& role);
  bool hasErrorAt(const std::string& path) const;

  const DecodeOptions& options_;
  sdk::Consignment& out_;
  const xercesc::Locator* locator_ = nullptr;
  std::vector<Frame> frames_;
  std::string text_;
  sdk::Errors errors_;
  std::size_t seen_ = 0;  // errors_ recorded before the latest SAX event
  bool fatal_ = false;
};

}  // namespace swhub::model::detail
