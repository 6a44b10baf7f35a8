// Access over TLS (issue 10, item 7): a hub with require_client_cert and a CRL, certificates made
// by the openssl command for the test (tests/integration/test_pki.hpp). No certificate, one from
// an unknown CA, an expired one and a revoked one are refused at the handshake: OpenSSL verifies
// the chain, the dates and the CRL before a byte of HTTP is read, so the client gets the TLS alert
// that says why and the hub never sees a request (no 401 is possible: there is no HTTP exchange to
// answer in). A valid certificate of one partner reads nothing of another's: a 404 exactly like a
// missing object's.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <memory>
#include <optional>

#include "hub_process.hpp"
#include "test_pki.hpp"

namespace swhub::testing {
namespace {

// A client's key pair; empty = no client certificate.
struct ClientCert {
  std::string pem;
  std::string key;
};

struct Answer {
  bool refused = false;  // no HTTP answer: the TLS handshake (or the first read after it) failed
  std::string error;     // then: what the TLS layer said
  int status = 0;
  std::string body;
};

// Everything of the test: the hub's CA (server, clients, the CRL), a stranger CA, the hub.
class TlsAccess : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { Poco::Net::initializeSSL(); }
  static void TearDownTestSuite() { Poco::Net::uninitializeSSL(); }

  void SetUp() override {
    hubCa_ = std::make_unique<TestCa>(dir_.path(), "hub-ca");
    hubCa_->issue("server", "127.0.0.1", false, "127.0.0.1");
    post_ = client(*hubCa_, "post", "post-client");
    shop_ = client(*hubCa_, "shop", "shop-client");
    customs_ = client(*hubCa_, "customs", "customs-client");
    nobody_ = client(*hubCa_, "nobody", "nobody-client");  // valid, but mapped to no identity
    // The post's earlier certificate, revoked; and one whose validity ended in 2020. Same CN.
    revoked_ = client(*hubCa_, "post-revoked", "post-client");
    hubCa_->revoke("post-revoked");
    expired_ = client(*hubCa_, "post-expired", "post-client", true);
    // A CA the hub does not trust, issuing a certificate with the post's very CN.
    stranger_ = std::make_unique<TestCa>(dir_.path(), "stranger-ca");
    forged_ = client(*stranger_, "post-forged", "post-client");
    writeFile(dir_.file("hub.yaml"), config(hubCa_->crl()));
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{"serve", "--config", dir_.file("hub.yaml")});
  }

  static ClientCert client(TestCa& ca, const std::string& file, const std::string& cn, bool expired = false) {
    ca.issue(file, cn, expired);
    return {ca.pem(file), ca.key(file)};
  }

  std::string config(const std::string& crl) const {
    return "hub:\n  listen: 127.0.0.1:0\n  journal: sqlite:journal.db\n  plugin_dir: " + std::string(SWHUB_PLUGIN_DIR) +
           "\n  tls:\n    cert: hub-ca/server.pem\n    key: hub-ca/server.key\n    ca: hub-ca/ca.pem\n"
           "    require_client_cert: true\n    crl: " + crl +
           "\nplugins:\n  canonical: {library: swhub_canonical.so}\n"
           "partners:\n"
           "  demo-post: {kind: postal, plugin: canonical, credentials: {certificates: [post-client]}}\n"
           "  demo-shop: {kind: other, plugin: canonical, credentials: {certificates: [shop-client]}}\n"
           "agencies:\n  customs: {credentials: {certificates: [customs-client]}}\n"
           "routes:\n  - {name: all, require: [customs]}\n";
  }

  Answer call(const std::optional<ClientCert>& cert, const std::string& method, const std::string& path,
              const std::string& body = "") {
    Poco::Net::Context::Ptr context = clientContext(cert);
    const std::string& address = hub_->address();
    const auto colon = address.rfind(':');
    Answer answer;
    try {
      Poco::Net::HTTPSClientSession session(address.substr(0, colon),
                                            static_cast<Poco::UInt16>(std::stoi(address.substr(colon + 1))), context);
      session.setTimeout(Poco::Timespan(20, 0));
      Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
      if (!body.empty()) {
        request.setContentType(method == "POST" && path == "/v1/messages" ? "application/vnd.swhub.consignment+json"
                                                                        : "application/json");
        request.setContentLength64(static_cast<Poco::Int64>(body.size()));
      }
      session.sendRequest(request) << body;
      Poco::Net::HTTPResponse response;
      Poco::StreamCopier::copyToString(session.receiveResponse(response), answer.body);
      answer.status = response.getStatus();
    } catch (const Poco::Exception& e) {
      answer.refused = true;
      answer.error = e.displayText();
    }
    return answer;
  }

