// libFuzzer target for the canonical JSON codec (hub/src/model): a body decoded as a partner's
// filing. Beyond "no crash, no sanitizer report, no exception" (the message path returns results),
// every consignment that decodes must come back unchanged through its own canonical JSON, as
// canonical_json.hpp promises: decodeConsignmentJson(encode(c), {.allow_hub_fields = true}) == c.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "model/canonical_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace swhub;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto decoded = model::decodeConsignmentsJson(body);
  if (!decoded) return 0;
  for (const auto& one : decoded.value()) {
    if (!one.result) continue;
    const std::string encoded = model::encodeConsignmentJson(one.result.value());
    auto again = model::decodeConsignmentJson(encoded, {.allow_hub_fields = true});
    if (!again) fuzz::fail("a decoded consignment does not decode from its own JSON " + encoded + ": " +
                           sdk::formatErrors(again.errors()));
    if (!(again.value() == one.result.value())) fuzz::fail("a consignment changed through its own JSON " + encoded);
  }
  // The notifications a partner pulls are read back by the hub with the same parser.
  (void)model::decodeNotificationsJson(body);
  return 0;
}
