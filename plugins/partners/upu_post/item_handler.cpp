#include "item_handler.hpp"

#include <xercesc/sax/SAXParseException.hpp>

#include <algorithm>

#include "item_mapping.hpp"
#include "xml/parsing.hpp"
#include "xml/utf.hpp"

namespace swhub::plugins::upu_post {

using xml::StopParsing;
using xml::toUtf8;
using xml::trim;

namespace {

bool isRepeated(const std::string& name) { return name == "item" || name == "content"; }

void placeField(RawField& field, const std::string& parentPath, const char* name, int line, int column) {
  field.path = parentPath + "/" + name;
  field.line = line;
  field.column = column;
}

void placeParty(RawParty& p, const std::string& path, int line, int column) {
  p.path = path;
  p.line = line;
  p.column = column;
  p.present = true;
  placeField(p.name, path, "name", line, column);
  placeField(p.id, path, "id", line, column);
  placeField(p.address, path, "address", line, column);
  placeField(p.postcode, path, "postcode", line, column);
  placeField(p.city, path, "city", line, column);
  placeField(p.country, path, "country", line, column);
}

void placeContent(RawContent& c, const std::string& path, int line, int column) {
  c.path = path;
  c.line = line;
  c.column = column;
  placeField(c.description, path, "description", line, column);
  placeField(c.quantity, path, "quantity", line, column);
  placeField(c.netWeight, path, "netWeight", line, column);
  placeField(c.value, path, "value", line, column);
  placeField(c.currency, path, "currency", line, column);
  placeField(c.hsCode, path, "hsCode", line, column);
  placeField(c.originCountry, path, "originCountry", line, column);
}

void placeItem(RawItem& it, const std::string& path, int line, int column) {
  it.path = path;
  it.line = line;
  it.column = column;
  placeField(it.itemId, path, "itemId", line, column);
  placeField(it.category, path, "category", line, column);
  placeField(it.currency, path, "currency", line, column);
  placeField(it.totalValue, path, "totalValue", line, column);
  placeField(it.postage, path, "postage", line, column);
  placeField(it.grossWeight, path, "grossWeight", line, column);
  placeField(it.licence, path, "licence", line, column);
  placeField(it.certificate, path, "certificate", line, column);
  placeField(it.invoice, path, "invoice", line, column);
  placeField(it.ioss, path, "ioss", line, column);
  placeField(it.dispatchId, path, "dispatchId", line, column);
  placeField(it.receptacleId, path, "receptacleId", line, column);
  placeField(it.expectedArrival, path, "expectedArrival", line, column);
  // Until the element is read, a party's fields belong where the party would be.
  placeParty(it.sender, path + "/sender", line, column);
  placeParty(it.addressee, path + "/addressee", line, column);
  it.sender.present = it.addressee.present = false;
}

}  // namespace

PostalItemsHandler::PostalItemsHandler(const Settings& settings, std::deque<sdk::Decoded>& out)
    : settings_(settings), out_(out) {}

int PostalItemsHandler::line() const {
  return locator_ != nullptr ? static_cast<int>(locator_->getLineNumber()) : lastLine_;
}
int PostalItemsHandler::column() const {
  return locator_ != nullptr ? static_cast<int>(locator_->getColumnNumber()) : lastColumn_;
}

void PostalItemsHandler::detachLocator() {
  locator_ = nullptr;
}

void PostalItemsHandler::remember() {
  lastLine_ = line();
  lastColumn_ = column();
}

void PostalItemsHandler::fail(const std::string& message, bool fatal) {
  errors_.push_back({currentPath(), message + position(line(), column())});
  fatal_ = fatal_ || fatal;
}

void PostalItemsHandler::record(const xercesc::SAXParseException& e, bool fatal) {
  errors_.push_back({currentPath(), xml::validationMessage(toUtf8(e.getMessage())) +
                                        position(static_cast<int>(e.getLineNumber()),
                                                 static_cast<int>(e.getColumnNumber()))});
  fatal_ = fatal_ || fatal;
}

void PostalItemsHandler::error(const xercesc::SAXParseException& e) { record(e, false); }
void PostalItemsHandler::fatalError(const xercesc::SAXParseException& e) { record(e, true); }

void PostalItemsHandler::startDTD(const XMLCh*, const XMLCh*, const XMLCh*) {
  fail("DOCTYPE is not allowed: DTDs and entities are refused", true);
  throw StopParsing{};
}

xercesc::InputSource* PostalItemsHandler::resolveEntity(const XMLCh*, const XMLCh* systemId) {
  fail("external resource '" + toUtf8(systemId) + "' refused", true);
  throw StopParsing{};
}

void PostalItemsHandler::open(const std::string& name) {
  Frame frame;
  frame.name = name;
  const std::string parentPath = currentPath();
  if (isRepeated(name) && !frames_.empty()) {
    int index = 1;
    auto& counts = frames_.back().childCounts;
    auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == name; });
    if (it == counts.end()) counts.emplace_back(name, 1);
    else index = ++it->second;
    frame.path = parentPath + "/" + name + "[" + std::to_string(index) + "]";
  } else {
    frame.path = parentPath + "/" + name;
  }
  // Errors raised while the start tag was scanned concern this element, not its parent.
  for (std::size_t i = seen_; i < errors_.size(); ++i)
    if (errors_[i].path == parentPath) errors_[i].path = frame.path;
  frames_.push_back(std::move(frame));
}

