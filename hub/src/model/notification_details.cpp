#include "model/notification_details.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <optional>

#include "model/text_util.hpp"

namespace swhub::model {

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// Keys whose values are a list even when there is one: a reader need not test for both shapes.
bool isListKey(const std::string& key) { return key == "revenue_line"; }

// Compact JSON text of a parsed value in the codecs' own spelling (members in their order, the
// codecs' string escapes); nullopt for what has no single spelling here (a fraction, an exponent).
std::optional<std::string> compact(const Var& v) {
  std::string out;
  if (v.isEmpty()) return std::string("null");
  if (v.type() == typeid(Object::Ptr)) {
    const auto o = v.extract<Object::Ptr>();
    out += '{';
    bool first = true;
    for (const auto& name : o->getNames()) {  // insertion order: the parser preserves it
      auto member = compact(o->get(name));
      if (!member) return std::nullopt;
      if (!first) out += ',';
      first = false;
      detail::appendJsonString(out, name);
      out += ':';
      out += *member;
    }
    out += '}';
    return out;
  }
  if (v.type() == typeid(Array::Ptr)) {
    const auto a = v.extract<Array::Ptr>();
    out += '[';
    for (std::size_t i = 0; i < a->size(); ++i) {
      auto element = compact(a->get(static_cast<unsigned>(i)));
      if (!element) return std::nullopt;
      if (i) out += ',';
      out += *element;
    }
    out += ']';
    return out;
  }
  if (v.isString()) {
    detail::appendJsonString(out, v.extract<std::string>());
    return out;
  }
  if (v.isBoolean()) return std::string(v.convert<bool>() ? "true" : "false");
  if (v.isInteger()) return v.toString();
  return std::nullopt;
}

Var parse(const std::string& text) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(/*preserveObjectOrder=*/true));
  return parser.parse(text);
}

// The value as it goes into JSON: the object itself when it is a compact JSON object spelled as
// the codecs spell it (so that decoding gives back the same text), else a string.
void appendValue(std::string& out, const std::string& value) {
  if (!value.empty() && value.front() == '{') {
    try {
      const Var parsed = parse(value);
      if (parsed.type() == typeid(Object::Ptr)) {
        if (auto again = compact(parsed); again && *again == value) {
          out += value;
          return;
        }
      }
    } catch (const Poco::Exception&) {
      // not JSON: a string like any other
    }
  }
  detail::appendJsonString(out, value);
}

}  // namespace

void appendNotificationDetails(std::string& out, const NotificationDetails& details) {
  out += '{';
  std::vector<bool> written(details.size(), false);
  bool first = true;
  for (std::size_t i = 0; i < details.size(); ++i) {
    if (written[i]) continue;
    const std::string& key = details[i].first;
    std::vector<std::size_t> same{i};
    for (std::size_t j = i + 1; j < details.size(); ++j)
      if (details[j].first == key) same.push_back(j);
    if (!first) out += ',';
    first = false;
    detail::appendJsonString(out, key);
    out += ':';
    if (same.size() == 1 && !isListKey(key)) {
      detail::appendJsonString(out, details[i].second);
      written[i] = true;
      continue;
    }
    out += '[';
    for (std::size_t k = 0; k < same.size(); ++k) {
      if (k) out += ',';
      appendValue(out, details[same[k]].second);
      written[same[k]] = true;
    }
    out += ']';
  }
  out += '}';
}

void readNotificationDetail(const std::string& name, const Var& value, const std::string& path,
                            NotificationDetails& into, sdk::Errors& errors) {
  if (value.isString()) {
    into.emplace_back(name, value.convert<std::string>());
    return;
  }
  if (value.type() != typeid(Array::Ptr)) {
    errors.push_back({path, "expected a string or an array"});
    return;
  }
  const auto list = value.extract<Array::Ptr>();
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Var element = list->get(static_cast<unsigned>(i));
    if (element.isString()) {
      into.emplace_back(name, element.convert<std::string>());
      continue;
    }
    std::optional<std::string> text;
    if (element.type() == typeid(Object::Ptr)) text = compact(element);
    if (!text) {
      errors.push_back({path + "/" + std::to_string(i), "expected a string or an object of strings, whole numbers, "
                                                        "booleans and nulls"});
      continue;
    }
    into.emplace_back(name, std::move(*text));
  }
}

}  // namespace swhub::model
