#include "house_fields.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace swhub::plugins::express_manifest {

namespace {

struct Names {
  std::string_view csv;
  std::string_view json;
};

constexpr std::array<Names, kFieldCount> kNames = {{
    {"master_waybill", "master_waybill"}, {"house_waybill", "house_waybill"}, {"shipper_name", "shipper_name"},
    {"shipper_country", "shipper_country"}, {"consignee_name", "consignee_name"},
    {"consignee_address", "consignee_address"}, {"consignee_country", "consignee_country"},
    {"description", "description"}, {"hs_code", "hs"}, {"quantity", "quantity"}, {"unit", "unit"},
    {"net_kg", "net_kg"}, {"gross_kg", "gross_kg"}, {"value", "value"}, {"currency", "currency"},
    {"origin", "origin"}, {"nature", "nature"}, {"flight", "flight"}, {"departure", "departure"},
    {"destination", "destination"}, {"arrival", "arrival"}, {"line_no", "line_no"},
}};

// A plain decimal number as JSON writes it (no sign '+', no leading spaces, no hex, no inf).
std::optional<double> parseNumber(std::string_view text) {
  if (text.empty() || text.front() == '+') return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::general);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

sdk::Party& party(std::optional<sdk::Party>& p) {
  if (!p) p.emplace();
  return *p;
}

}  // namespace

std::string_view csvName(Field field) { return kNames[static_cast<std::size_t>(field)].csv; }
std::string_view jsonName(Field field) { return kNames[static_cast<std::size_t>(field)].json; }

std::optional<Field> fieldOfCsvName(std::string_view name) {
  for (std::size_t i = 0; i < kFieldCount; ++i)
    if (kNames[i].csv == name) return static_cast<Field>(i);
  return std::nullopt;
}

bool isItemField(Field f) { return (f >= Field::Description && f <= Field::Nature) || f == Field::LineNo; }

bool isManifestField(Field f) {
  return f == Field::MasterWaybill || f == Field::Flight || f == Field::Departure || f == Field::Destination ||
         f == Field::Arrival;
}

void applyHouseField(sdk::Consignment& c, Field field, std::string_view text) {
  if (text.empty()) return;
  const std::string value(text);
  switch (field) {
    case Field::MasterWaybill: c.transport.master_ref = value; break;
    case Field::HouseWaybill: c.reference = value; break;
    case Field::ShipperName: party(c.parties.seller).name = value; break;
    case Field::ShipperCountry: party(c.parties.seller).country = value; break;
    case Field::ConsigneeName: party(c.parties.buyer).name = value; break;
    case Field::ConsigneeAddress: party(c.parties.buyer).address = value; break;
    case Field::ConsigneeCountry: party(c.parties.buyer).country = value; break;
    case Field::Flight: c.transport.conveyance = value; break;
    case Field::Departure: c.transport.departure = value; break;
    case Field::Destination: c.transport.destination = value; break;
    case Field::Arrival: c.transport.arrival = value; break;
    default: break;
  }
}

std::optional<std::string> applyItemField(sdk::Item& item, Field field, std::string_view text) {
  if (text.empty()) return std::nullopt;
  switch (field) {
    case Field::Description: item.description = std::string(text); break;
    case Field::HsCode: item.hs = std::string(text); break;
    case Field::Unit: item.unit = std::string(text); break;
    case Field::Currency: item.currency = std::string(text); break;
    case Field::Origin: item.origin = std::string(text); break;
    case Field::Quantity:
    case Field::NetKg:
    case Field::GrossKg: {
      const auto number = parseNumber(text);
      if (!number) return quoted(text) + " is not a number";
      if (field == Field::Quantity) item.quantity = *number;
      else if (field == Field::NetKg) item.net_kg = *number;
      else item.gross_kg = *number;
      break;
    }
    case Field::Value: {
      const auto amount = sdk::Decimal::parse(text);
      if (!amount) return quoted(text) + " is not an amount: a decimal number with at most 4 fraction digits expected";
      item.value = *amount;
      break;
    }
    case Field::Nature: {
      const auto nature = sdk::parseNature(text);
      if (!nature) return quoted(text) + " is not a nature: one of " + sdk::allowedNatures();
      item.nature = *nature;
      break;
    }
    case Field::LineNo: {
      int sequence = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), sequence);
      if (ec != std::errc() || end != text.data() + text.size() || sequence < 1 || sequence > 999999)
        return quoted(text) + " is not a line number: an integer from 1 to 999999 expected";
      item.sequence = sequence;
      break;
    }
    default: break;
  }
  return std::nullopt;
}

void completeItem(sdk::Item& item, const Settings& settings) {
  if (item.currency.empty()) item.currency = settings.default_currency;
}

FieldRef fieldOfCanonicalPath(std::string_view path) {
  static constexpr std::pair<std::string_view, Field> kHouse[] = {
      {"/reference", Field::HouseWaybill},          {"/parties/seller/country", Field::ShipperCountry},
      {"/parties/buyer/country", Field::ConsigneeCountry}, {"/transport/departure", Field::Departure},
      {"/transport/destination", Field::Destination},      {"/transport/arrival", Field::Arrival},
  };
  for (const auto& [p, f] : kHouse)
    if (path == p) return {f, std::nullopt};
  constexpr std::string_view kItems = "/items/";
  if (path.substr(0, kItems.size()) != kItems) return {};
  path.remove_prefix(kItems.size());
  std::size_t index = 0;
  auto [end, ec] = std::from_chars(path.data(), path.data() + path.size(), index);
  if (ec != std::errc() || end == path.data() + path.size() || *end != '/') return {};
  const std::string_view name = path.substr(static_cast<std::size_t>(end - path.data()) + 1);
  if (name == "sequence") return {Field::LineNo, index};
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    const auto f = static_cast<Field>(i);
    if (isItemField(f) && kNames[i].json == name) return {f, index};
  }
  return {std::nullopt, index};
}

std::uint64_t hashWaybill(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a, then a splitmix64 finaliser
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

}  // namespace swhub::plugins::express_manifest
