#include "order_reader.hpp"

#include <utility>

#include "swhub/sdk/validate.hpp"

namespace swhub::plugins::marketplace {

namespace {

void readPlatform(Fields& order, sdk::Errors& errors, const Settings& settings, sdk::Consignment& c) {
  const auto obj = order.object("platform", true);
  if (!obj) return;
  Fields f(errors, obj, order.at("platform"), {"name", "id"});
  sdk::Party& platform = c.parties.declarant.emplace();  // the platform files as intermediary
  platform.name = f.string("name", true);
  platform.id = f.string("id", true);
  platform.kind = "business";
  if (!platform.id.empty() && platform.id != settings.platform_id)
    errors.push_back({f.at("id"), "'" + platform.id + "' is not this partner's platform: '" + settings.platform_id +
                                      "' expected"});
}

void readSeller(Fields& order, sdk::Errors& errors, const Settings& settings, sdk::Consignment& c) {
  const auto obj = order.object("seller", true);
  if (!obj) return;
  Fields f(errors, obj, order.at("seller"), {"name", "platform_seller_id", "country", "registration"});
  sdk::Party& seller = c.parties.seller.emplace();
  seller.name = f.string("name", true);
  seller.id = f.string("platform_seller_id", true);
  seller.country = f.string("country", true);
  seller.registration = f.string("registration", false);
  seller.platform = settings.platform_id;
}

void readBuyer(Fields& order, sdk::Errors& errors, sdk::Consignment& c) {
  const auto obj = order.object("buyer", true);
  if (!obj) return;
  Fields f(errors, obj, order.at("buyer"), {"name", "address", "country", "kind"});
  sdk::Party& buyer = c.parties.buyer.emplace();
  buyer.name = f.string("name", true);
  buyer.address = f.string("address", true);
  buyer.country = f.string("country", true);
  buyer.kind = f.string("kind", false);
  if (!buyer.kind.empty() && buyer.kind != "person" && buyer.kind != "business")
    errors.push_back({f.at("kind"), "'" + buyer.kind + "' is not one of: person, business"});
}

void readLines(Fields& order, sdk::Errors& errors, sdk::Consignment& c) {
  const auto arr = order.array("lines", true);
  if (!arr) return;
  const std::string path = order.at("lines");
  if (arr->size() == 0) return errors.push_back({path, "at least one line required"});
  if (arr->size() > sdk::kMaxItemsPerConsignment)
    return errors.push_back({path, std::to_string(arr->size()) + " lines: at most " +
                                       std::to_string(sdk::kMaxItemsPerConsignment) + " per order"});
  c.items.resize(arr->size());
  for (std::size_t i = 0; i < arr->size(); ++i) {
    sdk::Item& item = c.items[i];
    item.sequence = static_cast<int>(i) + 1;
    item.nature = sdk::Nature::Sale;
    const std::string at = path + "/" + std::to_string(i);
    const Var element = arr->get(static_cast<unsigned>(i));
    if (element.type() != typeid(Object::Ptr)) {
      errors.push_back({at, "expected object, got " + typeOf(element)});
      continue;
    }
    Fields f(errors, element.extract<Object::Ptr>(), at,
             {"sku", "description", "hs", "quantity", "unit", "price_paid", "currency", "origin", "net_kg"});
    f.string("sku", false);  // type-checked; the canonical item has no product id
    item.description = f.string("description", true);
    item.hs = f.string("hs", true);
    item.quantity = f.number("quantity", true).value_or(0);
    item.unit = f.string("unit", true);
    item.value = f.amount("price_paid", true).value_or(sdk::Decimal());
    item.currency = f.string("currency", true);
    item.origin = f.string("origin", true);
    item.net_kg = f.number("net_kg", false);
  }
}

void readTax(Fields& order, sdk::Errors& errors, sdk::Consignment& c) {
  c.fiscal.model = sdk::CollectionModel::Consumer;
  const auto obj = order.object("tax_collected_at_sale", false);
  if (!obj) return;
  // Tax collected by the platform at sale (EU IOSS, UK, Norway VOEC, Australia): the vendor model.
  Fields f(errors, obj, order.at("tax_collected_at_sale"), {"amount", "currency", "registration"});
  c.fiscal.model = sdk::CollectionModel::Vendor;
  c.fiscal.collected_at_sale = true;
  c.fiscal.tax_collected = f.amount("amount", true);
  c.fiscal.tax_currency = f.string("currency", true);
  c.fiscal.registration = f.string("registration", true);
}

void readPayment(Fields& order, sdk::Errors& errors, const Settings& settings, sdk::Consignment& c) {
  const auto obj = order.object("payment", settings.require_payment_ref);
  if (!obj) return;
  Fields f(errors, obj, order.at("payment"), {"transaction_ref", "provider"});
  const std::string ref = f.string("transaction_ref", settings.require_payment_ref);
  f.string("provider", false);
  if (!ref.empty()) c.fiscal.payment_refs.push_back(ref);
}

void readShipping(Fields& order, sdk::Errors& errors, sdk::Consignment& c) {
  const auto obj = order.object("shipping", false);
  if (!obj) return;
  Fields f(errors, obj, order.at("shipping"), {"carrier", "tracking", "departure", "destination"});
  if (std::string carrier = f.string("carrier", false); !carrier.empty())
    c.parties.carrier.emplace().name = std::move(carrier);
  f.string("tracking", false);  // type-checked; the canonical consignment has no house tracking number
  c.transport.departure = f.string("departure", false);
  c.transport.destination = f.string("destination", false);
}

bool startsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0 && (s.size() == prefix.size() || s[prefix.size()] == '/');
}

// True when `path` is, or lies under, `parent`.
bool under(const std::string& parent, const std::string& path) {
  return path.compare(0, parent.size(), parent) == 0 && (path.size() == parent.size() || path[parent.size()] == '/');
}

}  // namespace

