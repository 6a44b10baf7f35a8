#pragma once
// SAX2 handler for a postalItems message: reads one item at a time into a RawItem, maps it when
// its end tag is read, and queues the result (a filing, or the errors of that item). Keeps an
// XPath-like path and the line and column of every element for its errors; refuses DTDs and
// every external resource.

#include <xercesc/sax/Locator.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>

#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "raw_item.hpp"
#include "settings.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::plugins::upu_post {

class PostalItemsHandler : public xercesc::DefaultHandler {
 public:
  PostalItemsHandler(const Settings& settings, std::deque<sdk::Decoded>& out);

  /// Records an error at the current element's path and position; `fatal` stops the message.
  void fail(const std::string& message, bool fatal);
  bool fatal() const { return fatal_; }
  /// Called when the parse stopped: xerces has dropped its readers, so the locator must not be
  /// asked again; later errors carry the position of the last event read.
  void detachLocator();
  /// Called once the parse has stopped: queues what is still open (an unfinished item's errors,
  /// errors outside any item).
  void finish();

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
  // EntityResolver: nothing is ever fetched.
  xercesc::InputSource* resolveEntity(const XMLCh* publicId, const XMLCh* systemId) override;

 private:
  struct Frame {
    std::string name;
    std::string path;
    bool ours = false;       // in the upu-post namespace
    RawField* field = nullptr;  // the leaf this element fills, if any
    std::vector<std::pair<std::string, int>> childCounts;  // for item[1], content[2], ...
  };

  std::string currentPath() const { return frames_.empty() ? std::string() : frames_.back().path; }
  int line() const;
  int column() const;
  void remember();
  void record(const xercesc::SAXParseException& e, bool fatal);
  void open(const std::string& name);
  void startItem();
  void endItem();
  void flushMessageErrors(std::size_t count);
  RawField* leaf(const std::string& parent, const std::string& name);

  const Settings& settings_;
  std::deque<sdk::Decoded>& out_;
  const xercesc::Locator* locator_ = nullptr;
  int lastLine_ = 0, lastColumn_ = 0;  // of the latest SAX event, for errors after the parse
  std::vector<Frame> frames_;
  std::string text_;
  sdk::Errors errors_;  // of the open item, or of the message while no item is open
  std::size_t seen_ = 0;  // errors_ recorded before the latest SAX event
  bool fatal_ = false;
  bool inItem_ = false;
  std::size_t items_ = 0;
  RawItem item_;
  sdk::FilingKind filing_ = sdk::FilingKind::PreArrival;
};

}  // namespace swhub::plugins::upu_post
