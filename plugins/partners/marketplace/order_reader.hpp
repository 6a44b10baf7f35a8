#pragma once
// One platform order (JSON) -> one canonical consignment, every error as a JSON pointer into the
// order as the platform wrote it ("/lines/0/price_paid", not the canonical "/items/0/value").

#include <cstddef>
#include <string>

#include "json_fields.hpp"
#include "swhub/sdk/model.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::plugins::marketplace {

/// An instance's settings, validated once by the factory.
struct Settings {
  std::string platform_id;          ///< the platform this partner is: every order must name it
  bool require_payment_ref = true;  ///< an order without payment.transaction_ref is refused
  std::size_t max_orders = 1000;    ///< orders in one {"orders":[...]} batch
};

/// The members an order may hold, in the order errors list them.
inline constexpr std::string_view kOrderFields[] = {"order_id", "platform", "seller",  "buyer",
                                                    "lines",    "tax_collected_at_sale", "payment", "shipping"};

/// Reads the order found at `path` ("" for a single order, "/orders/3" in a batch) and checks it
/// with sdk::validateConsignment; the errors of both, in field order, or the consignment.
sdk::Result<sdk::Consignment> readOrder(const Object::Ptr& order, const std::string& path, const Settings& settings);

/// The pointer in an order of a canonical consignment path from validateConsignment
/// ("/items/2/value" -> "/lines/2/price_paid").
std::string orderPointer(const std::string& canonicalPath);

}  // namespace swhub::plugins::marketplace
