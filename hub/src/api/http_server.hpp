#pragma once
// The listening socket (plain or TLS 1.2+), the worker pool and the connection gate that serve
// the HTTP front for a hub's services. Binds at construction (an address in use is an error).

#include <memory>
#include <string>

#include "api/connection_gate.hpp"
#include "api/hub_services.hpp"
#include "api/request_limits.hpp"
#include "config/config.hpp"

namespace Poco {
class ThreadPool;
}  // namespace Poco

namespace swhub::api {

class HttpServer {
 public:
  HttpServer(const config::HubConfig& config, HubServices& services);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void start();
  void stop();
  // "127.0.0.1:PORT" as bound (the real port when the config said 0).
  std::string boundAddress() const;
  RequestLimits& limits() { return *limits_; }
  ConnectionGate::Counts gateCounts() const;

 private:
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<RequestLimits> limits_;
  std::unique_ptr<ConnectionGate> gate_;
  std::string boundHost_;
  unsigned short boundPort_ = 0;
  bool started_ = false;
};

}  // namespace swhub::api
