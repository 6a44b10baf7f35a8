// TLS on the hub's port: certificates made by the openssl command for this test, a client
// certificate mapped to a partner in YAML, and a client without one refused.
#include <gtest/gtest.h>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>

#include <filesystem>

#include "hub_process.hpp"
#include "test_pki.hpp"

namespace swhub::testing {
namespace {

// A CA (tests/integration/test_pki.hpp), a server certificate for 127.0.0.1 and a client
// certificate for CN=demo-post-client, where the config and post() below name them.
void makeCertificates(const TempDir& dir) {
  TestCa ca(dir.path(), "pki");
  ca.issue("server", "127.0.0.1", false, "127.0.0.1");
  ca.issue("client", "demo-post-client");
  for (const char* file : {"ca.pem", "server.pem", "server.key", "client.pem", "client.key"}) {
    std::filesystem::copy_file(dir.path() / "pki" / file, dir.path() / file);
  }
}

std::string tlsConfig(const TempDir& dir, bool requireClientCert) {
  return std::string("hub:\n  listen: 127.0.0.1:0\n  journal: sqlite:journal.db\n  plugin_dir: ") + SWHUB_PLUGIN_DIR +
         "\n  tls:\n    cert: server.pem\n    key: server.key\n    ca: ca.pem\n    require_client_cert: " +
         (requireClientCert ? "true" : "false") +
         "\nplugins:\n  canonical: {library: swhub_canonical.so}\npartners:\n  demo-post:\n    kind: postal\n"
         "    plugin: canonical\n    credentials: {tokens: [demo-post-token], certificates: [demo-post-client]}\n";
}

struct Reply {
  int status = 0;
  std::string body;
};

Reply post(const std::string& address, const TempDir& dir, bool withClientCert, const std::string& token = "") {
  Poco::Net::Context::Params params;
  params.caLocation = dir.file("ca.pem");
  if (withClientCert) {
    params.certificateFile = dir.file("client.pem");
    params.privateKeyFile = dir.file("client.key");
  }
  params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
  params.loadDefaultCAs = false;
  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  const auto colon = address.rfind(':');
  Poco::Net::HTTPSClientSession session(address.substr(0, colon),
                                        static_cast<Poco::UInt16>(std::stoi(address.substr(colon + 1))), context);
  session.setTimeout(Poco::Timespan(20, 0));
  const std::string body = exampleFiling("TLS-" + std::to_string(withClientCert) + token);
  Poco::Net::HTTPRequest request("POST", "/v1/messages", Poco::Net::HTTPMessage::HTTP_1_1);
  request.setContentType("application/vnd.swhub.consignment+json");
  if (!token.empty()) request.set("Authorization", "Bearer " + token);
  request.setContentLength64(static_cast<Poco::Int64>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  Reply reply;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), reply.body);
  reply.status = response.getStatus();
  return reply;
}

class Tls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { Poco::Net::initializeSSL(); }
  static void TearDownTestSuite() { Poco::Net::uninitializeSSL(); }
};

TEST_F(Tls, AClientCertificateIdentifiesThePartner) {
  TempDir dir;
  makeCertificates(dir);
  writeFile(dir.file("hub.yaml"), tlsConfig(dir, false));
  HubProcess hub({"serve", "--config", dir.file("hub.yaml")});
  EXPECT_EQ(hub.baseUrl().rfind("https://", 0), 0u);
  const auto reply = post(hub.address(), dir, true);
  EXPECT_EQ(reply.status, 202) << reply.body;
}

TEST_F(Tls, WithoutACertificateABearerTokenStillWorksWhenCertificatesAreOptional) {
  TempDir dir;
  makeCertificates(dir);
  writeFile(dir.file("hub.yaml"), tlsConfig(dir, false));
  HubProcess hub({"serve", "--config", dir.file("hub.yaml")});
  EXPECT_EQ(post(hub.address(), dir, false, "demo-post-token").status, 202);
  EXPECT_EQ(post(hub.address(), dir, false).status, 401);
}

TEST_F(Tls, ARequiredClientCertificateRefusesTheHandshakeWithoutOne) {
  TempDir dir;
  makeCertificates(dir);
  writeFile(dir.file("hub.yaml"), tlsConfig(dir, true));
  HubProcess hub({"serve", "--config", dir.file("hub.yaml")});
  EXPECT_ANY_THROW(post(hub.address(), dir, false, "demo-post-token"));
  EXPECT_EQ(post(hub.address(), dir, true).status, 202);
}

}  // namespace
}  // namespace swhub::testing
