#include "api/estimate_api.hpp"

#include <utility>

namespace swhub::api {
namespace {

HttpResult disabled() {
  return problem(404, "estimate-disabled", "Not Found",
                 "this hub offers no public estimate (hub.public_estimate.enabled is false)");
}

}  // namespace

EstimateApi::EstimateApi(const config::PublicEstimateConfig& config, std::unique_ptr<estimate::Estimator> estimator,
                         estimate::RateLimiter::Clock clock)
    : enabled_(config.enabled),
      maxInProgress_(config.max_in_progress),
      estimator_(std::move(estimator)),
      limiter_(config.per_minute, config.burst, std::move(clock)) {}

std::optional<HttpResult> EstimateApi::admit(const std::string& address) {
  if (!enabled_) return disabled();
  const auto verdict = limiter_.take(address);
  if (verdict.allowed) return std::nullopt;
  const std::string seconds = std::to_string(verdict.retryAfter.count());
  HttpResult r = problem(429, "too-many-estimates", "Too Many Requests",
                         "this address asked for more estimates than the hub answers (hub.public_estimate); one more "
                         "is answered in " + seconds + " s",
                         {{"address", address + " is over its rate; retry after " + seconds + " s"}});
  r.headers.push_back({"Retry-After", seconds});
  return r;
}

HttpResult EstimateApi::get(const std::string& address, const estimate::Parameters& query) {
  if (auto refused = admit(address)) return *refused;
  return answer(estimate::readQuery(query));
}

HttpResult EstimateApi::post(const std::string& address, const std::string& body) {
  if (auto refused = admit(address)) return *refused;
  return answerBody(body);
}

HttpResult EstimateApi::answerBody(const std::string& body) { return answer(estimate::readBody(body)); }

HttpResult EstimateApi::answer(sdk::Result<estimate::EstimateQuery> query) {
  if (!query.ok()) {
    return problem(400, "invalid-estimate", "Bad Request", "the estimate's parameters are not valid: each is named",
                   query.errors());
  }
  // A bounded number at once: the agency plugins' call threads serve the border first.
  if (inProgress_.fetch_add(1) >= maxInProgress_) {
    inProgress_.fetch_sub(1);
    HttpResult r = problem(503, "estimate-busy", "Service Unavailable",
                           "the hub computes " + std::to_string(maxInProgress_) + " estimates at once already",
                           {{"estimate", "busy; retry after 1 s"}});
    r.headers.push_back({"Retry-After", "1"});
    return r;
  }
  estimate::EstimateOutcome outcome;
  {
    // The place is given back however the estimate ends.
    struct Place {
      std::atomic<int>& count;
      ~Place() { count.fetch_sub(1); }
    } place{inProgress_};
    outcome = estimator_->estimate(query.take(), common::nowInstant());
  }
  using Kind = estimate::EstimateOutcome::Kind;
  switch (outcome.kind) {
    case Kind::Estimated:
      return json(200, std::move(outcome.body));
    case Kind::Invalid: {
      HttpResult r = outcome.ambiguous
                         ? problem(400, "ambiguous-search", "Bad Request",
                                   "a search word fits several subheadings: ask again with one of the candidates as the "
                                   "item's hs",
                                   outcome.errors)
                         : problem(400, "invalid-estimate", "Bad Request",
                                   "the estimate's parameters are not valid: each is named", outcome.errors);
      if (!outcome.candidates.empty()) {
        r.body.pop_back();  // the problem's closing brace: the candidates go inside it
        r.body += ",\"candidates\":" + outcome.candidates + "}";
      }
      return r;
    }
    case Kind::NotAssessable:
      return problem(422, "not-assessable", "Unprocessable Content", "the goods cannot be assessed as described",
                     outcome.errors);
    case Kind::Unavailable: {
      HttpResult r = problem(503, "estimate-unavailable", "Service Unavailable",
                             "an agency could not assess the goods just now", outcome.errors);
      r.headers.push_back({"Retry-After", "5"});
      return r;
    }
  }
  return problem(503, "estimate-unavailable", "Service Unavailable", "no estimate");
}

}  // namespace swhub::api
