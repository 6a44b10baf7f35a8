#include "estimate/estimate_query.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "swhub/sdk/schema.hpp"

namespace swhub::estimate {
namespace {

const std::vector<std::string> kTop = {"destination", "model", "registration", "tax_collected",
                                       "tax_currency", "departure", "mode"};
const std::vector<std::string> kItem = {"description", "hs", "search", "value", "currency", "origin", "quantity"};
// Where an error about a parameter or a body member without a name points ("?=PT", {"": [..]}).
const std::string kNoName = "(no name)";

bool upperLetters(const std::string& text, std::size_t size) {
  return text.size() == size && std::all_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool digits(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

// `items[12].value` -> {12, "value"}; nullopt for anything else.
std::optional<std::pair<std::size_t, std::string>> itemParameter(const std::string& name) {
  if (name.rfind("items[", 0) != 0) return std::nullopt;
  const auto close = name.find(']');
  if (close == std::string::npos || close + 1 >= name.size() || name[close + 1] != '.') return std::nullopt;
  const std::string index = name.substr(6, close - 6);
  if (!digits(index) || index.size() > 3 || (index.size() > 1 && index[0] == '0')) return std::nullopt;
  return std::pair{static_cast<std::size_t>(std::stoul(index)), name.substr(close + 2)};
}

std::optional<sdk::Decimal> amount(const std::string& text) {
  if (text.empty() || text[0] == '-' || text[0] == '+') return std::nullopt;
  return sdk::Decimal::parse(text);
}

class Reader {
 public:
  explicit Reader(sdk::Errors& errors) : errors_(errors) {}

  void error(const std::string& path, const std::string& message) { errors_.push_back({path, message}); }

  EstimateQuery read(const Parameters& parameters) {
    EstimateQuery q;
    std::map<std::string, std::string> top;
    std::map<std::size_t, std::map<std::string, std::string>> items;
    std::map<std::string, bool> seen;
    for (const auto& [name, value] : parameters) {
      if (name.empty()) {  // "?=PT" or {"": "PT"}: the error still says where
        error(kNoName, "a parameter without a name ('=" + value + "')");
        continue;
      }
      if (seen[name]) {
        error(name, "given more than once");
        continue;
      }
      seen[name] = true;
      if (std::find(kTop.begin(), kTop.end(), name) != kTop.end()) {
        top[name] = value;
        continue;
      }
      if (auto item = itemParameter(name)) {
        if (item->first >= kMaxItems) {
          error(name, "at most " + std::to_string(kMaxItems) + " items (items[0] to items[" + std::to_string(kMaxItems - 1) + "])");
        } else if (std::find(kItem.begin(), kItem.end(), item->second) == kItem.end()) {
          const std::string near = sdk::nearestName(item->second, kItem);
          error(name, "unknown item parameter '" + item->second + "'; allowed: " + joined(kItem) +
                          (near.empty() ? "" : "; did you mean 'items[" + std::to_string(item->first) + "]." + near + "'?"));
        } else {
          items[item->first][item->second] = value;
        }
        continue;
      }
      std::vector<std::string> names = kTop;
      names.push_back("items");
      const std::string near = sdk::nearestName(name, names);
      error(name, "unknown parameter; allowed: " + joined(kTop) + " and items[N]." + joined(kItem) +
                      (near.empty() ? "" : "; did you mean '" + near + "'?"));
    }
    readTop(top, q);
    if (items.empty()) error("items", "at least one item is required: items[0].hs (or items[0].search), items[0].value, "
                                      "items[0].currency, items[0].origin");
    std::size_t expected = 0;
    for (const auto& [index, fields] : items) {
      for (; expected < index; ++expected) {
        error("items[" + std::to_string(expected) + "]", "missing: items are numbered from 0 without gaps");
      }
      ++expected;
      q.items.push_back(readItem("items[" + std::to_string(index) + "]", fields));
    }
    return q;
  }

 private:
  void readTop(const std::map<std::string, std::string>& top, EstimateQuery& q) {
    auto get = [&](const std::string& key) -> const std::string* {
      auto found = top.find(key);
      return found == top.end() ? nullptr : &found->second;
    };
    if (const std::string* v = get("destination")) {
      if (upperLetters(*v, 2)) q.destination = *v;
      else error("destination", "'" + *v + "' is not an ISO 3166-1 alpha-2 country code (two capital letters: PT)");
    } else {
      error("destination", "required: the country of destination, ISO 3166-1 alpha-2 (PT)");
    }
    if (const std::string* v = get("model")) {
      if (auto model = sdk::parseCollectionModel(*v)) q.model = *model;
      else error("model", "'" + *v + "' is not a collection model; one of " + sdk::allowedCollectionModels());
    }
    if (const std::string* v = get("registration")) q.registration = *v;
    if (const std::string* v = get("tax_collected")) {
      if (auto d = amount(*v)) q.tax_collected = *d;
      else error("tax_collected", "'" + *v + "' is not an amount (a decimal with at most 4 fraction digits: 9.20)");
    }
    if (const std::string* v = get("tax_currency")) {
      if (upperLetters(*v, 3)) q.tax_currency = *v;
      else error("tax_currency", "'" + *v + "' is not an ISO 4217 currency code (three capital letters: EUR)");
    }
    if (const std::string* v = get("departure")) {
      if (upperLetters(*v, 2)) q.departure = *v;
      else error("departure", "'" + *v + "' is not an ISO 3166-1 alpha-2 country code (two capital letters: CN)");
    }
    if (const std::string* v = get("mode")) {
      if (auto mode = sdk::parseTransportMode(*v)) q.mode = *mode;
      else error("mode", "'" + *v + "' is not a transport mode; one of " + sdk::allowedTransportModes());
    }
  }

  ItemQuery readItem(const std::string& at, const std::map<std::string, std::string>& fields) {
    ItemQuery item;
    auto get = [&](const std::string& key) -> const std::string* {
      auto found = fields.find(key);
      return found == fields.end() ? nullptr : &found->second;
    };
    const std::string* hs = get("hs");
    const std::string* search = get("search");
    if (hs != nullptr && search != nullptr) {
      error(at + ".search", "give the HS code or a search word, not both");
    } else if (hs != nullptr) {
      if (digits(*hs) && hs->size() >= 6 && hs->size() <= 10) item.hs = *hs;
      else error(at + ".hs", "'" + *hs + "' is not an HS code: 6 to 10 digits (851830)");
    } else if (search != nullptr) {
      if (search->empty() || search->size() > 64) error(at + ".search", "a word or a few, 1 to 64 characters");
      else item.search = *search;
    } else {
      error(at + ".hs", "required: the HS code (6 to 10 digits), or a word to look it up by as " + at + ".search");
    }
    if (const std::string* v = get("description")) {
      if (v->size() > 512) error(at + ".description", "at most 512 characters");
      else item.description = *v;
    }
    if (const std::string* v = get("value")) {
      if (auto d = amount(*v)) item.value = *d;
      else error(at + ".value", "'" + *v + "' is not an amount (a decimal with at most 4 fraction digits: 48.00)");
    } else {
      error(at + ".value", "required: what the item costs, in items' currency (48.00)");
    }
    if (const std::string* v = get("currency")) {
      if (upperLetters(*v, 3)) item.currency = *v;
      else error(at + ".currency", "'" + *v + "' is not an ISO 4217 currency code (three capital letters: EUR)");
    } else {
      error(at + ".currency", "required: the currency of the value, ISO 4217 (EUR)");
    }
    if (const std::string* v = get("origin")) {
      if (upperLetters(*v, 2)) item.origin = *v;
      else error(at + ".origin", "'" + *v + "' is not an ISO 3166-1 alpha-2 country code (two capital letters: CN)");
    } else {
      error(at + ".origin", "required: the country of origin, ISO 3166-1 alpha-2 (CN)");
    }
    if (const std::string* v = get("quantity")) {
      double quantity = 0;
      std::size_t used = 0;
      try {
        quantity = std::stod(*v, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != v->size() || !std::isfinite(quantity) || quantity <= 0 || quantity > 1e9) {
        error(at + ".quantity", "'" + *v + "' is not a quantity (a number above 0: 2)");
      } else {
        item.quantity = quantity;
      }
    }
    return item;
  }

  sdk::Errors& errors_;
};

// A JSON scalar as parameter text; nullopt for an object, an array, a boolean or null.
std::optional<std::string> scalarText(const Poco::Dynamic::Var& value) {
  if (value.isEmpty() || value.isArray() || value.isStruct() || value.type() == typeid(bool)) return std::nullopt;
  if (value.type() == typeid(Poco::JSON::Object::Ptr) || value.type() == typeid(Poco::JSON::Array::Ptr)) return std::nullopt;
  if (value.isString()) return value.toString();
  if (value.isInteger()) return value.toString();
  if (value.isNumeric()) {
    // A JSON number such as 48.5 keeps the digits it was written with, as far as a double can.
    auto d = sdk::Decimal::fromDouble(value.convert<double>());
    if (!d) return value.toString();
    return d->toString();
  }
  return std::nullopt;
}

}  // namespace

sdk::Result<EstimateQuery> readQuery(const Parameters& parameters) {
  sdk::Errors errors;
  Reader reader(errors);
  EstimateQuery q = reader.read(parameters);
  if (!errors.empty()) return errors;
  return q;
}

sdk::Result<EstimateQuery> readBody(const std::string& body) {
  Poco::JSON::Object::Ptr root;
  try {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var parsed = parser.parse(body);
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) root = parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return sdk::Errors{{"body", "not JSON: " + e.message()}};
  } catch (const std::exception& e) {
    return sdk::Errors{{"body", std::string("not JSON: ") + e.what()}};
  }
  if (!root) return sdk::Errors{{"body", "a JSON object is expected: {\"destination\": \"PT\", \"items\": [...]}"}};
  sdk::Errors errors;
  Parameters parameters;
  for (const auto& name : root->getNames()) {
    const Poco::Dynamic::Var value = root->get(name);
    if (name == "items") {
      Poco::JSON::Array::Ptr items = value.type() == typeid(Poco::JSON::Array::Ptr) ? value.extract<Poco::JSON::Array::Ptr>() : nullptr;
      if (!items) {
        errors.push_back({"items", "a JSON array of items is expected"});
        continue;
      }
      for (std::size_t i = 0; i < items->size(); ++i) {
        const std::string at = "items[" + std::to_string(i) + "]";
        Poco::JSON::Object::Ptr item = items->getObject(static_cast<unsigned>(i));
        if (!item) {
          errors.push_back({at, "a JSON object is expected"});
          continue;
        }
        for (const auto& field : item->getNames()) {
          auto text = scalarText(item->get(field));
          if (!text) errors.push_back({at + "." + field, "a string or a number is expected"});
          else parameters.emplace_back(at + "." + field, *text);
        }
      }
      continue;
    }
    auto text = scalarText(value);
    if (!text) errors.push_back({name.empty() ? kNoName : name, "a string or a number is expected"});
    else parameters.emplace_back(name, *text);
  }
  auto query = readQuery(parameters);
  if (!errors.empty()) {
    if (!query.ok()) errors.insert(errors.end(), query.errors().begin(), query.errors().end());
    return errors;
  }
  return query;
}

}  // namespace swhub::estimate
