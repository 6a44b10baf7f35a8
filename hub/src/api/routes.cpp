#include "api/routes.hpp"

namespace swhub::api {

const std::vector<Route>& routes() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/healthz", Access::Public, Endpoint::Healthz},
      {"HEAD", "/healthz", Access::Public, Endpoint::Healthz},
      {"GET", "/readyz", Access::Public, Endpoint::Readyz},
      {"HEAD", "/readyz", Access::Public, Endpoint::Readyz},
      {"GET", "/metrics", Access::Public, Endpoint::Metrics},
      {"HEAD", "/metrics", Access::Public, Endpoint::Metrics},
      {"GET", "/v1/openapi.yaml", Access::Public, Endpoint::OpenApi},
      {"HEAD", "/v1/openapi.yaml", Access::Public, Endpoint::OpenApi},
      {"GET", "/v1/canonical/consignment.schema.json", Access::Public, Endpoint::ConsignmentSchema},
      {"HEAD", "/v1/canonical/consignment.schema.json", Access::Public, Endpoint::ConsignmentSchema},
      {"GET", "/v1/receipts/certificate", Access::Public, Endpoint::ReceiptCertificate},
      {"HEAD", "/v1/receipts/certificate", Access::Public, Endpoint::ReceiptCertificate},
      {"POST", "/v1/messages", Access::Identified, Endpoint::FileMessage},
      {"GET", "/v1/notifications", Access::Identified, Endpoint::Notifications},
      {"GET", "/v1/agency/tasks", Access::Identified, Endpoint::AgencyTasks},
      {"POST", "/v1/agency/decisions", Access::Identified, Endpoint::AgencyDecision},
      {"GET", "/v1/cases", Access::Identified, Endpoint::CasesByReference},
      {"GET", "/v1/cases/{case_id}", Access::Identified, Endpoint::CaseById},
      {"GET", "/v1/accounts/{account}/statements/{period}", Access::Identified, Endpoint::AccountStatement},
      {"GET", "/v1/admin/routes", Access::Admin, Endpoint::AdminRoutes},
      {"POST", "/v1/admin/reload", Access::Admin, Endpoint::AdminReload},
      {"GET", "/v1/admin/stats", Access::Admin, Endpoint::AdminStats},
      {"GET", "/v1/admin/dead-letters", Access::Admin, Endpoint::AdminDeadLetters},
      {"POST", "/v1/admin/dead-letters/{seq}/replay", Access::Admin, Endpoint::AdminReplay},
      {"GET", "/v1/admin/cases/{case_id}/trace", Access::Admin, Endpoint::AdminTrace},
      {"GET", "/v1/admin/licences", Access::Admin, Endpoint::AdminLicences},
      {"POST", "/v1/admin/licences", Access::Admin, Endpoint::AdminLicenceAdd},
      {"GET", "/v1/admin/licences/{agency}/{id}", Access::Admin, Endpoint::AdminLicence},
      {"PUT", "/v1/admin/licences/{agency}/{id}", Access::Admin, Endpoint::AdminLicenceUpdate},
      // The operator console (issue 14): its static files are public (the API it calls is not).
      {"GET", "/console", Access::Public, Endpoint::ConsoleRedirect},
      {"HEAD", "/console", Access::Public, Endpoint::ConsoleRedirect},
      {"GET", "/console/", Access::Public, Endpoint::ConsoleFile},
      {"HEAD", "/console/", Access::Public, Endpoint::ConsoleFile},
      {"GET", "/console/{file}", Access::Public, Endpoint::ConsoleFile},
      {"HEAD", "/console/{file}", Access::Public, Endpoint::ConsoleFile},
      {"GET", "/v1/whoami", Access::Identified, Endpoint::Whoami},
      {"POST", "/v1/admin/routes/dry-run", Access::Admin, Endpoint::AdminRoutesDryRun},
      {"GET", "/v1/public/estimate", Access::Public, Endpoint::PublicEstimate},
      {"POST", "/v1/public/estimate", Access::Public, Endpoint::PublicEstimateBody},
  };
  return kRoutes;
}

bool matchPattern(std::string_view pattern, std::string_view path, std::vector<std::string>& params) {
  const std::size_t before = params.size();
  auto fail = [&] {
    params.resize(before);
    return false;
  };
  while (!pattern.empty() && !path.empty()) {
    if (pattern.front() != '/' || path.front() != '/') return fail();
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const std::string_view want = pattern.substr(0, pattern.find('/'));
    const std::string_view got = path.substr(0, path.find('/'));
    if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
      if (got.empty()) return fail();
      params.emplace_back(got);
    } else if (want != got) {
      return fail();
    }
    pattern.remove_prefix(want.size());
    path.remove_prefix(got.size());
  }
  return pattern.empty() && path.empty() ? true : fail();
}

RouteLookup findRoute(std::string_view method, std::string_view path) {
  RouteLookup lookup;
  std::vector<std::string_view> methods;
  for (const Route& route : routes()) {
    std::vector<std::string> params;
    if (!matchPattern(route.pattern, path, params)) continue;
    if (!lookup.pathKnown) lookup.access = route.access;
    lookup.pathKnown = true;
    bool listed = false;
    for (const auto& m : methods) listed = listed || m == route.method;
    if (!listed) {
      methods.push_back(route.method);
      lookup.allowed += (lookup.allowed.empty() ? "" : ", ") + std::string(route.method);
    }
    if (lookup.route == nullptr && route.method == method) {
      lookup.route = &route;
      lookup.params = std::move(params);
    }
  }
  return lookup;
}

}  // namespace swhub::api
