#include "security/signature_check.hpp"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <stdexcept>
#include <vector>

namespace swhub::security {
namespace {

// Base64 to bytes; false when it is not base64.
bool decodeBase64(const std::string& text, std::vector<unsigned char>& out) {
  if (text.empty() || text.size() % 4 != 0) return false;
  out.resize(text.size() / 4 * 3);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return false;
  // EVP_DecodeBlock counts the padding as zero bytes.
  std::size_t size = static_cast<std::size_t>(n);
  if (text.back() == '=') --size;
  if (text.size() >= 2 && text[text.size() - 2] == '=') --size;
  out.resize(size);
  return true;
}

}  // namespace

std::unique_ptr<SignatureCheck> SignatureCheck::fromCertificateFile(const std::string& path) {
  std::unique_ptr<BIO, decltype(&BIO_free)> file(BIO_new_file(path.c_str(), "r"), &BIO_free);
  if (!file) throw std::runtime_error("cannot read the receipt certificate " + path);
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(file.get(), nullptr, nullptr, nullptr),
                                                   &X509_free);
  if (!cert) throw std::runtime_error(path + " is not a PEM certificate");
  EVP_PKEY* key = X509_get_pubkey(cert.get());
  if (key == nullptr) throw std::runtime_error(path + ": the certificate's public key cannot be read");
  return std::unique_ptr<SignatureCheck>(new SignatureCheck(key));
}

bool SignatureCheck::verify(std::string_view bytes, const std::string& signature_base64) const {
  std::vector<unsigned char> signature;
  if (!decodeBase64(signature_base64, signature)) return false;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  const EVP_MD* digest = EVP_PKEY_get_id(key_.get()) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
  if (!context || EVP_DigestVerifyInit(context.get(), nullptr, digest, nullptr, key_.get()) != 1) return false;
  return EVP_DigestVerify(context.get(), signature.data(), signature.size(),
                          reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()) == 1;
}

}  // namespace swhub::security
