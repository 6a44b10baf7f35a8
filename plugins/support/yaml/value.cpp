#include "yaml/value.hpp"

#include <yaml-cpp/yaml.h>

#include <set>

namespace swhub::support::yaml {
namespace {

std::string location(const std::string& name, const YAML::Mark& mark) {
  return name + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

void setMark(sdk::Value& value, const YAML::Mark& mark) {
  // yaml-cpp counts from 0 and uses -1 for "unknown"; Value counts from 1 and uses 0.
  value.line = mark.line >= 0 ? mark.line + 1 : 0;
  value.column = mark.column >= 0 ? mark.column + 1 : 0;
}

class Converter {
 public:
  explicit Converter(std::string name) : name_(std::move(name)) {}

  sdk::Value convert(const YAML::Node& node) {
    sdk::Value out;
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        break;
      case YAML::NodeType::Scalar:
        // yaml-cpp tags a plain scalar "?" and a quoted or block one "!": only a plain scalar
        // is typed (true, 12, 1.5); an explicit tag such as !!str keeps it a string too.
        out = node.Tag() == "?" ? sdk::Value::plain(node.Scalar()) : sdk::Value::string(node.Scalar());
        break;
      case YAML::NodeType::Sequence:
        out = sdk::Value::list();
        for (const auto& item : node) out.push(convert(item));
        break;
      case YAML::NodeType::Map:
        out = convertMap(node);
        break;
    }
    setMark(out, node.Mark());
    return out;
  }

  const sdk::Errors& errors() const { return errors_; }

 private:
  sdk::Value convertMap(const YAML::Node& node) {
    sdk::Value out = sdk::Value::map();
    std::set<std::string> seen;
    for (const auto& entry : node) {
      const YAML::Node& key = entry.first;
      if (!key.IsScalar()) {
        errors_.push_back({location(name_, key.Mark()), "a map key must be a scalar"});
        continue;
      }
      // yaml-cpp keeps both entries of a repeated key; the second would silently shadow or be
      // shadowed, so it is an error like any other.
      if (!seen.insert(key.Scalar()).second) {
        errors_.push_back({location(name_, key.Mark()), "duplicate key '" + key.Scalar() + "'"});
        continue;
      }
      out.set(key.Scalar(), convert(entry.second));
    }
    return out;
  }

  std::string name_;
  sdk::Errors errors_;
};

}  // namespace

sdk::Result<sdk::Value> parse(const std::string& text, const std::string& name) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    return sdk::Errors{{location(name, e.mark), e.msg}};
  }
  Converter converter(name);
  sdk::Value value = converter.convert(root);
  if (!converter.errors().empty()) return converter.errors();
  return value;
}

}  // namespace swhub::support::yaml
