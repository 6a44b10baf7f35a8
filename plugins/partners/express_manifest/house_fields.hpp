#pragma once
// The fields of a house waybill, shared by the CSV and JSON forms: their names in each form, how
// a field's text becomes part of a canonical consignment, and which field a canonical error path
// (from sdk::validateConsignment) points back to.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "settings.hpp"
#include "swhub/sdk/model.hpp"

namespace swhub::plugins::express_manifest {

enum class Field {
  MasterWaybill, HouseWaybill, ShipperName, ShipperCountry, ConsigneeName, ConsigneeAddress,
  ConsigneeCountry, Description, HsCode, Quantity, Unit, NetKg, GrossKg, Value, Currency, Origin,
  Nature, Flight, Departure, Destination, Arrival, LineNo,
};
inline constexpr std::size_t kFieldCount = static_cast<std::size_t>(Field::LineNo) + 1;

/// The CSV column name ("hs_code") and the JSON key ("hs") of a field.
std::string_view csvName(Field field);
std::string_view jsonName(Field field);
/// The field of a CSV column name, or nullopt.
std::optional<Field> fieldOfCsvName(std::string_view name);
/// True for fields of the item (description .. nature, line_no); the others belong to the house.
bool isItemField(Field field);
/// True for fields of the transport, the same for every house of a manifest in the JSON form.
bool isManifestField(Field field);

/// Sets a text field of the house (everything but item fields) on `c`.
void applyHouseField(sdk::Consignment& c, Field field, std::string_view text);
/// Sets an item field on `item`; returns what is wrong with `text` when it cannot be read (a
/// number that is not one). Empty text leaves the default (nature sale, currency from settings).
std::optional<std::string> applyItemField(sdk::Item& item, Field field, std::string_view text);
/// Fills what the line leaves out: the default currency of the settings.
void completeItem(sdk::Item& item, const Settings& settings);

/// Where a canonical error path ("/items/2/hs", "/reference") points back to.
struct FieldRef {
  std::optional<Field> field;  // nullopt: not a single field
  std::optional<std::size_t> item;
};
FieldRef fieldOfCanonicalPath(std::string_view path);

/// 64-bit hash of a house waybill, for the duplicate index.
std::uint64_t hashWaybill(std::string_view text);

}  // namespace swhub::plugins::express_manifest
