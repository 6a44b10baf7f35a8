#include "yaml_file.hpp"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

namespace swhub::plugins::customs {

namespace {

std::string location(const std::string& name, const YAML::Mark& mark) {
  return name + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
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
        // A plain scalar is typed (true, 12, 1.5); a quoted one stays a string.
        out = node.Tag() == "?" ? sdk::Value::plain(node.Scalar()) : sdk::Value::string(node.Scalar());
        break;
      case YAML::NodeType::Sequence:
        out = sdk::Value::list();
        for (const auto& item : node) out.push(convert(item));
        break;
      case YAML::NodeType::Map:
        out = sdk::Value::map();
        {
          std::set<std::string> seen;
          for (const auto& entry : node) {
            const YAML::Node& key = entry.first;
            if (!key.IsScalar()) {
              if (error_.empty()) error_ = location(name_, key.Mark()) + ": a map key must be a scalar";
              continue;
            }
            if (!seen.insert(key.Scalar()).second) {
              if (error_.empty()) error_ = location(name_, key.Mark()) + ": duplicate key '" + key.Scalar() + "'";
              continue;
            }
            out.set(key.Scalar(), convert(entry.second));
          }
        }
        break;
    }
    out.line = node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
    out.column = node.Mark().column >= 0 ? node.Mark().column + 1 : 0;
    return out;
  }

  const std::string& error() const { return error_; }

 private:
  std::string name_;
  std::string error_;
};

sdk::Result<sdk::Value> failure(std::string message) { return sdk::Errors{{"", std::move(message)}}; }

}  // namespace

sdk::Result<sdk::Value> readYamlFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return failure("cannot read " + path + ": " + std::strerror(EISDIR));
  std::ifstream in(path, std::ios::binary);
  if (!in) return failure("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return failure("cannot read " + path + ": " + std::strerror(errno));
  try {
    Converter converter(path);
    sdk::Value value = converter.convert(YAML::Load(text.str()));
    if (!converter.error().empty()) return failure(converter.error());
    return value;
  } catch (const YAML::Exception& e) {
    return failure(location(path, e.mark) + ": " + e.msg);
  }
}

}  // namespace swhub::plugins::customs
