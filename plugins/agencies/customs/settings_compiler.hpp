#pragma once
// What the customs settings compilers (revenue_settings.cpp, risk_settings.cpp) share: every error
// at its dotted path under the settings' own path, and lookups that read a missing key as absent
// (the schema has already reported what is missing or of the wrong type).

#include <string>
#include <utility>

#include "swhub/sdk/status.hpp"
#include "swhub/sdk/value.hpp"

namespace swhub::plugins::customs {

class SettingsCompiler {
 public:
  explicit SettingsCompiler(std::string path) : path_(std::move(path)) {}

  sdk::Errors& errors() { return errors_; }
  // "agencies.customs.settings" + "." + relative, or relative alone under no path.
  std::string at(const std::string& relative) const { return path_.empty() ? relative : path_ + "." + relative; }
  void fail(const std::string& relative, std::string message) { errors_.push_back({at(relative), std::move(message)}); }

  // The value at `key`, or a null value.
  static const sdk::Value& get(const sdk::Value& node, const char* key) {
    static const sdk::Value kNone;
    const sdk::Value* v = node.find(key);
    return v != nullptr ? *v : kNone;
  }
  // The list at `key`, or an empty list when it is absent or not a list.
  static const sdk::Value& list(const sdk::Value& node, const char* key) {
    static const sdk::Value kEmptyList = sdk::Value::list();
    const sdk::Value& v = get(node, key);
    return v.isList() ? v : kEmptyList;
  }

 private:
  std::string path_;
  sdk::Errors errors_;
};

}  // namespace swhub::plugins::customs