void PostalItemsHandler::flushMessageErrors(std::size_t count) {
  if (count == 0) return;
  sdk::Errors message(errors_.begin(), errors_.begin() + static_cast<std::ptrdiff_t>(count));
  errors_.erase(errors_.begin(), errors_.begin() + static_cast<std::ptrdiff_t>(count));
  seen_ -= std::min(seen_, count);
  out_.emplace_back(std::move(message));
}

void PostalItemsHandler::startItem() {
  // What was found before this item is the message's; what the item's start tag raised is its own.
  flushMessageErrors(seen_);
  if (items_ >= settings_.max_items) {
    fail("more than " + std::to_string(settings_.max_items) + " items: at most " +
             std::to_string(settings_.max_items) + " per message",
         true);
    throw StopParsing{};
  }
  ++items_;
  inItem_ = true;
  item_ = RawItem{};
  placeItem(item_, frames_.back().path, line(), column());
}

void PostalItemsHandler::endItem() {
  item_.errors = std::move(errors_);
  errors_.clear();
  seen_ = 0;
  inItem_ = false;
  out_.push_back(mapItem(std::move(item_), filing_, settings_));
  item_ = RawItem{};
}

void PostalItemsHandler::startElement(const XMLCh* uri, const XMLCh* localname, const XMLCh*,
                                      const xercesc::Attributes&) {
  if (frames_.size() >= settings_.max_depth) {
    fail("nesting deeper than " + std::to_string(settings_.max_depth) + " levels", true);
    throw StopParsing{};
  }
  remember();
  const std::string name = toUtf8(localname);
  const std::string parent = frames_.empty() ? std::string() : frames_.back().name;
  const bool parentOurs = frames_.empty() || frames_.back().ours;
  open(name);
  Frame& frame = frames_.back();
  frame.ours = toUtf8(uri) == kNamespace && parentOurs;
  text_.clear();
  if (frames_.size() == 1 && !(frame.ours && name == "postalItems")) {
    // Anything else as the root would only yield an error per element: one says it all.
    errors_.resize(seen_);
    fail("the root element must be 'postalItems' in namespace '" + std::string(kNamespace) + "', found '" + name +
             "' in namespace '" + toUtf8(uri) + "'",
         true);
    throw StopParsing{};
  }
  if (frame.ours) {
    const int depth = static_cast<int>(frames_.size());
    if (depth == 2 && parent == "postalItems" && name == "item") {
      startItem();
    } else if (inItem_ && depth == 3 && (name == "sender" || name == "addressee")) {
      placeParty(name == "sender" ? item_.sender : item_.addressee, frame.path, line(), column());
    } else if (inItem_ && depth == 3 && name == "content") {
      placeContent(item_.contents.emplace_back(), frame.path, line(), column());
    } else {
      frame.field = leaf(parent, name);
      if (frame.field != nullptr) {
        frame.field->path = frame.path;
        frame.field->line = line();
        frame.field->column = column();
      }
    }
  }
  seen_ = errors_.size();
}

