#pragma once
// Decodes a CSV manifest, one house waybill at a time (README.md "CSV form").

#include <memory>

#include "settings.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::plugins::express_manifest {

std::unique_ptr<sdk::Decoder> openCsvDecoder(sdk::ByteSource& input, const Settings& settings);

}  // namespace swhub::plugins::express_manifest
