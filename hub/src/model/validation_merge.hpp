#pragma once
// Joins the errors a codec found while reading with those of validateConsignment.

#include <string>

#include "swhub/sdk/status.hpp"

namespace swhub::model {

/// `decodeErrors` keep their paths; a validation error whose path (prefixed by `prefix`) is, or
/// lies under, a path that already has a decode error is dropped: the field was not read, so
/// its default would only be reported again.
inline sdk::Errors mergeValidation(sdk::Errors decodeErrors, const sdk::Errors& validation, const std::string& prefix) {
  auto under = [](const std::string& parent, const std::string& path) {
    return path.compare(0, parent.size(), parent) == 0 &&
           (path.size() == parent.size() || path[parent.size()] == '/' || path[parent.size()] == '[');
  };
  sdk::Errors out = std::move(decodeErrors);
  const std::size_t decoded = out.size();
  for (const auto& e : validation) {
    const std::string path = prefix + e.path;
    bool duplicate = false;
    for (std::size_t i = 0; i < decoded && !duplicate; ++i) duplicate = under(out[i].path, path);
    if (!duplicate) out.push_back({path, e.message});
  }
  return out;
}

}  // namespace swhub::model
