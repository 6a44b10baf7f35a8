#include "json_fields.hpp"

#include <algorithm>

#include "swhub/sdk/schema.hpp"

namespace swhub::plugins::marketplace {

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
