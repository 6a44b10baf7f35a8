#include "item_mapping.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <optional>

#include "s10.hpp"
#include "swhub/sdk/validate.hpp"

namespace swhub::plugins::upu_post {

namespace {

struct Location {
  std::string path;
  int line = 0;
  int column = 0;
};

Location at(const RawField& f) { return {f.path, f.line, f.column}; }

// xs:decimal allows "+1", ".5" and "5.": neither from_chars nor Decimal::parse take those.
std::string normalDecimal(std::string t) {
  if (!t.empty() && t.front() == '+') t.erase(0, 1);
  if (!t.empty() && t.front() == '.') t.insert(0, "0");
  if (!t.empty() && t.back() == '.') t += '0';
  return t;
}

std::optional<double> toDouble(const std::string& s) {
  const std::string t = normalDecimal(s);
  double v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v, std::chars_format::fixed);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
  return v;
}

// Rounded to the milligram first, so that 0.08 + 0.3 + 0.2 reads "0.58", not "0.5800000000000001".
std::string formatKg(double v) {
  v = std::round(v * 1e6) / 1e6;
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return ec == std::errc() ? std::string(buffer, end) : std::string("?");
}

sdk::Nature natureOf(const std::string& category) {
  if (category == "gift") return sdk::Nature::Gift;
  if (category == "documents") return sdk::Nature::Documents;
  if (category == "commercial-sample") return sdk::Nature::Sample;
  if (category == "returned-goods") return sdk::Nature::Return;
  if (category == "sale-of-goods") return sdk::Nature::Sale;
  return sdk::Nature::Other;  // "other"; a wrong spelling is already an error of the schema
}

std::string joinAddress(const RawParty& p) {
  std::string place = p.postcode.text;
  if (!p.city.text.empty()) place += (place.empty() ? "" : " ") + p.city.text;
  std::string address = p.address.text;
  if (!place.empty()) address += (address.empty() ? "" : ", ") + place;
  return address;
}

sdk::Party partyOf(const RawParty& p) {
  sdk::Party party;
  party.name = p.name.text;
  party.id = p.id.text;
  party.address = joinAddress(p);
  party.country = p.country.text;
  return party;
}

class ItemMapper {
 public:
  ItemMapper(RawItem& item, sdk::FilingKind filing, const Settings& settings)
      : item_(item), filing_(filing), settings_(settings), errors_(std::move(item.errors)) {
    readErrors_ = errors_.size();
  }

  sdk::Decoded run() {
    sdk::Consignment c = build();
    checkItemId();
    checkTotals(c);
    addValidation(sdk::validateConsignment(c, sdk::PathStyle::XPath));
    if (!errors_.empty()) return errors_;
    return sdk::DecodedFiling{std::move(c), item_.path};
  }

 private:
  // An error of this format, unless reading already found one at the same element.
  void add(const Location& where, const std::string& message) {
    for (std::size_t i = 0; i < readErrors_; ++i)
      if (under(errors_[i].path, where.path)) return;
    for (const auto& e : errors_)
      if (e.path == where.path && e.message == message + position(where.line, where.column)) return;
    errors_.push_back({where.path, message + position(where.line, where.column)});
  }

  static bool under(const std::string& parent, const std::string& path) {
    return path.compare(0, parent.size(), parent) == 0 &&
           (path.size() == parent.size() || path[parent.size()] == '/' || path[parent.size()] == '[');
  }

  sdk::Consignment build() {
    sdk::Consignment c;
    c.reference = item_.itemId.text;
    c.filing = filing_;
    c.parties.seller = partyOf(item_.sender);
    c.parties.buyer = partyOf(item_.addressee);
    c.parties.carrier = sdk::Party{};
    c.parties.carrier->name = settings_.operator_name;
    c.parties.carrier->id = settings_.operator_id;
    c.parties.carrier->kind = "business";
    c.transport.mode = sdk::TransportMode::Post;
    c.transport.conveyance = item_.dispatchId.text;
    c.transport.master_ref = item_.receptacleId.text;
    c.transport.departure = item_.sender.country.text;
    c.transport.destination = item_.addressee.country.text;
    c.transport.arrival = item_.expectedArrival.text;
    if (item_.ioss.present) {
      c.fiscal.model = sdk::CollectionModel::Vendor;
      c.fiscal.collected_at_sale = true;
      c.fiscal.registration = item_.ioss.text;
    }
    const sdk::Nature nature = natureOf(item_.category.text);
    std::vector<sdk::Document> documents;
    for (auto [type, field] : {std::pair{"licence", &item_.licence}, {"certificate", &item_.certificate},
                               {"invoice", &item_.invoice}})
      if (field->present) documents.push_back(sdk::Document{type, field->text, std::nullopt});
    for (std::size_t i = 0; i < item_.contents.size(); ++i) {
      const RawContent& line = item_.contents[i];
      sdk::Item& it = c.items.emplace_back();
      it.sequence = static_cast<int>(i + 1);
      it.description = line.description.text;
      it.hs = line.hsCode.text;
      it.unit = "pce";
      if (auto q = readDouble(line.quantity)) it.quantity = *q;
      it.net_kg = readDouble(line.netWeight);
      if (auto v = readAmount(line.value)) it.value = *v;
      it.currency = line.currency.present ? line.currency.text : item_.currency.text;
      it.origin = line.originCountry.text;
      it.nature = nature;
      it.documents = documents;
    }
    return c;
  }

