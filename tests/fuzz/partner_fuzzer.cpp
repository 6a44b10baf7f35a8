// libFuzzer target for one partner plugin's decoder, called through the SDK as the hub calls it:
// the partner SWHUB_FUZZ_PARTNER of config/hub.yaml (its plugin loaded from the fuzz build, its
// settings validated by the hub's loader), a message of content type SWHUB_FUZZ_CONTENT_TYPE,
// open() then next() to the end. Any crash, sanitizer report, exception across the boundary
// (next() is noexcept: it terminates) or decoder that does not end is a finding.
//
// With SWHUB_FUZZ_SIGNED (payment events) the harness signs each input with the partner's secret
// as the provider would, so that the fuzzer reaches the JSON behind the signature check; an input
// whose first line starts with "t=" carries its own signature header instead (that line), so the
// header parser is fuzzed too.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "partner_support.hpp"

#ifdef SWHUB_FUZZ_SIGNED
#include <openssl/evp.h>
#include <openssl/hmac.h>
#endif

namespace {

// When the hub received every message (MessageContext::received_at), and the same instant in
// unix seconds for the signature's timestamp.
constexpr const char* kReceivedAt = "2026-11-28T08:00:00.000Z";
[[maybe_unused]] constexpr std::int64_t kReceivedAtUnix = 1795852800;

// Never destroyed, as the hub keeps its plugins loaded until it exits: a library unloaded at exit
// would leave LeakSanitizer's report of what it still holds without symbols.
swhub::fuzz::ExamplePartner* partner = nullptr;

#ifdef SWHUB_FUZZ_SIGNED
std::string signatureHeader(std::string_view body) {
  const swhub::sdk::Value* secret = partner->settings().find("secret");
  if (secret == nullptr) swhub::fuzz::fail("the partner's settings have no secret");
  const std::string signedText = std::to_string(kReceivedAtUnix) + "." + std::string(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int macSize = 0;
  HMAC(EVP_sha256(), secret->asString().data(), static_cast<int>(secret->asString().size()),
       reinterpret_cast<const unsigned char*>(signedText.data()), signedText.size(), mac, &macSize);
  static const char* kHex = "0123456789abcdef";
  std::string header = "t=" + std::to_string(kReceivedAtUnix) + ",v1=";
  for (unsigned int i = 0; i < macSize; ++i) {
    header += kHex[mac[i] >> 4];
    header += kHex[mac[i] & 0xf];
  }
  return header;
}
#endif

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  partner = new swhub::fuzz::ExamplePartner(SWHUB_FUZZ_PARTNER);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  swhub::sdk::MessageContext context;
  context.partner = SWHUB_FUZZ_PARTNER;
  context.content_type = SWHUB_FUZZ_CONTENT_TYPE;
  context.received_at = kReceivedAt;
#ifdef SWHUB_FUZZ_SIGNED
  if (bytes.substr(0, 2) == "t=") {
    const auto end = bytes.find('\n');
    context.headers.emplace_back("x-swhub-signature", std::string(bytes.substr(0, end)));
    bytes = end == std::string_view::npos ? std::string_view() : bytes.substr(end + 1);
  } else {
    context.headers.emplace_back("x-swhub-signature", signatureHeader(bytes));
  }
#endif
  // Small reads on some inputs: a streaming decoder must not care where a read ends.
  const std::size_t chunk = size % 3 == 0 ? 7 : 65536;
  swhub::fuzz::drain(partner->plugin(), context, bytes, chunk);
  return 0;
}
