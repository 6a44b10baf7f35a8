#pragma once
// The hub's receipt key (issue 10, item 1): an Ed25519 or ECDSA P-256 private key and the
// certificate that partners verify receipts with (GET /v1/receipts/certificate). Immutable once
// loaded; sign() and stream() may be called from any thread.

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace swhub::security {

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

class ReceiptSigner {
 public:
  // hub.receipts: key and certificate as configured. Throws config::ConfigError naming
  // hub.receipts.key / hub.receipts.cert when a file cannot be read, the key is neither Ed25519
  // nor P-256, or the certificate is not the key's.
  static std::unique_ptr<ReceiptSigner> load(const std::string& keyPath, const std::string& certPath);

  // No hub.receipts: `folder`/receipts.key and receipts.crt, made at the first start (a P-256
  // key, mode 0600, and a self-signed certificate valid ten years) and loaded on every later one.
  // `made` says whether they were made now. Throws std::runtime_error when they cannot be written,
  // or when the certificate is there without its key (never replaced silently: it verifies the
  // receipts already given).
  static std::unique_ptr<ReceiptSigner> loadOrMake(const std::filesystem::path& folder, bool& made);

  static constexpr const char* kKeyFile = "receipts.key";
  static constexpr const char* kCertFile = "receipts.crt";

  // "ed25519" or "ecdsa-p256-sha256" (the receipt's signature_alg).
  const std::string& algorithm() const { return algorithm_; }
  const std::string& certificatePem() const { return certificatePem_; }
  const std::string& keyPath() const { return keyPath_; }
  const std::string& certPath() const { return certPath_; }

  // The signature of `bytes`, base64: DER (r, s) for ECDSA over SHA-256, the 64 raw bytes for Ed25519.
  std::string sign(std::string_view bytes) const;

  // The same signature over bytes given piece by piece (a large receipt): ECDSA hashes as it goes;
  // Ed25519 signs in one pass, so its pieces are kept until finish().
  class Stream {
   public:
    void update(std::string_view bytes);
    std::string finish();

   private:
    friend class ReceiptSigner;
    Stream(const ReceiptSigner& signer);
    const ReceiptSigner& signer_;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context_;
    std::string held_;  // Ed25519 only
  };
  Stream stream() const { return Stream(*this); }

 private:
  ReceiptSigner(std::unique_ptr<EVP_PKEY, PkeyFree> key, std::string algorithm, std::string certificatePem,
                std::string keyPath, std::string certPath);

  std::unique_ptr<EVP_PKEY, PkeyFree> key_;
  std::string algorithm_;
  std::string certificatePem_;
  std::string keyPath_;
  std::string certPath_;
};

}  // namespace swhub::security
