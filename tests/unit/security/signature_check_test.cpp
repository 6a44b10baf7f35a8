// SignatureCheck: what the receipt key signs (receipts, audit checkpoints) verifies with its
// certificate, Ed25519 and P-256; anything else does not.
#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>

#include "security/receipt_signer.hpp"
#include "security/signature_check.hpp"
#include "temp_dir.hpp"

namespace swhub::security {
namespace {

using testing::TempDir;

void openssl(const TempDir& dir, const std::string& command) {
  ASSERT_EQ(std::system(("cd '" + dir.path().string() + "' && openssl " + command + " > /dev/null 2>&1").c_str()), 0)
      << command;
}

void expectRoundTrip(const TempDir& dir) {
  auto signer = ReceiptSigner::load(dir.file("k.pem"), dir.file("c.pem"));
  auto check = SignatureCheck::fromCertificateFile(dir.file("c.pem"));
  const std::string text = "swhub audit checkpoint\nseq: 12\nhead: abc\nat: 2026-12-06T08:00:00.000Z\n";
  const std::string signature = signer->sign(text);
  EXPECT_TRUE(check->verify(text, signature));
  EXPECT_FALSE(check->verify(text + "x", signature));
  EXPECT_FALSE(check->verify(text, "bm90IGEgc2lnbmF0dXJl"));
  EXPECT_FALSE(check->verify(text, "not base64!"));
  EXPECT_FALSE(check->verify(text, ""));
}

TEST(signature_check, AnEd25519SignatureVerifiesWithTheCertificate) {
  TempDir dir;
  openssl(dir, "genpkey -algorithm ed25519 -out k.pem");
  openssl(dir, "req -new -x509 -key k.pem -out c.pem -days 2 -subj /CN=r");
  expectRoundTrip(dir);
}

TEST(signature_check, AP256SignatureVerifiesWithTheCertificate) {
  TempDir dir;
  openssl(dir, "ecparam -name prime256v1 -genkey -noout -out k.pem");
  openssl(dir, "req -new -x509 -key k.pem -out c.pem -days 2 -subj /CN=r");
  expectRoundTrip(dir);
}

TEST(signature_check, AnotherKeysSignatureDoesNotVerify) {
  TempDir dir;
  openssl(dir, "ecparam -name prime256v1 -genkey -noout -out k.pem");
  openssl(dir, "req -new -x509 -key k.pem -out c.pem -days 2 -subj /CN=r");
  openssl(dir, "ecparam -name prime256v1 -genkey -noout -out other.pem");
  openssl(dir, "req -new -x509 -key other.pem -out other.crt -days 2 -subj /CN=o");
  auto signer = ReceiptSigner::load(dir.file("k.pem"), dir.file("c.pem"));
  EXPECT_FALSE(SignatureCheck::fromCertificateFile(dir.file("other.crt"))->verify("text", signer->sign("text")));
}

TEST(signature_check, AMissingCertificateIsNamed) {
  TempDir dir;
  try {
    SignatureCheck::fromCertificateFile(dir.file("none.crt"));
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read the receipt certificate " + dir.file("none.crt"));
  }
}

}  // namespace
}  // namespace swhub::security
