// The receipt key: Ed25519 and P-256 keys load and sign what OpenSSL verifies, a streamed
// signature equals a one-shot one's validity, a key made at the first start is kept, and the
// errors name their setting.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/config.hpp"
#include "security/receipt_signer.hpp"
#include "temp_dir.hpp"

namespace swhub::security {
namespace {

using testing::TempDir;

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void openssl(const TempDir& dir, const std::string& command) {
  ASSERT_EQ(std::system(("cd '" + dir.path().string() + "' && openssl " + command + " > /dev/null 2>&1").c_str()), 0)
      << command;
}

// Verifies `signatureBase64` over `bytes` with the public key of `certificatePem`.
bool verifies(const std::string& certificatePem, const std::string& bytes, const std::string& signatureBase64) {
  BIO* bio = BIO_new_mem_buf(certificatePem.data(), static_cast<int>(certificatePem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (cert == nullptr) return false;
  EVP_PKEY* key = X509_get_pubkey(cert);
  std::string signature(signatureBase64.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(signature.data()),
                          reinterpret_cast<const unsigned char*>(signatureBase64.data()),
                          static_cast<int>(signatureBase64.size()));
  // EVP_DecodeBlock counts the padding as bytes.
  for (auto it = signatureBase64.rbegin(); it != signatureBase64.rend() && *it == '='; ++it) --n;
  signature.resize(static_cast<std::size_t>(n));
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  const EVP_MD* md = EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
  const bool ok = EVP_DigestVerifyInit(context, nullptr, md, nullptr, key) == 1 &&
                  EVP_DigestVerify(context, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                                   reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()) == 1;
  EVP_MD_CTX_free(context);
  EVP_PKEY_free(key);
  X509_free(cert);
  return ok;
}

TEST(receipt_signer, AnEd25519KeySignsDeterministicallyAndStreamsTheSame) {
  TempDir dir;
  openssl(dir, "genpkey -algorithm ed25519 -out k.pem");
  openssl(dir, "req -new -x509 -key k.pem -out c.pem -days 2 -subj /CN=r");
  auto signer = ReceiptSigner::load(dir.file("k.pem"), dir.file("c.pem"));
  EXPECT_EQ(signer->algorithm(), "ed25519");
  const std::string text = "swhub-receipt-v1\ntype=message\n";
  const std::string signature = signer->sign(text);
  EXPECT_TRUE(verifies(signer->certificatePem(), text, signature));
  EXPECT_FALSE(verifies(signer->certificatePem(), text + "x", signature));
  EXPECT_EQ(signer->sign(text), signature);
  auto stream = signer->stream();
  stream.update("swhub-receipt-v1\n");
  stream.update("type=message\n");
  EXPECT_EQ(stream.finish(), signature);
}

TEST(receipt_signer, AP256KeySignsWhatOpensslVerifiesWholeOrStreamed) {
  TempDir dir;
  openssl(dir, "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout k.pem -out c.pem -days 2 -subj /CN=r");
  auto signer = ReceiptSigner::load(dir.file("k.pem"), dir.file("c.pem"));
  EXPECT_EQ(signer->algorithm(), "ecdsa-p256-sha256");
  EXPECT_TRUE(verifies(signer->certificatePem(), "abc\n", signer->sign("abc\n")));
  auto stream = signer->stream();
  stream.update("ab");
  stream.update("c\n");
  const std::string streamed = stream.finish();
  EXPECT_TRUE(verifies(signer->certificatePem(), "abc\n", streamed));
  EXPECT_FALSE(verifies(signer->certificatePem(), "abd\n", streamed));
}

TEST(receipt_signer, AnotherCurveIsRefusedNamingTheSetting) {
  TempDir dir;
  openssl(dir, "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout k.pem -out c.pem -days 2 -subj /CN=r");
  try {
    ReceiptSigner::load(dir.file("k.pem"), dir.file("c.pem"));
    FAIL() << "loaded";
  } catch (const config::ConfigError& e) {
    EXPECT_EQ(e.errors(), (sdk::Errors{{"hub.receipts.key", dir.file("k.pem") + " is a EC secp384r1 key; an Ed25519 or "
                                                                                "ECDSA P-256 key signs receipts"}}));
  }
}

TEST(receipt_signer, AKeyMadeAtTheFirstStartIsKeptAndOnlyItsOwnerReadsIt) {
  TempDir dir;
  bool made = false;
  auto first = ReceiptSigner::loadOrMake(dir.path() / "var", made);
  EXPECT_TRUE(made);
  EXPECT_EQ(first->algorithm(), "ecdsa-p256-sha256");
  EXPECT_EQ(read(dir.path() / "var" / "receipts.crt"), first->certificatePem());
  struct stat key {};
  ASSERT_EQ(::stat((dir.path() / "var" / "receipts.key").c_str(), &key), 0);
  EXPECT_EQ(key.st_mode & 0777, 0600u);
  auto second = ReceiptSigner::loadOrMake(dir.path() / "var", made);
  EXPECT_FALSE(made);
  EXPECT_EQ(second->certificatePem(), first->certificatePem());
  EXPECT_TRUE(verifies(first->certificatePem(), "x", second->sign("x")));
}

TEST(receipt_signer, ACertificateWithoutItsKeyIsNeverReplaced) {
  TempDir dir;
  bool made = false;
  ReceiptSigner::loadOrMake(dir.path(), made);
  std::filesystem::remove(dir.path() / "receipts.key");
  const std::string before = read(dir.path() / "receipts.crt");
  try {
    ReceiptSigner::loadOrMake(dir.path(), made);
    FAIL() << "made a new pair";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "receipts: " + dir.file("receipts.crt") + " is there without its key " +
                                         dir.file("receipts.key") +
                                         ": restore the key, or move the certificate away to make a new pair");
  }
  EXPECT_EQ(read(dir.path() / "receipts.crt"), before);
}

}  // namespace
}  // namespace swhub::security
