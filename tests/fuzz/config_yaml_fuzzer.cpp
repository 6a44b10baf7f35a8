// libFuzzer target for the YAML configuration loader (hub/src/config): parse, then validate
// against hubSchema() and build the HubConfig. A bad file must come out as one ConfigError listing
// its errors (the control plane fails fast with a message); any other exception, crash or
// sanitizer report is a finding.

#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace swhub;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const sdk::Value document = config::parseYamlString(text, "fuzz.yaml");
    (void)config::buildConfig(document, "fuzz.yaml");
  } catch (const config::ConfigError&) {
    // refused with its errors, as it should be
  }
  return 0;
}
