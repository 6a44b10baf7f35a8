#pragma once
// Client certificate revocation (hub.tls.crl): the CRLs of the client CAs, checked at the TLS
// handshake so that a revoked certificate never reaches a handler.

#include <openssl/ssl.h>

#include <string>

namespace swhub::security {

// Adds every PEM CRL of `path` to the context's trust store and turns on the check of the peer's
// certificate against them (X509_V_FLAG_CRL_CHECK: the leaf; a client CA without a CRL in the
// file then fails every handshake, which is why the file must hold one per CA). Returns the
// number of CRLs read. Throws std::runtime_error naming hub.tls.crl when the file cannot be read
// or holds none.
int enableRevocationCheck(SSL_CTX* context, const std::string& path);

}  // namespace swhub::security
