#pragma once
// YAML routes compiled once into an immutable table: which agencies must decide on a
// consignment (per item), and who else is notified. A new table is swapped in whole on reload;
// a case keeps the agencies it was routed to.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "swhub/sdk/model.hpp"
#include "swhub/sdk/status.hpp"
#include "swhub/sdk/value.hpp"

namespace swhub::routing {

struct Route {
  std::string name;
  // Consignment-level conditions (empty = any).
  std::set<sdk::FilingKind> filings;
  std::set<std::string> partners;
  std::set<int> categories;  // immediate-release category 1..4; matches only once it is known
  // Item-level conditions (empty = any item).
  std::vector<std::string> hsPrefixes;
  std::set<std::string> origins;
  std::optional<sdk::Decimal> valueMin;  // item value, inclusive
  std::optional<sdk::Decimal> valueMax;  // item value, inclusive
  // What a match means.
  std::vector<std::string> require;  // agency ids
  std::vector<std::string> notify;   // partner ids told besides the filer
};

struct RoutingDecision {
  std::vector<std::string> agencies;                   // sorted union of the matched routes' `require`
  std::map<std::string, std::vector<int>> itemsByAgency;  // agency -> item sequences it decides on (sorted)
  std::vector<std::string> routes;                      // names of matched routes, in table order
  std::vector<std::string> notify;                      // sorted union of `notify`
};

// One route that matched a consignment, and the items it matched (empty for a consignment
// without items): what a dry run shows route by route.
struct RouteMatch {
  std::string name;
  std::vector<std::string> require;
  std::vector<int> items;
};

class RouteTable {
 public:
  // Compiles `routes` (the YAML list, already checked by the hub schema). Errors carry dotted
  // paths under `path` ("routes[2].match.value.min: ...").
  static sdk::Result<std::shared_ptr<const RouteTable>> compile(const sdk::Value& routes,
                                                               const std::string& path = "routes");

  // A route matches an item when every condition it sets holds for the consignment and the item;
  // a consignment without items (a cancellation) matches routes without item conditions.
  RoutingDecision route(const sdk::Consignment& consignment) const;
  // The routes that match, in table order, each with its items (POST /v1/admin/routes/dry-run):
  // the same conditions as route(), kept apart per route.
  std::vector<RouteMatch> explain(const sdk::Consignment& consignment) const;

  const std::vector<Route>& routes() const { return routes_; }
  // {"routes":[{"name":..., "match":{...}, "require":[...], "notify":[...]}]} for GET /v1/admin/routes.
  std::string toJson() const;

 private:
  std::vector<Route> routes_;
};

}  // namespace swhub::routing
