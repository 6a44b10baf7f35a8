#pragma once
// A connection handed over by the gate: serves the request whose head is waiting (and the next
// ones while they come whole at once: ConnectionGate::nextHeadWithinLinger), then gives a
// kept-alive connection back to the gate (POCO's own connection would keep the worker until the
// client closes or idles out).

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <string>

namespace swhub::api {

class ConnectionGate;

// A raw HTTP/1.1 problem response that closes the connection (for the gate, which has no POCO
// response object): status line, problem JSON, Retry-After when retryAfter > 0.
// `where` names what was wrong in the problem's errors list ("head", "connection").
std::string rawProblemResponse(int status, const std::string& slug, const std::string& where, const std::string& detail,
                               int retryAfter);

class GatedConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  GatedConnectionFactory(ConnectionGate& gate, Poco::Net::HTTPServerParams::Ptr params,
                         Poco::Net::HTTPRequestHandlerFactory::Ptr handlers)
      : gate_(gate), params_(std::move(params)), handlers_(std::move(handlers)) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override;

 private:
  ConnectionGate& gate_;
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
};

}  // namespace swhub::api
