#pragma once
// What a public estimate is asked for (README "Public estimate"): the destination, the collection
// model and the items, read from the query string of GET /v1/public/estimate or from the JSON
// body of its POST. Both forms go through one reader of `name=value` parameters, so they accept
// the same things and name the same paths in their errors (`items[0].value`).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "swhub/sdk/model.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::estimate {

inline constexpr std::size_t kMaxItems = 50;

struct ItemQuery {
  std::string description;  // "" = the heading's description
  std::string hs;           // given, or resolved from `search`
  std::string search;       // the word given instead of `hs`
  sdk::Decimal value;
  std::string currency;
  std::string origin;
  double quantity = 1;
};

struct EstimateQuery {
  std::string destination;
  sdk::CollectionModel model = sdk::CollectionModel::Consumer;
  std::string registration;
  std::optional<sdk::Decimal> tax_collected;
  std::string tax_currency;
  std::string departure;
  std::optional<sdk::TransportMode> mode;
  std::vector<ItemQuery> items;
};

using Parameters = std::vector<std::pair<std::string, std::string>>;

// Reads the parameters (`destination=PT`, `items[0].hs=851830`, ...); every error at once, each
// naming its parameter. An unknown or repeated parameter is an error.
sdk::Result<EstimateQuery> readQuery(const Parameters& parameters);

// The same from a JSON object ({"destination": "PT", "items": [{"hs": "851830", ...}]}): its
// members become the parameters above; a body that is no JSON object is an error at `body`.
sdk::Result<EstimateQuery> readBody(const std::string& body);

}  // namespace swhub::estimate
