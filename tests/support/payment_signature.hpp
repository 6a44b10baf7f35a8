#pragma once
// The signature header a payment provider sends with each event (plugins/partners/payment):
// x-swhub-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>.

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <ctime>
#include <string>

namespace swhub::testing {

inline std::string hmacHex(const std::string& secret, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 0xF];
  }
  return out;
}

inline std::string paymentSignature(const std::string& body, std::int64_t t, const std::string& secret) {
  return "t=" + std::to_string(t) + ",v1=" + hmacHex(secret, std::to_string(t) + "." + body);
}

inline std::int64_t nowSeconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

}  // namespace swhub::testing
