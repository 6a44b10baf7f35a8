// hub.tls.crl on an SSL context: a file without a CRL is refused naming the setting.
#include <gtest/gtest.h>

#include <openssl/ssl.h>

#include <fstream>
#include <memory>

#include "security/revocation.hpp"
#include "temp_dir.hpp"

namespace swhub::security {
namespace {

TEST(revocation, AFileWithoutACrlIsRefusedNamingTheSetting) {
  testing::TempDir dir;
  std::ofstream(dir.file("x.crl")) << "not a CRL\n";
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(SSL_CTX_new(TLS_server_method()), &SSL_CTX_free);
  try {
    enableRevocationCheck(context.get(), dir.file("x.crl"));
    FAIL() << "accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "hub.tls.crl: " + dir.file("x.crl") + " holds no PEM certificate revocation list");
  }
}

TEST(revocation, ACrlTurnsOnTheCheck) {
  testing::TempDir dir;
  ASSERT_EQ(std::system(("cd '" + dir.path().string() +
                         "' && touch index.txt && echo 1000 > crlnumber && "
                         "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem "
                         "-days 2 -subj /CN=ca > /dev/null 2>&1 && "
                         "printf '[ca]\\ndefault_ca=c\\n[c]\\ndatabase=index.txt\\ncrlnumber=crlnumber\\ndefault_md=sha256\\n"
                         "default_crl_days=2\\n' > ca.cnf && "
                         "openssl ca -config ca.cnf -cert ca.pem -keyfile ca.key -gencrl -out ca.crl > /dev/null 2>&1")
                            .c_str()),
            0);
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(SSL_CTX_new(TLS_server_method()), &SSL_CTX_free);
  EXPECT_EQ(enableRevocationCheck(context.get(), dir.file("ca.crl")), 1);
  EXPECT_NE(X509_VERIFY_PARAM_get_flags(SSL_CTX_get0_param(context.get())) & X509_V_FLAG_CRL_CHECK, 0u);
}

}  // namespace
}  // namespace swhub::security
