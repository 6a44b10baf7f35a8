#pragma once
// Checks the hub's signatures (receipts, audit checkpoints) with the receipt certificate, as a
// partner would with openssl: ECDSA P-256 over SHA-256 (DER) or Ed25519, base64. Immutable;
// verify() may be called from any thread.

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

namespace swhub::security {

class SignatureCheck {
 public:
  // The certificate's public key. Throws std::runtime_error naming the path when it cannot be read.
  static std::unique_ptr<SignatureCheck> fromCertificateFile(const std::string& path);

  // True when `signature_base64` is a signature of `bytes` by the certificate's key.
  bool verify(std::string_view bytes, const std::string& signature_base64) const;

 private:
  explicit SignatureCheck(EVP_PKEY* key) : key_(key, &EVP_PKEY_free) {}
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_;
};

}  // namespace swhub::security
