#include "common/sha256.hpp"

#include <openssl/evp.h>

#include <charconv>
#include <stdexcept>

namespace swhub::common {
namespace {

const EVP_MD* sha256() {
  static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);  // kept for the process
  if (md == nullptr) throw std::runtime_error("SHA-256 is not available from OpenSSL");
  return md;
}

}  // namespace

Sha256::Sha256() : context_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
  if (!context_ || EVP_DigestInit_ex(context_.get(), sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 cannot be started");
  }
}

Sha256& Sha256::update(std::string_view bytes) {
  EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size());
  return *this;
}

Sha256& Sha256::field(std::string_view bytes) {
  char length[24];
  auto end = std::to_chars(length, length + sizeof length - 1, bytes.size()).ptr;
  *end++ = ':';
  update(std::string_view(length, static_cast<std::size_t>(end - length)));
  update(bytes);
  return update(",");
}

Sha256& Sha256::field(std::int64_t value) {
  char text[24];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  return field(std::string_view(text, static_cast<std::size_t>(end - text)));
}

std::string Sha256::hex() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(context_.get(), md, &size);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (unsigned int i = 0; i < size; ++i) {
    out[2 * i] = kDigits[md[i] >> 4];
    out[2 * i + 1] = kDigits[md[i] & 0xf];
  }
  return out;
}

}  // namespace swhub::common
