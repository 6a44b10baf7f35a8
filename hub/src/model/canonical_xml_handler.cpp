#include "model/canonical_xml_handler.hpp"

#include <xercesc/sax/SAXParseException.hpp>

#include <algorithm>
#include <charconv>
#include <optional>

#include "model/xerces_support.hpp"

namespace swhub::model::detail {

namespace {

bool isRepeated(const std::string& name) {
  return name == "item" || name == "document" || name == "payment_ref" || name == "reason_code";
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// xs:decimal may carry a leading '+', which neither from_chars nor Decimal::parse take.
std::string number(const std::string& s) {
  std::string t = trim(s);
  if (!t.empty() && t.front() == '+') t.erase(0, 1);
  return t;
}

std::optional<int> toInt(const std::string& s) {
  const std::string t = number(s);
  int v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size() || t.empty()) return std::nullopt;
  return v;
}

std::optional<double> toDouble(const std::string& s) {
  const std::string t = number(s);
  double v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v, std::chars_format::fixed);
  if (ec != std::errc() || end != t.data() + t.size() || t.empty()) return std::nullopt;
  return v;
}

// "datatype error: Type:InvalidDatatypeFacetException, Message:Value 'x' does not ..." -> "Value ..."
std::string cleanMessage(std::string message) {
  static constexpr std::string_view kMarker = "Message:";
  if (const auto at = message.find(kMarker); at != std::string::npos && message.rfind("datatype error", 0) == 0)
    message.erase(0, at + kMarker.size());
  return trim(message);
}

}  // namespace

ConsignmentSaxHandler::ConsignmentSaxHandler(const DecodeOptions& options, sdk::Consignment& out)
    : options_(options), out_(out) {}

void ConsignmentSaxHandler::fail(const std::string& message, bool fatal) {
  std::string text = message;
  if (locator_ != nullptr && locator_->getLineNumber() > 0)
    text += " (line " + std::to_string(locator_->getLineNumber()) + ", column " +
            std::to_string(locator_->getColumnNumber()) + ")";
  errors_.push_back({currentPath(), std::move(text)});
  fatal_ = fatal_ || fatal;
}

void ConsignmentSaxHandler::record(const xercesc::SAXParseException& e, bool fatal) {
  errors_.push_back({currentPath(), cleanMessage(toUtf8(e.getMessage())) + " (line " +
                                        std::to_string(e.getLineNumber()) + ", column " +
                                        std::to_string(e.getColumnNumber()) + ")"});
  fatal_ = fatal_ || fatal;
}

void ConsignmentSaxHandler::error(const xercesc::SAXParseException& e) { record(e, false); }
void ConsignmentSaxHandler::fatalError(const xercesc::SAXParseException& e) { record(e, true); }

void ConsignmentSaxHandler::startDTD(const XMLCh*, const XMLCh*, const XMLCh*) {
  fail("DOCTYPE is not allowed: DTDs and entities are refused", true);
  throw StopParsing{};
}

xercesc::InputSource* ConsignmentSaxHandler::resolveEntity(const XMLCh* publicId, const XMLCh* systemId) {
  fail("external resource '" + toUtf8(systemId) + "' refused", true);
  throw StopParsing{};
}