std::string orderPointer(const std::string& canonical) {
  static const std::pair<std::string_view, std::string_view> kMoves[] = {
      {"/reference", "/order_id"},
      {"/parties/seller/id", "/seller/platform_seller_id"},
      {"/parties/seller", "/seller"},
      {"/parties/buyer", "/buyer"},
      {"/parties/declarant", "/platform"},
      {"/parties/carrier", "/shipping/carrier"},
      {"/transport", "/shipping"},
      {"/fiscal/registration", "/tax_collected_at_sale/registration"},
      {"/fiscal/tax_collected", "/tax_collected_at_sale/amount"},
      {"/fiscal/tax_currency", "/tax_collected_at_sale/currency"},
      {"/fiscal/payment_refs", "/payment/transaction_ref"},
  };
  for (const auto& [from, to] : kMoves)
    if (startsWith(canonical, from)) {
      if (from == "/parties/carrier") return std::string(to);  // the carrier is a name only
      return std::string(to) + canonical.substr(from.size());
    }
  if (startsWith(canonical, "/items")) {
    std::string rest = canonical.substr(6);  // "/2/value"
    const auto slash = rest.find('/', 1);
    if (slash != std::string::npos) {
      const std::string field = rest.substr(slash + 1);
      if (field == "value") rest = rest.substr(0, slash) + "/price_paid";
      else if (field == "sequence") rest = rest.substr(0, slash);
    }
    return "/lines" + rest;
  }
  return canonical;
}

sdk::Result<sdk::Consignment> readOrder(const Object::Ptr& order, const std::string& path, const Settings& settings) {
  sdk::Errors errors;
  sdk::Consignment c;
  c.filing = sdk::FilingKind::PreArrival;
  Fields f(errors, order, path, std::vector<std::string_view>(std::begin(kOrderFields), std::end(kOrderFields)));
  c.reference = f.string("order_id", true);
  readPlatform(f, errors, settings, c);
  readSeller(f, errors, settings, c);
  readBuyer(f, errors, c);
  readLines(f, errors, c);
  readTax(f, errors, c);
  readPayment(f, errors, settings, c);
  readShipping(f, errors, c);

  // A validation error at or under a field that already has a reading error is left out: the
  // field was not read, its default would only be reported again.
  const std::size_t read = errors.size();
  for (const auto& e : sdk::validateConsignment(c, sdk::PathStyle::JsonPointer)) {
    const std::string at = path + orderPointer(e.path);
    bool duplicate = false;
    for (std::size_t i = 0; i < read && !duplicate; ++i) duplicate = under(errors[i].path, at);
    if (!duplicate) errors.push_back({at, e.message});
  }
  if (!errors.empty()) return errors;
  return c;
}

}  // namespace swhub::plugins::marketplace
