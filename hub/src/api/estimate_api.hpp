#pragma once
// GET and POST /v1/public/estimate (README "Public estimate"): no identity, a token bucket per
// source address, a bound on estimates computed at once, then the estimator (estimate/). Every
// refusal is problem JSON naming what to change.

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "api/http_result.hpp"
#include "config/public_estimate_config.hpp"
#include "estimate/estimate_query.hpp"
#include "estimate/estimator.hpp"
#include "estimate/rate_limiter.hpp"

namespace swhub::api {

class EstimateApi {
 public:
  // `clock`: the rate limiter's (tests step it).
  EstimateApi(const config::PublicEstimateConfig& config, std::unique_ptr<estimate::Estimator> estimator,
              estimate::RateLimiter::Clock clock = [] { return std::chrono::steady_clock::now(); });

  // `address`: the peer's IP address, whose bucket pays for the request.
  HttpResult get(const std::string& address, const estimate::Parameters& query);
  HttpResult post(const std::string& address, const std::string& body);
  // Before reading a body: the address may ask (a refusal answers without reading it), or nullopt.
  std::optional<HttpResult> admit(const std::string& address);
  // The answer to a body already admitted.
  HttpResult answerBody(const std::string& body);

 private:
  HttpResult answer(sdk::Result<estimate::EstimateQuery> query);

  bool enabled_;
  int maxInProgress_;
  std::unique_ptr<estimate::Estimator> estimator_;
  estimate::RateLimiter limiter_;
  std::atomic<int> inProgress_{0};
};

}  // namespace swhub::api
