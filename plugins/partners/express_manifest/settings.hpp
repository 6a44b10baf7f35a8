#pragma once
// Settings of one express_manifest instance: validated by the hub against settingsSchema(), then
// turned once into this immutable object by the factory.

#include <cstddef>
#include <string>

#include "swhub/sdk/plugin.hpp"

namespace swhub::plugins::express_manifest {

enum class NotifyFormat { Csv, Json };

struct Settings {
  std::size_t max_errors = 1000;
  std::size_t max_line_bytes = 65536;
  NotifyFormat notify_format = NotifyFormat::Csv;
  bool csv_revenue_columns = true;  // false: the eight CSV columns of before issue 9
  std::string default_currency;  // "" = none: every line names its currency
};

sdk::Schema settingsSchema();

/// Reads settings already checked against settingsSchema(); checks what the schema cannot
/// (default_currency is an ISO 4217 code) and names the dotted path of each error.
sdk::Result<Settings> parseSettings(const sdk::InstanceContext& ctx);

}  // namespace swhub::plugins::express_manifest
