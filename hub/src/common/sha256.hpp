#pragma once
// SHA-256 of bytes given piece by piece, as 64 lowercase hex digits. OpenSSL's SHA-256 is fetched
// once per process: EVP_sha256() given to each digest's init is fetched again every time (OpenSSL
// 3), a lookup that was 3 % of a 200,000-line manifest's commit, which hashes every case event.

#include <openssl/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace swhub::common {

class Sha256 {
 public:
  Sha256();
  Sha256& update(std::string_view bytes);
  // The bytes as a netstring ("<len>:<bytes>,"): no two lists of fields give the same input.
  Sha256& field(std::string_view bytes);
  Sha256& field(std::int64_t value);  // its decimal text, as a field
  // Ends the digest: 64 lowercase hex digits.
  std::string hex();

 private:
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context_;
};

}  // namespace swhub::common
