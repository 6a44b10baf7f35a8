#include "json_fields.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "swhub/sdk/schema.hpp"

namespace swhub::plugins::marketplace {

std::string typeOf(const Var& v) {
  if (v.isEmpty()) return "null";
  if (v.type() == typeid(Object::Ptr)) return "object";
  if (v.type() == typeid(Array::Ptr)) return "array";
  if (v.isString()) return "string";
  if (v.isBoolean()) return "boolean";
  if (v.isNumeric()) return "number";
  return "unknown";
}

std::string pointerToken(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::optional<std::string> amountText(const Var& v) {
  if (v.isString()) return v.extract<std::string>();
  if (v.isBoolean() || !v.isNumeric()) return std::nullopt;
  if (v.isInteger()) return v.toString();
  // The shortest text that reads back as the same double is the written text whenever it has at
  // most 15 significant digits; fixed notation, never an exponent.
  const double d = v.convert<double>();
  if (!std::isfinite(d)) return std::nullopt;
  char buffer[400];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d, std::chars_format::fixed);
  if (ec != std::errc()) return std::nullopt;
  return std::string(buffer, end);
}

std::size_t invalidUtf8At(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size() || (len == 2 && c < 0xC2) || (len == 4 && c > 0xF4)) return i;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return i;
    const auto c1 = len > 1 ? static_cast<unsigned char>(s[i + 1]) : 0;
    if (len == 3 && ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0))) return i;  // overlong, surrogate
    if (len == 4 && ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90))) return i;
    i += len;
  }
  return std::string_view::npos;
}

void appendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

Fields::Fields(sdk::Errors& errors, const Object::Ptr& object, std::string path, std::vector<std::string_view> allowed)
    : errors_(errors), object_(object), path_(std::move(path)) {
  std::vector<std::string> names(allowed.begin(), allowed.end());
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
  for (const std::string& name : object_->getNames()) {
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    std::string message = "unknown field '" + name + "'; allowed fields: " + list;
    if (const std::string nearest = sdk::nearestName(name, names); !nearest.empty())
      message += "; did you mean '" + nearest + "'?";
    errors_.push_back({path_ + "/" + pointerToken(name), std::move(message)});
  }
}

bool Fields::has(std::string_view name) const {
  const std::string key(name);
  return object_->has(key) && !object_->get(key).isEmpty();
}

const Var* Fields::get(std::string_view name, bool required) {
  const std::string key(name);
  if (!object_->has(key) || object_->get(key).isEmpty()) {
    if (required) errors_.push_back({at(name), "missing required field '" + key + "'"});
    return nullptr;
  }
  value_ = object_->get(key);
  return &value_;
}

std::string Fields::string(std::string_view name, bool required) {
  const Var* v = get(name, required);
  if (!v) return {};
  if (!v->isString()) {
    errors_.push_back({at(name), "expected string, got " + typeOf(*v)});
    return {};
  }
  std::string text = v->extract<std::string>();
  if (required && text.empty()) errors_.push_back({at(name), "must not be empty"});
  return text;
}

std::optional<double> Fields::number(std::string_view name, bool required) {
  const Var* v = get(name, required);
  if (!v) return std::nullopt;
  if (v->isNumeric() && !v->isBoolean() && !v->isString()) return v->convert<double>();
  errors_.push_back({at(name), "expected number, got " + typeOf(*v)});
  return std::nullopt;
}

std::optional<sdk::Decimal> Fields::amount(std::string_view name, bool required) {
  const Var* v = get(name, required);
  if (!v) return std::nullopt;
  const auto text = amountText(*v);
  if (!text) {
    errors_.push_back({at(name), "expected amount (string or number), got " + typeOf(*v)});
    return std::nullopt;
  }
  if (auto d = sdk::Decimal::parse(*text)) return d;
  errors_.push_back({at(name), "'" + *text + "' is not an amount: a decimal with at most 4 fraction digits expected"});
  return std::nullopt;
}

Object::Ptr Fields::object(std::string_view name, bool required) {
  const Var* v = get(name, required);
  if (!v) return nullptr;
  if (v->type() == typeid(Object::Ptr)) return v->extract<Object::Ptr>();
  errors_.push_back({at(name), "expected object, got " + typeOf(*v)});
  return nullptr;
}

Array::Ptr Fields::array(std::string_view name, bool required) {
  const Var* v = get(name, required);
  if (!v) return nullptr;
  if (v->type() == typeid(Array::Ptr)) return v->extract<Array::Ptr>();
  errors_.push_back({at(name), "expected array, got " + typeOf(*v)});
  return nullptr;
}

}  // namespace swhub::plugins::marketplace
