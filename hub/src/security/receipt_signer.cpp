#include "security/receipt_signer.hpp"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "config/config.hpp"

namespace swhub::security {
namespace {

namespace fs = std::filesystem;

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;
using Key = std::unique_ptr<EVP_PKEY, PkeyFree>;

std::string sslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

[[noreturn]] void refuse(const std::string& path, const std::string& message) {
  throw config::ConfigError({{path, message}});
}

// "ed25519", "ecdsa-p256-sha256", or "" for any other key.
std::string algorithmOf(EVP_PKEY* key, std::string& kind) {
  const int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_ED25519) return "ed25519";
  if (id == EVP_PKEY_EC) {
    char group[64] = {0};
    std::size_t length = 0;
    if (EVP_PKEY_get_group_name(key, group, sizeof group, &length) == 1 && std::string(group) == "prime256v1") {
      return "ecdsa-p256-sha256";
    }
    kind = std::string("EC ") + group;
    return "";
  }
  kind = EVP_PKEY_get0_type_name(key) != nullptr ? EVP_PKEY_get0_type_name(key) : "unknown";
  return "";
}

std::string pemOf(X509* cert) {
  Bio out(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_X509(out.get(), cert);
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string base64(const unsigned char* bytes, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

const EVP_MD* digestFor(const std::string& algorithm) { return algorithm == "ed25519" ? nullptr : EVP_sha256(); }

// A file only its owner reads, written whole under a temporary name and renamed into place.
void writePrivate(const fs::path& path, const std::string& text, mode_t mode) {
  const fs::path temporary = path.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (fd < 0) throw std::runtime_error("receipts: cannot write " + temporary.string());
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written || std::rename(temporary.c_str(), path.c_str()) != 0) {
    throw std::runtime_error("receipts: cannot write " + path.string());
  }
}

void addExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  if (extension != nullptr) {
    X509_add_ext(cert, extension, -1);
    X509_EXTENSION_free(extension);
  }
}

// A P-256 key and a self-signed certificate for it (CN "swhub receipts", ten years), both PEM.
std::pair<std::string, std::string> makeKeyAndCertificate() {
  Key key(EVP_EC_gen("P-256"));
  if (!key) throw std::runtime_error("receipts: cannot make a key: " + sslError());
  Cert cert(X509_new(), &X509_free);
  X509_set_version(cert.get(), 2);
  std::unique_ptr<BIGNUM, decltype(&BN_free)> serial(BN_new(), &BN_free);
  BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY);
  BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_time_adj_ex(X509_getm_notAfter(cert.get()), 3650, 0, nullptr);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("swhub receipts"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  addExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  addExtension(cert.get(), NID_key_usage, "critical,digitalSignature,nonRepudiation");
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) throw std::runtime_error("receipts: cannot sign: " + sslError());
  Bio keyOut(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_PrivateKey(keyOut.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(keyOut.get(), &data);
  return {std::string(data, static_cast<std::size_t>(size)), pemOf(cert.get())};
}

}  // namespace

ReceiptSigner::ReceiptSigner(Key key, std::string algorithm, std::string certificatePem, std::string keyPath,
                             std::string certPath)
    : key_(std::move(key)),
      algorithm_(std::move(algorithm)),
      certificatePem_(std::move(certificatePem)),
      keyPath_(std::move(keyPath)),
      certPath_(std::move(certPath)) {}

std::unique_ptr<ReceiptSigner> ReceiptSigner::load(const std::string& keyPath, const std::string& certPath) {
  Bio keyFile(BIO_new_file(keyPath.c_str(), "r"), &BIO_free);
  if (!keyFile) refuse("hub.receipts.key", "cannot read " + keyPath);
  Key key(PEM_read_bio_PrivateKey(keyFile.get(), nullptr, nullptr, nullptr));
  if (!key) refuse("hub.receipts.key", keyPath + " holds no PEM private key (unencrypted): " + sslError());
  std::string kind;
  std::string algorithm = algorithmOf(key.get(), kind);
  if (algorithm.empty()) refuse("hub.receipts.key", keyPath + " is a " + kind + " key; an Ed25519 or ECDSA P-256 key signs receipts");
  Bio certFile(BIO_new_file(certPath.c_str(), "r"), &BIO_free);
  if (!certFile) refuse("hub.receipts.cert", "cannot read " + certPath);
  Cert cert(PEM_read_bio_X509(certFile.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!cert) refuse("hub.receipts.cert", certPath + " holds no PEM certificate: " + sslError());
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    refuse("hub.receipts.cert", certPath + " is not the certificate of hub.receipts.key " + keyPath);
  }
  return std::unique_ptr<ReceiptSigner>(
      new ReceiptSigner(std::move(key), std::move(algorithm), pemOf(cert.get()), keyPath, certPath));
}

std::unique_ptr<ReceiptSigner> ReceiptSigner::loadOrMake(const fs::path& folder, bool& made) {
  const fs::path keyPath = folder / kKeyFile;
  const fs::path certPath = folder / kCertFile;
  std::error_code error;
  const bool haveKey = fs::exists(keyPath, error);
  const bool haveCert = fs::exists(certPath, error);
  made = false;
  if (haveCert && !haveKey) {
    throw std::runtime_error("receipts: " + certPath.string() + " is there without its key " + keyPath.string() +
                             ": restore the key, or move the certificate away to make a new pair");
  }
  if (!haveCert) {
    // The key is written first and the certificate last: a start cut short between them leaves
    // a key without a certificate, which has signed nothing, and is made again.
    fs::create_directories(folder, error);
    auto [keyPem, certPem] = makeKeyAndCertificate();
    writePrivate(keyPath, keyPem, 0600);
    writePrivate(certPath, certPem, 0644);
    made = true;
  }
  return load(keyPath.string(), certPath.string());
}

std::string ReceiptSigner::sign(std::string_view bytes) const {
  Stream s = stream();
  s.update(bytes);
  return s.finish();
}

ReceiptSigner::Stream::Stream(const ReceiptSigner& signer) : signer_(signer), context_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
  if (!context_ || EVP_DigestSignInit(context_.get(), nullptr, digestFor(signer_.algorithm_), nullptr,
                                      signer_.key_.get()) != 1) {
    throw std::runtime_error("receipts: cannot start a signature: " + sslError());
  }
}

void ReceiptSigner::Stream::update(std::string_view bytes) {
  if (signer_.algorithm_ == "ed25519") {
    held_.append(bytes);
    return;
  }
  if (EVP_DigestSignUpdate(context_.get(), bytes.data(), bytes.size()) != 1) {
    throw std::runtime_error("receipts: cannot sign: " + sslError());
  }
}

std::string ReceiptSigner::Stream::finish() {
  std::size_t size = 0;
  const bool oneShot = signer_.algorithm_ == "ed25519";
  auto* in = reinterpret_cast<const unsigned char*>(held_.data());
  if ((oneShot ? EVP_DigestSign(context_.get(), nullptr, &size, in, held_.size())
               : EVP_DigestSignFinal(context_.get(), nullptr, &size)) != 1) {
    throw std::runtime_error("receipts: cannot sign: " + sslError());
  }
  std::string signature(size, '\0');
  auto* out = reinterpret_cast<unsigned char*>(signature.data());
  if ((oneShot ? EVP_DigestSign(context_.get(), out, &size, in, held_.size())
               : EVP_DigestSignFinal(context_.get(), out, &size)) != 1) {
    throw std::runtime_error("receipts: cannot sign: " + sslError());
  }
  return base64(out, size);
}

}  // namespace swhub::security
