#pragma once
// The HTTP front (POCO HTTPServer): authentication, body limits, routing to the services, and
// problem JSON for every error. One handler object per request.

#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace swhub::api {

class Hub;

class RequestRouter : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit RequestRouter(Hub& hub) : hub_(hub) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

 private:
  Hub& hub_;
};

}  // namespace swhub::api
