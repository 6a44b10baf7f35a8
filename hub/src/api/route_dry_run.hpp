#pragma once
// POST /v1/admin/routes/dry-run: which agencies a consignment would go to, route by route, under
// the routes in force or under an uploaded route file, without filing anything. The consignment
// is pasted (canonical JSON, as a partner files it) or read from a past filing by its case id.
// An uploaded file is checked as `swhub check-config` checks hub.yaml (in the running
// configuration, so that its agencies and partners must exist): a bad one is a 400 whose errors
// carry the config error's dotted path ("routes[1].require[0]").

#include <functional>
#include <memory>
#include <string>

#include "api/http_result.hpp"
#include "journal/journal.hpp"
#include "routing/route_table.hpp"
#include "swhub/sdk/value.hpp"

namespace swhub::api {

// A route file's routes compiled in the running configuration `running` (hub.yaml's document,
// read from `source`): the file is YAML with a top-level `routes:` list (hub.yaml's section), or
// the list alone. Never throws: a bad file is the errors check-config would print.
sdk::Result<std::shared_ptr<const routing::RouteTable>> compileRouteFile(const sdk::Value& running,
                                                                        const std::string& source,
                                                                        const std::string& yaml);

class RouteDryRun {
 public:
  using CurrentRoutes = std::function<std::shared_ptr<const routing::RouteTable>()>;
  RouteDryRun(journal::Journal& journal, CurrentRoutes current, sdk::Value running, std::string source)
      : journal_(journal), current_(std::move(current)), running_(std::move(running)), source_(std::move(source)) {}

  // `body`: {"case_id": "..."} or {"consignment": {...}, "partner"?: "...", "category"?: 1..4},
  // with "routes_yaml": "..." to try a route file instead of the routes in force.
  HttpResult run(const std::string& body) const;

 private:
  HttpResult runChecked(const std::string& body) const;

  journal::Journal& journal_;
  CurrentRoutes current_;
  sdk::Value running_;
  std::string source_;
};

}  // namespace swhub::api
