#pragma once
// A YAML file read into an sdk::Value, inside the plugin: a plugin links the SDK and nothing of
// the hub, so it cannot use the hub's own reader (hub/src/config/yaml_value.cpp), whose typing
// of plain scalars and refusal of repeated keys this follows.

#include <string>

#include "swhub/sdk/status.hpp"
#include "swhub/sdk/value.hpp"

namespace swhub::plugins::customs {

// The document in the file at `path`; on failure one error without a path whose message names
// the file ("cannot read /etc/x.yaml: No such file or directory", "/etc/x.yaml:3:5: ...").
sdk::Result<sdk::Value> readYamlFile(const std::string& path);

}  // namespace swhub::plugins::customs
