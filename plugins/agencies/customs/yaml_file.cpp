#include "yaml_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "yaml/value.hpp"

namespace swhub::plugins::customs {

namespace {

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
  auto value = support::yaml::parse(text.str(), path);
  if (!value.ok()) return failure(sdk::formatError(value.errors().front()));
  return value;
}

}  // namespace swhub::plugins::customs
