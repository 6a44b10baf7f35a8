#pragma once
// Plugins built into the hub, registered by name like a loaded library (as Envoy registers its
// core extensions): `canonical`, the hub's own partner format (README.md in this folder).

#include "swhub/sdk/plugin.hpp"

namespace swhub::builtin {

// The descriptor of the built-in `canonical` partner plugin (name, version, settings schema,
// factory); it lives as long as the hub.
const sdk::Descriptor& canonicalDescriptor();

}  // namespace swhub::builtin
