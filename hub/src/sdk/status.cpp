#include "swhub/sdk/status.hpp"

namespace swhub::sdk {

std::string formatError(const Error& error) {
  if (error.path.empty()) return error.message;
  return error.path + ": " + error.message;
}

std::string formatErrors(const Errors& errors) {
  std::string out;
  for (const auto& e : errors) {
    out += formatError(e);
    out += '\n';
  }
  return out;
}

}  // namespace swhub::sdk
