#pragma once
// The HTTP front (POCO HTTPServer): authentication, body limits, routing to the services, and
// problem JSON for every error. One handler object per request.

#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace swhub::api {

class HubServices;

class RequestRouter : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit RequestRouter(HubServices& hub) : hub_(hub) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

 private:
  HubServices& hub_;
};

}  // namespace swhub::api
