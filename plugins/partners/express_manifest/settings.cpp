#include "settings.hpp"

#include "swhub/sdk/validate.hpp"

namespace swhub::plugins::express_manifest {

sdk::Schema settingsSchema() {
  sdk::Schema schema = sdk::Schema::object("Express carrier consolidated manifests (CSV or JSON), streamed");
  schema.optional("max_errors", sdk::Schema::integer("errors listed per manifest before one final "
                                                     "'N more errors not listed' (default 1000)",
                                                     1, 100000));
  schema.optional("max_line_bytes", sdk::Schema::integer("longest CSV line or JSON string, in bytes; a longer "
                                                         "one is an error (default 65536)",
                                                         256, 1048576));
  schema.optional("notify_format", sdk::Schema::oneOf("format of notifications: csv (default) or json",
                                                      {"csv", "json"}));
  schema.optional("csv_revenue_columns",
                  sdk::Schema::boolean("CSV notifications end with revenue_due, revenue_currency and revenue_why "
                                       "(default true); false keeps the eight columns ending with reason_codes"));
  schema.optional("default_currency", sdk::Schema::string("ISO 4217 currency of lines that name none; absent: "
                                                          "every line names its currency")
                                          .nonEmpty());
  return schema;
}

sdk::Result<Settings> parseSettings(const sdk::InstanceContext& ctx) {
  Settings settings;
  const sdk::Value& v = ctx.settings;
  if (const sdk::Value* x = v.find("max_errors")) settings.max_errors = static_cast<std::size_t>(x->asInt());
  if (const sdk::Value* x = v.find("max_line_bytes")) settings.max_line_bytes = static_cast<std::size_t>(x->asInt());
  if (const sdk::Value* x = v.find("notify_format"))
    settings.notify_format = x->asString() == "json" ? NotifyFormat::Json : NotifyFormat::Csv;
  if (const sdk::Value* x = v.find("csv_revenue_columns")) settings.csv_revenue_columns = x->asBool();
  if (const sdk::Value* x = v.find("default_currency")) {
    if (!sdk::isCurrencyCode(x->asString())) {
      const std::string path = ctx.path.empty() ? "default_currency" : ctx.path + ".default_currency";
      return sdk::Errors{{path, "'" + x->asString() + "' is not an ISO 4217 currency code"}};
    }
    settings.default_currency = x->asString();
  }
  return settings;
}

}  // namespace swhub::plugins::express_manifest
