#pragma once
// Decodes a JSON manifest, yielding each house as soon as its object is complete (README.md
// "JSON form").

#include <memory>

#include "settings.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::plugins::express_manifest {

std::unique_ptr<sdk::Decoder> openJsonDecoder(sdk::ByteSource& input, const Settings& settings);

}  // namespace swhub::plugins::express_manifest