  Poco::Net::Context::Ptr clientContext(const std::optional<ClientCert>& cert) const {
    Poco::Net::Context::Params params;
    params.caLocation = hubCa_->caPem();
    if (cert) {
      params.certificateFile = cert->pem;
      params.privateKeyFile = cert->key;
    }
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
    params.loadDefaultCAs = false;
    return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  }

  // The handshake alone (OpenSSL, TLS 1.2 or 1.3), then a read with nothing sent: the TLS layer's
  // reason when the hub refuses the client ("" when it did not). With TLS 1.3 the client's side of
  // the handshake ends before the hub has checked its certificate, so the hub's alert arrives with
  // the first read; a client that had sent a request meanwhile could see the reset of the hub's
  // close instead, which is why nothing is sent here.
  std::string handshakeRefusal(const std::optional<ClientCert>& cert) {
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(SSL_CTX_new(TLS_client_method()), &SSL_CTX_free);
    SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
    SSL_CTX_load_verify_locations(context.get(), hubCa_->caPem().c_str(), nullptr);
    SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER, nullptr);
    if (cert) {
      SSL_CTX_use_certificate_file(context.get(), cert->pem.c_str(), SSL_FILETYPE_PEM);
      SSL_CTX_use_PrivateKey_file(context.get(), cert->key.c_str(), SSL_FILETYPE_PEM);
    }
    std::unique_ptr<BIO, decltype(&BIO_free_all)> bio(BIO_new_ssl_connect(context.get()), &BIO_free_all);
    BIO_set_conn_hostname(bio.get(), hub_->address().c_str());
    ERR_clear_error();
    std::string said;
    char byte = 0;
    if (BIO_do_connect(bio.get()) <= 0 || BIO_do_handshake(bio.get()) <= 0 || BIO_read(bio.get(), &byte, 1) <= 0) {
      while (const unsigned long code = ERR_get_error()) {
        char text[256];
        ERR_error_string_n(code, text, sizeof text);
        said += std::string(text) + "; ";
      }
      if (said.empty()) said = "closed without a TLS alert";
    }
    return said;
  }

  // Refused at the TLS layer with `alert`, and no HTTP answer to a request; then the hub still
  // serves.
  void expectRefused(const std::optional<ClientCert>& cert, const std::string& alert) {
    const std::string said = handshakeRefusal(cert);
    EXPECT_NE(said.find(alert), std::string::npos) << said;
    const Answer refused = call(cert, "GET", "/v1/notifications");
    EXPECT_TRUE(refused.refused) << refused.status << " " << refused.body;
    const Answer served = call(post_, "GET", "/v1/notifications");
    EXPECT_EQ(served.status, 200) << served.error << served.body;
  }

  std::string file(const ClientCert& cert, const std::string& reference) {
    const Answer filed = call(cert, "POST", "/v1/messages", exampleFiling(reference));
    EXPECT_EQ(filed.status, 202) << filed.error << filed.body;
    if (filed.status != 202) return "";
    auto receipt = Poco::JSON::Parser().parse(filed.body).extract<Poco::JSON::Object::Ptr>();
    return receipt->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
  }

  TempDir dir_;
  std::unique_ptr<TestCa> hubCa_, stranger_;
  ClientCert post_, shop_, customs_, nobody_, revoked_, expired_, forged_;
  std::unique_ptr<HubProcess> hub_;
};

