#include "api/http_server.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include <cerrno>
#include <stdexcept>

#include "api/http_front.hpp"
#include "security/revocation.hpp"

namespace swhub::api {
namespace {

// SO_REUSEADDR (a restart does not wait for TIME_WAIT) but never SO_REUSEPORT: with it a second
// hub on the same address would start and the two would split the traffic.
void bindAndListen(Poco::Net::ServerSocket& socket, const std::string& listen, const Poco::Net::SocketAddress& address) {
  try {
    socket.bind(address, true, false);
    socket.listen(256);
  } catch (const Poco::Exception& e) {
    std::string why = e.code() == EADDRINUSE ? "address already in use" : e.displayText();
    throw std::runtime_error("listen " + listen + ": " + why);
  }
}

Poco::Net::ServerSocket makeSocket(const config::HubConfig& config) {
  const Poco::Net::SocketAddress address(config.listen);
  if (!config.tls.enabled) {
    Poco::Net::ServerSocket socket;
    bindAndListen(socket, config.listen, address);
    return socket;
  }
  // TLS 1.2 or newer; client certificates verified against the configured CA when given.
  const auto verification = config.tls.require_client_cert ? Poco::Net::Context::VERIFY_STRICT
                                                           : (config.tls.ca.empty() ? Poco::Net::Context::VERIFY_NONE
                                                                                    : Poco::Net::Context::VERIFY_RELAXED);
  Poco::Net::Context::Params params;
  params.privateKeyFile = config.tls.key;
  params.certificateFile = config.tls.cert;
  params.caLocation = config.tls.ca;
  params.verificationMode = verification;
  params.loadDefaultCAs = false;
  params.cipherList = "HIGH:!aNULL:!MD5:!RC4";
  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  // POCO's extended verification would match the client certificate against the client's host
  // name; a client is identified by its certificate's chain and subject instead.
  context->enableExtendedCertificateVerification(false);
  if (!config.tls.crl.empty()) security::enableRevocationCheck(context->sslContext(), config.tls.crl);
  context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                            Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
  Poco::Net::SecureServerSocket socket(context);
  bindAndListen(socket, config.listen, address);
  return socket;
}

}  // namespace

HttpServer::HttpServer(const config::HubConfig& config, HubServices& services) {
  Poco::Net::ServerSocket socket = makeSocket(config);
  boundHost_ = socket.address().host().toString();
  boundPort_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(config.threads);
  // The gate refuses beyond max_queued waiting (with a 503); POCO's own bound, which closes
  // silently, is set beyond what the gate lets through.
  params->setMaxQueued(config.max_queued + config.threads);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(0);  // unlimited
  // One read's bound; the gate and ReadDeadlines bound the whole head and body.
  params->setTimeout(Poco::Timespan(config.http.header_timeout_ms * 1000));
  params->setKeepAliveTimeout(Poco::Timespan(config.http.keep_alive_timeout_ms * 1000));
  params->setServerName("swhub");
  // A worker serves one request at a time and never waits for a slow head or an idle client:
  // the gate does (see connection_gate.hpp).
  pool_ = std::make_unique<Poco::ThreadPool>(2, config.threads, 60);
  limits_ = std::make_unique<RequestLimits>(config.http);
  GateOptions gate{config.http, config.max_queued, config.tls.enabled};
  gate_ = std::make_unique<ConnectionGate>(std::move(socket), gate, *pool_, Poco::Net::HTTPServerParams::Ptr(params),
                                           new RequestRouter(services));
}

HttpServer::~HttpServer() {
  stop();
  // Workers give kept-alive connections back to the gate: they end before it goes.
  if (pool_) pool_->joinAll();
  gate_.reset();
  pool_.reset();
}

void HttpServer::start() {
  gate_->start();
  started_ = true;
}

void HttpServer::stop() {
  if (started_) gate_->stop();
  started_ = false;
}

std::string HttpServer::boundAddress() const {
  const bool v6 = boundHost_.find(':') != std::string::npos;
  return (v6 ? "[" + boundHost_ + "]" : boundHost_) + ":" + std::to_string(boundPort_);
}

ConnectionGate::Counts HttpServer::gateCounts() const { return gate_->counts(); }

}  // namespace swhub::api
