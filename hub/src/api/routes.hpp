#pragma once
// The HTTP front's route table: every method and path the hub serves, with who may call it. The
// front dispatches through it and nothing else, so the table is the whole API: the OpenAPI
// document (schemas/openapi.yaml) is tested against it (tests/unit/api/openapi_test.cpp).

#include <string>
#include <string_view>
#include <vector>

namespace swhub::api {

// What the front does on a route; the handler switches over every one of them.
enum class Endpoint {
  Healthz,
  Readyz,
  Metrics,
  OpenApi,
  ConsignmentSchema,
  ReceiptCertificate,
  FileMessage,
  Notifications,
  AgencyTasks,
  AgencyDecision,
  CasesByReference,
  CaseById,
  AccountStatement,
  AdminRoutes,
  AdminReload,
  AdminStats,
  AdminDeadLetters,
  AdminReplay,
  AdminTrace,
  AdminLicences,
  AdminLicenceAdd,
  AdminLicence,
  AdminLicenceUpdate,
  Whoami,
  ConsoleRedirect,
  ConsoleFile,
  AdminRoutesDryRun,
  PublicEstimate,      // GET /v1/public/estimate: the query in the query string
  PublicEstimateBody,  // POST /v1/public/estimate: the same query as a JSON body
};

enum class Access {
  Public,      // no identity needed (probes, the receipt certificate, the OpenAPI document, the console's files)
  Identified,  // a known caller; the service checks what its kind may do (partner, agency)
  Admin,       // the admin only (every /v1/admin/ path)
};

struct Route {
  std::string_view method;   // "GET", "HEAD", "POST", "PUT"
  std::string_view pattern;  // "/v1/cases/{case_id}": a `{name}` segment matches one non-empty segment
  Access access;
  Endpoint endpoint;
};

// Every route, in the order the front tries them.
const std::vector<Route>& routes();

// What the table says of a request: the route (null when the path is known under other methods
// only, or not at all), the values of its `{name}` segments in order, and the methods the path
// is served with ("GET, HEAD"), for 405's Allow.
struct RouteLookup {
  const Route* route = nullptr;
  std::vector<std::string> params;
  bool pathKnown = false;
  Access access = Access::Identified;  // of the path, when known
  std::string allowed;
};

RouteLookup findRoute(std::string_view method, std::string_view path);

// `path` matches `pattern`; the `{name}` segments' values are appended to `params`.
bool matchPattern(std::string_view pattern, std::string_view path, std::vector<std::string>& params);

}  // namespace swhub::api
