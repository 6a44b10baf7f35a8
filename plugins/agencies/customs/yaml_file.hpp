#pragma once
// A YAML file read into an sdk::Value, as the hub reads its config (plugins/support/yaml: the
// same typing of plain scalars and refusal of repeated keys), with the plugin's error form.

#include <string>

#include "swhub/sdk/status.hpp"
#include "swhub/sdk/value.hpp"

namespace swhub::plugins::customs {

// The document in the file at `path`; on failure one error without a path whose message names
// the file ("cannot read /etc/x.yaml: No such file or directory", "/etc/x.yaml:3:5: ...").
sdk::Result<sdk::Value> readYamlFile(const std::string& path);

}  // namespace swhub::plugins::customs
