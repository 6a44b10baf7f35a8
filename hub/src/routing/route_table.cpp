// RouteTable::route and toJson: the per-message half of the route table. Nothing here parses.
#include "routing/route_table.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <sstream>

namespace swhub::routing {

namespace {

bool hasItemConditions(const Route& r) {
  return !r.hsPrefixes.empty() || !r.origins.empty() || r.valueMin || r.valueMax;
}

bool appliesToConsignment(const Route& r, const sdk::Consignment& c) {
  if (!r.filings.empty() && !r.filings.contains(c.filing)) return false;
  if (!r.partners.empty() && !r.partners.contains(c.partner)) return false;
  // A category route waits for the category: an unknown one matches none.
  if (!r.categories.empty() && !(c.derived.category && r.categories.contains(*c.derived.category))) {
    return false;
  }
  return true;
}

bool appliesToItem(const Route& r, const sdk::Item& item) {
  if (!r.hsPrefixes.empty() &&
      std::none_of(r.hsPrefixes.begin(), r.hsPrefixes.end(),
                   [&](const std::string& p) { return item.hs.starts_with(p); })) {
    return false;
  }
  if (!r.origins.empty() && !r.origins.contains(item.origin)) return false;
  if (r.valueMin && item.value < *r.valueMin) return false;
  if (r.valueMax && item.value > *r.valueMax) return false;
  return true;
}

Poco::JSON::Array array(const auto& values) {
  Poco::JSON::Array out;
  for (const auto& v : values) out.add(v);
  return out;
}

}  // namespace

RoutingDecision RouteTable::route(const sdk::Consignment& consignment) const {
  RoutingDecision decision;
  std::map<std::string, std::set<int>> items;  // agency -> item sequences
  std::set<std::string> notify;
  for (const Route& r : routes_) {
    if (!appliesToConsignment(r, consignment)) continue;
    bool matched = false;
    if (consignment.items.empty()) {
      // Nothing to look at item by item: only a route that asks nothing of items applies.
      if (!hasItemConditions(r)) {
        matched = true;
        for (const auto& agency : r.require) items[agency];
      }
    } else {
      for (const sdk::Item& item : consignment.items) {
        if (!appliesToItem(r, item)) continue;
        matched = true;
        for (const auto& agency : r.require) items[agency].insert(item.sequence);
      }
    }
    if (!matched) continue;
    decision.routes.push_back(r.name);
    notify.insert(r.notify.begin(), r.notify.end());
  }
  for (auto& [agency, sequences] : items) {
    decision.agencies.push_back(agency);
    decision.itemsByAgency[agency] = std::vector<int>(sequences.begin(), sequences.end());
  }
  decision.notify.assign(notify.begin(), notify.end());
  return decision;
}

std::vector<RouteMatch> RouteTable::explain(const sdk::Consignment& consignment) const {
  std::vector<RouteMatch> matches;
  for (const Route& r : routes_) {
    if (!appliesToConsignment(r, consignment)) continue;
    RouteMatch match{r.name, r.require, {}};
    bool matched = consignment.items.empty() && !hasItemConditions(r);
    for (const sdk::Item& item : consignment.items) {
      if (!appliesToItem(r, item)) continue;
      matched = true;
      match.items.push_back(item.sequence);
    }
    if (matched) matches.push_back(std::move(match));
  }
  return matches;
}

std::string RouteTable::toJson() const {
  Poco::JSON::Array list;
  for (const Route& r : routes_) {
    Poco::JSON::Object match(Poco::JSON_PRESERVE_KEY_ORDER);
    if (!r.filings.empty()) {
      std::vector<std::string> filings;
      for (auto f : r.filings) filings.emplace_back(sdk::toString(f));
      match.set("filings", array(filings));
    }
    if (!r.partners.empty()) match.set("partners", array(r.partners));
    if (!r.categories.empty()) match.set("categories", array(r.categories));
    if (!r.hsPrefixes.empty()) match.set("hs_prefix", array(r.hsPrefixes));
    if (!r.origins.empty()) match.set("origins", array(r.origins));
    if (r.valueMin || r.valueMax) {
      Poco::JSON::Object value(Poco::JSON_PRESERVE_KEY_ORDER);
      if (r.valueMin) value.set("min", r.valueMin->toDouble());
      if (r.valueMax) value.set("max", r.valueMax->toDouble());
      match.set("value", value);
    }
    Poco::JSON::Object route(Poco::JSON_PRESERVE_KEY_ORDER);
    route.set("name", r.name);
    route.set("match", match);
    route.set("require", array(r.require));
    route.set("notify", array(r.notify));
    list.add(route);
  }
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("routes", list);
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

}  // namespace swhub::routing
