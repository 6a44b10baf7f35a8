#include "swhub/sdk/value.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <system_error>

namespace swhub::sdk {

namespace {

bool isDigits(std::string_view s, int base) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                    : base == 8 ? (c >= '0' && c <= '7')
                                : (c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE] [-+]? [0-9]+ )?  (YAML 1.2 core schema)
bool isDecimal(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  const std::size_t intStart = i;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  const bool hasInt = i > intStart;
  bool hasFrac = false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const std::size_t fracStart = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    hasFrac = i > fracStart;
  }
  if (!hasInt && !hasFrac) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (!isDigits(s.substr(i), 10)) return false;
    i = s.size();
  }
  return i == s.size();
}

std::optional<double> parseDouble(std::string_view s) {
  if (s.starts_with('+')) s.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> special(std::string_view s) {
  for (std::string_view nan : {".nan", ".NaN", ".NAN"}) {
    if (s == nan) return std::numeric_limits<double>::quiet_NaN();
  }
  double sign = 1;
  if (s.starts_with('-') || s.starts_with('+')) {
    sign = s.front() == '-' ? -1 : 1;
    s.remove_prefix(1);
  }
  for (std::string_view inf : {".inf", ".Inf", ".INF"}) {
    if (s == inf) return sign * std::numeric_limits<double>::infinity();
  }
  return std::nullopt;
}

std::optional<std::int64_t> parseInt(std::string_view s) {
  int base = 10;
  bool negative = false;
  if (s.starts_with("0x")) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.starts_with("0o")) {
    base = 8;
    s.remove_prefix(2);
  } else if (s.starts_with('-') || s.starts_with('+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (!isDigits(s, base)) return std::nullopt;
  std::string digits = negative ? "-" + std::string(s) : std::string(s);
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string_view typeName(ValueType type) {
  switch (type) {
    case ValueType::Null: return "null";
    case ValueType::Bool: return "boolean";
    case ValueType::Int: return "integer";
    case ValueType::Double: return "number";
    case ValueType::String: return "string";
    case ValueType::List: return "list";
    case ValueType::Map: return "map";
  }
  return "unknown";
}

Value Value::boolean(bool v) {
  Value out;
  out.type_ = ValueType::Bool;
  out.bool_ = v;
  out.text_ = v ? "true" : "false";
  return out;
}

Value Value::integer(std::int64_t v) {
  Value out;
  out.type_ = ValueType::Int;
  out.int_ = v;
  out.text_ = std::to_string(v);
  return out;
}

Value Value::number(double v) {
  Value out;
  out.type_ = ValueType::Double;
  out.double_ = v;
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.text_.assign(buffer, ec == std::errc() ? end : buffer);
  return out;
}

Value Value::string(std::string v) {
  Value out;
  out.type_ = ValueType::String;
  out.text_ = std::move(v);
  return out;
}

Value Value::list(std::vector<Value> items) {
  Value out;
  out.type_ = ValueType::List;
  out.items_ = std::move(items);
  return out;
}

Value Value::map(std::vector<Entry> entries) {
  Value out;
  out.type_ = ValueType::Map;
  out.entries_ = std::move(entries);
  return out;
}

Value Value::plain(std::string text) {
  Value out;
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return out;
  }
  if (text == "true" || text == "True" || text == "TRUE") {
    out = boolean(true);
  } else if (text == "false" || text == "False" || text == "FALSE") {
    out = boolean(false);
  } else if (auto i = parseInt(text)) {
    out = integer(*i);
  } else if (auto d = special(text)) {
    out = number(*d);
  } else if (auto n = isDecimal(text) ? parseDouble(text) : std::nullopt) {
    // Also an integer too large for 64 bits: still a number, as the core schema reads it.
    out = number(*n);
  } else {
    out.type_ = ValueType::String;
  }
  out.text_ = std::move(text);
  return out;
}

bool Value::isScalar() const {
  return type_ == ValueType::Bool || type_ == ValueType::Int || type_ == ValueType::Double ||
         type_ == ValueType::String;
}

double Value::asDouble() const {
  if (type_ == ValueType::Int) return static_cast<double>(int_);
  return double_;
}

const Value* Value::find(std::string_view key) const {
  for (const auto& [k, v] : entries_) {
    if (k == key) return &v;
  }
  return nullptr;
}

void Value::set(std::string key, Value v) {
  for (auto& [k, existing] : entries_) {
    if (k == key) {
      existing = std::move(v);
      return;
    }
  }
  entries_.emplace_back(std::move(key), std::move(v));
}

}  // namespace swhub::sdk
