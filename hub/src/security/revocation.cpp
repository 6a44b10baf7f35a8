#include "security/revocation.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <memory>
#include <stdexcept>

namespace swhub::security {

int enableRevocationCheck(SSL_CTX* context, const std::string& path) {
  std::unique_ptr<BIO, decltype(&BIO_free)> file(BIO_new_file(path.c_str(), "r"), &BIO_free);
  if (!file) throw std::runtime_error("hub.tls.crl: cannot read " + path);
  X509_STORE* store = SSL_CTX_get_cert_store(context);
  int count = 0;
  while (X509_CRL* crl = PEM_read_bio_X509_CRL(file.get(), nullptr, nullptr, nullptr)) {
    const int added = X509_STORE_add_crl(store, crl);
    X509_CRL_free(crl);
    if (added != 1) throw std::runtime_error("hub.tls.crl: " + path + ": a CRL could not be added");
    ++count;
  }
  ERR_clear_error();  // the end of the file reads as an error
  if (count == 0) throw std::runtime_error("hub.tls.crl: " + path + " holds no PEM certificate revocation list");
  // The store's flags and the context's own parameters: a connection inherits the latter.
  X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
  X509_VERIFY_PARAM_set_flags(SSL_CTX_get0_param(context), X509_V_FLAG_CRL_CHECK);
  return count;
}

}  // namespace swhub::security
