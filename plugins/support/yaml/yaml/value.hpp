#pragma once
// YAML text read into an sdk::Value, the way every YAML the hub reads is read (its config, a
// plugin's own files): a plain scalar is typed (true, 12, 1.5), a quoted one stays a string; a
// non-scalar or repeated map key is an error at its place; each value keeps its line and column.

#include <string>

#include "swhub/sdk/status.hpp"
#include "swhub/sdk/value.hpp"

namespace swhub::support::yaml {

// The document in `text`; errors are {"NAME:LINE:COLUMN", message}, `name` naming the text (its
// file's path). A syntax error stops at the first; key errors are all listed.
sdk::Result<sdk::Value> parse(const std::string& text, const std::string& name);

}  // namespace swhub::support::yaml
