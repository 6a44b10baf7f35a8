#include "json/var.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <charconv>
#include <cmath>

namespace swhub::plugins::json {

std::string typeOf(const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) return "null";
  if (v.type() == typeid(Poco::JSON::Object::Ptr)) return "object";
  if (v.type() == typeid(Poco::JSON::Array::Ptr)) return "array";
  if (v.isString()) return "string";
  if (v.isBoolean()) return "boolean";
  if (v.isNumeric()) return "number";
  return "unknown";
}

std::optional<std::string> amountText(const Poco::Dynamic::Var& v) {
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

}  // namespace swhub::plugins::json
