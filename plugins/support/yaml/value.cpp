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

// An alias is a reference to its anchor's node, so YAML::Load builds a graph: an alias inside its
// own anchor is a cycle, and aliases of aliases multiply a few lines into billions of values
// ("billion laughs"). The sdk::Value is a tree that expands them, so both are bounded: nesting
// deeper than kMaxDepth, or more values than the text could hold without aliases (a value takes at
// least a byte or two of text) plus some room for honest reuse, is an error at that place.
constexpr int kMaxDepth = 128;
std::size_t maxValues(const std::string& text) { return 4 * text.size() + 100000; }

class Converter {
 public:
  Converter(std::string name, std::size_t maxValues) : name_(std::move(name)), maxValues_(maxValues) {}

  sdk::Value convert(const YAML::Node& node, int depth = 0) {
    sdk::Value out;
    if (stopped_) return out;
    if (depth > kMaxDepth) {
      stop(node, "nested deeper than " + std::to_string(kMaxDepth) + " levels (an alias inside its own anchor?)");
      return out;
    }
    if (++values_ > maxValues_) {
      stop(node, "more than " + std::to_string(maxValues_) + " values: its aliases expand too far");
      return out;
    }
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
        for (const auto& item : node) {
          out.push(convert(item, depth + 1));
          if (stopped_) break;
        }
        break;
      case YAML::NodeType::Map:
        out = convertMap(node, depth);
        break;
    }
    setMark(out, node.Mark());
    return out;
  }

  const sdk::Errors& errors() const { return errors_; }

 private:
  // One error where the document went wrong, then nothing more is read.
  void stop(const YAML::Node& node, std::string message) {
    errors_.push_back({location(name_, node.Mark()), std::move(message)});
    stopped_ = true;
  }

  sdk::Value convertMap(const YAML::Node& node, int depth) {
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
      out.set(key.Scalar(), convert(entry.second, depth + 1));
      if (stopped_) break;
    }
    return out;
  }

  std::string name_;
  std::size_t maxValues_;
  std::size_t values_ = 0;
  bool stopped_ = false;
  sdk::Errors errors_;
};

}  // namespace

sdk::Result<sdk::Value> parse(const std::string& text, const std::string& name) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {  // ParserException, DeepRecursion and the rest of yaml-cpp's
    return sdk::Errors{{location(name, e.mark), e.msg}};
  }
  Converter converter(name, maxValues(text));
  sdk::Value value = converter.convert(root);
  if (!converter.errors().empty()) return converter.errors();
  return value;
}

}  // namespace swhub::support::yaml