  std::optional<double> readDouble(const RawField& f) {
    if (!f.present) return std::nullopt;
    auto v = toDouble(f.text);
    if (!v) add(at(f), "'" + f.text + "' is not a decimal number");
    return v;
  }

  std::optional<sdk::Decimal> readAmount(const RawField& f) {
    if (!f.present) return std::nullopt;
    auto v = sdk::Decimal::parse(normalDecimal(f.text));
    if (!v) add(at(f), "'" + f.text + "' is not an amount: a decimal with at most 4 fraction digits expected");
    return v;
  }

  void checkItemId() {
    if (!item_.itemId.present) return;  // the schema said it is missing
    if (const std::string problem = s10Problem(item_.itemId.text); !problem.empty()) add(at(item_.itemId), problem);
  }

  // CN23: the total value is the sum of the content values; the gross weight is at least their
  // net weights. Compared only when every line is in the item's currency and was read.
  void checkTotals(const sdk::Consignment& c) {
    if (errors_.size() > readErrors_) return;
    if (item_.totalValue.present) {
      auto total = readAmount(item_.totalValue);
      sdk::Decimal sum;
      bool comparable = total.has_value();
      for (const auto& it : c.items) {
        comparable = comparable && it.currency == item_.currency.text;
        sum = sum + it.value;
      }
      if (comparable && sum != *total)
        add(at(item_.totalValue), "total value " + total->toString() + " " + item_.currency.text +
                                      " is not the sum of the content values, " + sum.toString());
    }
    if (item_.grossWeight.present) {
      auto gross = readDouble(item_.grossWeight);
      double net = 0;
      for (const auto& it : c.items) net += it.net_kg.value_or(0);
      // Weights are decimals with few digits: a tolerance far below a gram absorbs binary rounding.
      if (gross && net > *gross + 1e-9)
        add(at(item_.grossWeight), "gross weight " + formatKg(*gross) +
                                       " kg is less than the net weights of the contents, " + formatKg(net) + " kg");
    }
  }

  // Where each field of the canonical consignment came from in this item.
  std::map<std::string, Location> locations() const {
    std::map<std::string, Location> m;
    const std::string root = "/consignment";
    m[root] = {item_.path, item_.line, item_.column};
    m[root + "/reference"] = at(item_.itemId);
    m[root + "/parties/seller"] = {item_.sender.path, item_.sender.line, item_.sender.column};
    m[root + "/parties/seller/country"] = at(item_.sender.country);
    m[root + "/parties/buyer"] = {item_.addressee.path, item_.addressee.line, item_.addressee.column};
    m[root + "/parties/buyer/country"] = at(item_.addressee.country);
    m[root + "/transport/departure"] = at(item_.sender.country);
    m[root + "/transport/destination"] = at(item_.addressee.country);
    m[root + "/transport/arrival"] = at(item_.expectedArrival);
    m[root + "/transport/conveyance"] = at(item_.dispatchId);
    m[root + "/transport/master_ref"] = at(item_.receptacleId);
    m[root + "/fiscal/registration"] = at(item_.ioss);
    for (std::size_t i = 0; i < item_.contents.size(); ++i) {
      const RawContent& line = item_.contents[i];
      const std::string p = root + "/items/item[" + std::to_string(i + 1) + "]";
      m[p] = {line.path, line.line, line.column};
      m[p + "/description"] = at(line.description);
      m[p + "/hs"] = at(line.hsCode);
      m[p + "/quantity"] = at(line.quantity);
      m[p + "/net_kg"] = at(line.netWeight);
      m[p + "/value"] = at(line.value);
      m[p + "/currency"] = at(line.currency.present ? line.currency : item_.currency);
      m[p + "/origin"] = at(line.originCountry);
      const RawField* docs[] = {&item_.licence, &item_.certificate, &item_.invoice};
      std::size_t d = 0;
      for (const RawField* f : docs)
        if (f->present) m[p + "/documents/document[" + std::to_string(++d) + "]"] = at(*f);
    }
    return m;
  }

  void addValidation(const sdk::Errors& validation) {
    if (validation.empty()) return;
    const auto m = locations();
    for (const auto& e : validation) {
      // The nearest mapped ancestor names the place: "/consignment/items/item[2]/hs" -> hsCode.
      std::string key = e.path;
      auto it = m.find(key);
      while (it == m.end() && key.size() > 1) {
        key.erase(key.find_last_of('/'));
        it = m.find(key.empty() ? "/consignment" : key);
      }
      const Location where = it != m.end() ? it->second : Location{item_.path, item_.line, item_.column};
      std::string message = e.message;
      if (message == "must not be empty" && key == e.path && !fieldPresent(where.path))
        message = "missing: required for customs clearance";
      add(where, message);
    }
  }

  bool fieldPresent(const std::string& path) const {
    auto check = [&](const RawField& f) { return f.present && f.path == path; };
    for (const auto& line : item_.contents)
      for (const RawField* f : {&line.description, &line.hsCode, &line.originCountry, &line.currency})
        if (check(*f)) return true;
    for (const RawField* f : {&item_.itemId, &item_.currency, &item_.sender.country, &item_.addressee.country})
      if (check(*f)) return true;
    return false;
  }

  RawItem& item_;
  sdk::FilingKind filing_;
  const Settings& settings_;
  sdk::Errors errors_;
  std::size_t readErrors_ = 0;
};

}  // namespace

sdk::Decoded mapItem(RawItem item, sdk::FilingKind filing, const Settings& settings) {
  return ItemMapper(item, filing, settings).run();
}

}  // namespace swhub::plugins::upu_post
