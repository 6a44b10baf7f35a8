// The config's YAML files -> sdk::Value (plugins/support/yaml reads the text).
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/config.hpp"
#include "yaml/value.hpp"

namespace swhub::config {

sdk::Value parseYamlString(const std::string& text, const std::string& name) {
  auto value = support::yaml::parse(text, name);
  if (!value.ok()) throw ConfigError(value.errors());
  return value.take();
}

sdk::Value parseYamlFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw ConfigError({{path, std::string("cannot read: ") + std::strerror(EISDIR)}});
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError({{path, std::string("cannot read: ") + std::strerror(errno)}});
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ConfigError({{path, std::string("cannot read: ") + std::strerror(errno)}});
  return parseYamlString(text.str(), path);
}

}  // namespace swhub::config