void replaceAll(std::string& text, const std::string& what, const std::string& with) {
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

TEST_F(TlsAccess, AValidClientCertificateIdentifiesItsPartner) {
  EXPECT_FALSE(file(post_, "TLS-POST-1").empty());
  EXPECT_EQ(call(shop_, "GET", "/v1/notifications").status, 200);
}

// Past the handshake the hub answers: a valid certificate of no one is a 401 problem.
TEST_F(TlsAccess, AValidCertificateOfNoIdentityIs401) {
  const Answer answer = call(nobody_, "GET", "/v1/notifications");
  EXPECT_EQ(answer.status, 401) << answer.error;
  EXPECT_NE(answer.body.find("\"type\":\"urn:swhub:problem:unauthenticated\""), std::string::npos) << answer.body;
}

TEST_F(TlsAccess, NoClientCertificateIsRefusedAtTheHandshake) {
  expectRefused(std::nullopt, "certificate required");
}

TEST_F(TlsAccess, ACertificateFromAnUnknownCaIsRefusedAtTheHandshake) {
  expectRefused(forged_, "unknown ca");
}

TEST_F(TlsAccess, AnExpiredCertificateIsRefusedAtTheHandshake) {
  expectRefused(expired_, "certificate expired");
}

TEST_F(TlsAccess, ARevokedCertificateIsRefusedAtTheHandshake) {
  expectRefused(revoked_, "certificate revoked");
}

// The shop's own, valid certificate on the post's case, reference and notifications: everything
// reads exactly as if the post's objects did not exist.
TEST_F(TlsAccess, OnePartnersCertificateReadsNothingOfAnothers) {
  const std::string postCase = file(post_, "TLS-POST-REF");
  ASSERT_FALSE(postCase.empty());
  const std::string missing = "C-0000000000000000000000000Z";
  // The post's case is decided, so that the post has a notification the shop must not see.
  const Answer decided = call(customs_, "POST", "/v1/agency/decisions",
                              R"({"case_id":")" + postCase +
                                  R"(","decision":"hold","reason":"t","decided_at":"2026-11-28T09:00:00Z"})");
  ASSERT_EQ(decided.status, 200) << decided.error << decided.body;

  const Answer own = call(post_, "GET", "/v1/cases/" + postCase);
  EXPECT_EQ(own.status, 200) << own.body;
  Answer foreign = call(shop_, "GET", "/v1/cases/" + postCase);
  const Answer absent = call(shop_, "GET", "/v1/cases/" + missing);
  EXPECT_EQ(foreign.status, 404);
  replaceAll(foreign.body, postCase, missing);
  EXPECT_EQ(foreign.body, absent.body);

  Answer byReference = call(shop_, "GET", "/v1/cases?reference=TLS-POST-REF");
  const Answer noReference = call(shop_, "GET", "/v1/cases?reference=TLS-NO-SUCH-REF");
  EXPECT_EQ(byReference.status, noReference.status);
  replaceAll(byReference.body, "TLS-POST-REF", "TLS-NO-SUCH-REF");
  EXPECT_EQ(byReference.body, noReference.body);
  EXPECT_EQ(byReference.body.find(postCase), std::string::npos);
  // Naming the owner widens nothing.
  EXPECT_EQ(call(shop_, "GET", "/v1/cases?reference=TLS-POST-REF&partner=demo-post").body.find(postCase),
            std::string::npos);

  const Answer postNotes = call(post_, "GET", "/v1/notifications?after=0");
  EXPECT_NE(postNotes.body.find(postCase), std::string::npos) << postNotes.body;
  const Answer shopNotes = call(shop_, "GET", "/v1/notifications?after=0");
  EXPECT_EQ(shopNotes.status, 200);
  EXPECT_EQ(shopNotes.body.find(postCase), std::string::npos) << shopNotes.body;
}

// A revocation list that is not one stops the start, naming the setting: never a hub that would
// accept revoked certificates because its list did not parse.
TEST_F(TlsAccess, AFileWithoutACrlStopsTheStart) {
  writeFile(dir_.file("not-a.crl"), "not a CRL\n");
  writeFile(dir_.file("bad-crl.yaml"), config(dir_.file("not-a.crl")));
  const auto [code, output] = runSwhub({"serve", "--config", dir_.file("bad-crl.yaml"), "--journal",
                                         "sqlite:" + dir_.file("other.db")});
  EXPECT_EQ(code, 1);
  EXPECT_NE(output.find("hub.tls.crl: " + dir_.file("not-a.crl") + " holds no PEM certificate revocation list"),
            std::string::npos)
      << output;
}

}  // namespace
}  // namespace swhub::testing