void ConsignmentSaxHandler::open(const std::string& name) {
  Frame frame;
  frame.name = name;
  std::string parentPath = currentPath();
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

void ConsignmentSaxHandler::startElement(const XMLCh* uri, const XMLCh* localname, const XMLCh*,
                                         const xercesc::Attributes&) {
  if (frames_.size() >= options_.max_depth) {
    fail("nesting deeper than " + std::to_string(options_.max_depth) + " levels", true);
    throw StopParsing{};
  }
  const std::string name = toUtf8(localname);
  const std::string parent = frames_.empty() ? std::string() : frames_.back().name;
  open(name);
  frames_.back().ours = toUtf8(uri) == kConsignmentXmlNamespace;
  text_.clear();
  seen_ = errors_.size();
  if (!frames_.back().ours) return;
  if (parent == "items" && name == "item") {
    if (out_.items.size() >= options_.max_items) {
      frames_.pop_back();
      fail("more than " + std::to_string(options_.max_items) + " items: at most " +
               std::to_string(options_.max_items) + " per consignment",
           true);
      throw StopParsing{};
    }
    sdk::Item& item = out_.items.emplace_back();
    item.sequence = static_cast<int>(out_.items.size());  // the default: its position
  } else if (parent == "documents" && name == "document" && !out_.items.empty()) {
    out_.items.back().documents.emplace_back();
  } else if (parent == "parties") {
    if (auto* p = party(name); p == nullptr) {
      if (name == "seller") out_.parties.seller.emplace();
      else if (name == "buyer") out_.parties.buyer.emplace();
      else if (name == "declarant") out_.parties.declarant.emplace();
      else if (name == "carrier") out_.parties.carrier.emplace();
    }
  } else if (parent == "consignment" && (name == "partner" || name == "derived") && !options_.allow_hub_fields) {
    errors_.push_back({frames_.back().path, "'" + name + "' is set by the hub, not by a filing"});
    seen_ = errors_.size();
  }
}

void ConsignmentSaxHandler::characters(const XMLCh* chars, XMLSize_t length) {
  text_ += toUtf8(chars, length);
  seen_ = errors_.size();
}

void ConsignmentSaxHandler::endElement(const XMLCh*, const XMLCh*, const XMLCh*) {
  if (frames_.empty()) return;
  const Frame frame = std::move(frames_.back());
  frames_.pop_back();
  if (frame.ours && frame.childCounts.empty() && !frames_.empty()) assign(frames_.back().name, frame.name, frame.path);
  text_.clear();
  seen_ = errors_.size();
}

sdk::Party* ConsignmentSaxHandler::party(const std::string& role) {
  std::optional<sdk::Party>* slot = role == "seller"      ? &out_.parties.seller
                                    : role == "buyer"     ? &out_.parties.buyer
                                    : role == "declarant" ? &out_.parties.declarant
                                    : role == "carrier"   ? &out_.parties.carrier
                                                          : nullptr;
  return slot != nullptr && slot->has_value() ? &**slot : nullptr;
}

bool ConsignmentSaxHandler::hasErrorAt(const std::string& path) const {
  for (const auto& e : errors_)
    if (e.path == path) return true;
  return false;
}

void ConsignmentSaxHandler::convertError(const std::string& path, const std::string& message) {
  if (!hasErrorAt(path)) errors_.push_back({path, message});  // the schema said it already
}

void ConsignmentSaxHandler::assign(const std::string& parent, const std::string& name, const std::string& path) {
  const std::string& t = text_;
  auto setInt = [&](int& out) {
    if (auto v = toInt(t)) out = *v;
    else convertError(path, "'" + trim(t) + "' is not an integer");
  };
  auto setDouble = [&](double& out) {
    if (auto v = toDouble(t)) out = *v;
    else convertError(path, "'" + trim(t) + "' is not a decimal number");
  };
  auto setDecimal = [&](sdk::Decimal& out) {
    if (auto v = sdk::Decimal::parse(number(t))) out = *v;
    else convertError(path, "'" + trim(t) + "' is not an amount: a decimal with at most 4 fraction digits expected");
  };
  auto setEnum = [&](auto& out, auto parse, const std::string& allowed) {
    if (auto v = parse(trim(t))) out = *v;
    else convertError(path, "'" + trim(t) + "' is not one of: " + allowed);
  };

  if (parent == "consignment") {
    if (name == "case_id") out_.case_id = t;
    else if (name == "reference") out_.reference = t;
    else if (name == "partner" && options_.allow_hub_fields) out_.partner = t;
    else if (name == "filing") setEnum(out_.filing, sdk::parseFilingKind, sdk::allowedFilingKinds());
    else if (name == "version") setInt(out_.version);
  } else if (sdk::Party* p = party(parent); p != nullptr && frames_.size() >= 2 &&
                                             frames_[frames_.size() - 2].name == "parties") {
    if (name == "name") p->name = t;
    else if (name == "id") p->id = t;
    else if (name == "registration") p->registration = t;
    else if (name == "platform") p->platform = t;
    else if (name == "address") p->address = t;
    else if (name == "country") p->country = trim(t);
    else if (name == "kind") p->kind = trim(t);
  } else if (parent == "transport") {
    if (name == "mode") {
      sdk::TransportMode mode{};
      const std::size_t before = errors_.size();
      setEnum(mode, sdk::parseTransportMode, sdk::allowedTransportModes());
      if (errors_.size() == before) out_.transport.mode = mode;
    }
    else if (name == "conveyance") out_.transport.conveyance = t;
    else if (name == "master_ref") out_.transport.master_ref = t;
    else if (name == "departure") out_.transport.departure = trim(t);
    else if (name == "destination") out_.transport.destination = trim(t);
    else if (name == "arrival") out_.transport.arrival = trim(t);
  } else if (parent == "fiscal") {
    auto& f = out_.fiscal;
    if (name == "model") setEnum(f.model, sdk::parseCollectionModel, sdk::allowedCollectionModels());
    else if (name == "collected_at_sale") f.collected_at_sale = trim(t) == "true" || trim(t) == "1";
    else if (name == "registration") f.registration = t;
    else if (name == "tax_collected") setDecimal(f.tax_collected.emplace());
    else if (name == "tax_currency") f.tax_currency = trim(t);
  } else if (parent == "payment_refs" && name == "payment_ref") {
    out_.fiscal.payment_refs.push_back(t);
  } else if (parent == "item" && !out_.items.empty()) {
    auto& it = out_.items.back();
    if (name == "sequence") setInt(it.sequence);
    else if (name == "description") it.description = t;
    else if (name == "hs") it.hs = trim(t);
    else if (name == "quantity") setDouble(it.quantity);
    else if (name == "unit") it.unit = trim(t);
    else if (name == "net_kg") setDouble(it.net_kg.emplace());
    else if (name == "gross_kg") setDouble(it.gross_kg.emplace());
    else if (name == "value") setDecimal(it.value);
    else if (name == "currency") it.currency = trim(t);
    else if (name == "origin") it.origin = trim(t);
    else if (name == "nature") setEnum(it.nature, sdk::parseNature, sdk::allowedNatures());
  } else if (parent == "document" && !out_.items.empty() && !out_.items.back().documents.empty()) {
    auto& d = out_.items.back().documents.back();
    if (name == "type") d.type = t;
    else if (name == "id") d.id = t;
    else if (name == "quantity") setDouble(d.quantity.emplace());
  } else if (options_.allow_hub_fields && parent == "derived") {
    auto& d = out_.derived;
    if (name == "category") setInt(d.category.emplace());
    else if (name == "duties") setDecimal(d.duties.emplace());
    else if (name == "taxes") setDecimal(d.taxes.emplace());
    else if (name == "revenue_currency") d.revenue_currency = trim(t);
    else if (name == "risk_score") setInt(d.risk_score.emplace());
  } else if (options_.allow_hub_fields && parent == "reason_codes" && name == "reason_code") {
    out_.derived.reason_codes.push_back(t);
  }
}

}  // namespace swhub::model::detail