RawField* PostalItemsHandler::leaf(const std::string& parent, const std::string& name) {
  if (!inItem_) return nullptr;
  const std::size_t depth = frames_.size();
  if (depth == 3 && parent == "item") {
    RawItem& i = item_;
    for (auto [key, field] : {std::pair{"itemId", &i.itemId}, {"category", &i.category}, {"currency", &i.currency},
                              {"totalValue", &i.totalValue}, {"postage", &i.postage}, {"grossWeight", &i.grossWeight},
                              {"licence", &i.licence}, {"certificate", &i.certificate}, {"invoice", &i.invoice},
                              {"ioss", &i.ioss}, {"dispatchId", &i.dispatchId}, {"receptacleId", &i.receptacleId},
                              {"expectedArrival", &i.expectedArrival}})
      if (name == key) return field;
  } else if (depth == 4 && (parent == "sender" || parent == "addressee")) {
    RawParty& p = parent == "sender" ? item_.sender : item_.addressee;
    for (auto [key, field] : {std::pair{"name", &p.name}, {"id", &p.id}, {"address", &p.address},
                              {"postcode", &p.postcode}, {"city", &p.city}, {"country", &p.country}})
      if (name == key) return field;
  } else if (depth == 4 && parent == "content" && !item_.contents.empty()) {
    RawContent& c = item_.contents.back();
    for (auto [key, field] : {std::pair{"description", &c.description}, {"quantity", &c.quantity},
                              {"netWeight", &c.netWeight}, {"value", &c.value}, {"currency", &c.currency},
                              {"hsCode", &c.hsCode}, {"originCountry", &c.originCountry}})
      if (name == key) return field;
  }
  return nullptr;
}

void PostalItemsHandler::characters(const XMLCh* chars, XMLSize_t length) {
  remember();
  if (!frames_.empty() && frames_.back().field == nullptr && frames_.back().name != "filing") {
    seen_ = errors_.size();
    return;  // text outside a leaf: the schema reports it; nothing to keep
  }
  xml::appendUtf8(text_, std::u16string_view(chars, length));
  seen_ = errors_.size();
}

void PostalItemsHandler::endElement(const XMLCh*, const XMLCh*, const XMLCh*) {
  remember();
  if (frames_.empty()) return;
  Frame frame = std::move(frames_.back());
  frames_.pop_back();
  if (frame.field != nullptr) {
    frame.field->text = trim(text_);
    frame.field->present = true;
  } else if (frame.ours && frames_.size() == 1 && frame.name == "filing") {
    if (trim(text_) == "pre-loading") filing_ = sdk::FilingKind::PreLoading;  // the schema checks the spelling
  } else if (frame.ours && frames_.size() == 1 && frame.name == "item" && inItem_) {
    endItem();
  }
  text_.clear();
  seen_ = errors_.size();
}

void PostalItemsHandler::finish() {
  if (inItem_) {
    if (errors_.empty()) errors_.push_back({item_.path, "the message ends inside this item"});
    out_.emplace_back(std::move(errors_));
    inItem_ = false;
  } else if (!errors_.empty()) {
    out_.emplace_back(std::move(errors_));
  }
  errors_.clear();
  seen_ = 0;
}

}  // namespace swhub::plugins::upu_post
