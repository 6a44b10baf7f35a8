#include "config/config_diff.hpp"

namespace swhub::config {
namespace {

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

// A scalar as a person reads it in a message.
std::string shown(const sdk::Value& v) {
  if (v.isNull()) return "null";
  if (v.isScalar()) return "'" + v.asString() + "'";
  return std::string(sdk::typeName(v.type()));
}

}  // namespace

sdk::Errors differences(const sdk::Value& before, const sdk::Value& after, const std::string& path) {
  sdk::Errors out;
  if (before.type() != after.type()) {
    out.push_back({path, "changed from " + shown(before) + " to " + shown(after)});
    return out;
  }
  if (before.isMap()) {
    for (const auto& [key, value] : before.entries()) {
      const sdk::Value* other = after.find(key);
      if (other == nullptr) {
        out.push_back({join(path, key), "removed"});
      } else {
        auto inner = differences(value, *other, join(path, key));
        out.insert(out.end(), inner.begin(), inner.end());
      }
    }
    for (const auto& [key, value] : after.entries()) {
      if (before.find(key) == nullptr) out.push_back({join(path, key), "added"});
    }
    return out;
  }
  if (before.isList()) {
    const auto& a = before.items();
    const auto& b = after.items();
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
      auto inner = differences(a[i], b[i], path + "[" + std::to_string(i) + "]");
      out.insert(out.end(), inner.begin(), inner.end());
    }
    for (std::size_t i = b.size(); i < a.size(); ++i) out.push_back({path + "[" + std::to_string(i) + "]", "removed"});
    for (std::size_t i = a.size(); i < b.size(); ++i) out.push_back({path + "[" + std::to_string(i) + "]", "added"});
    return out;
  }
  if (before.asString() != after.asString()) {
    out.push_back({path, "changed from " + shown(before) + " to " + shown(after)});
  }
  return out;
}

sdk::Errors needsRestart(const sdk::Value& running, const sdk::Value& fresh) {
  sdk::Value a = sdk::Value::map(), b = sdk::Value::map();
  for (const auto& [key, value] : running.entries()) {
    if (key != "routes") a.set(key, value);
  }
  for (const auto& [key, value] : fresh.entries()) {
    if (key != "routes") b.set(key, value);
  }
  sdk::Errors out = differences(a, b);
  for (auto& e : out) e.message += ": only routes change on reload; this needs a restart";
  return out;
}

}  // namespace swhub::config
