#include "swhub/sdk/plugin.hpp"

namespace swhub::sdk {

std::string_view toString(PluginKind kind) {
  switch (kind) {
    case PluginKind::Partner: return "partner";
    case PluginKind::Agency: return "agency";
    case PluginKind::Adapter: return "adapter";
  }
  return "unknown";
}

}  // namespace swhub::sdk
