// The `customs` agency: risk management, duties and taxes with collection models, and WCO
// Immediate Release categories (issue 9). See README.md for the settings.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "customs_agency.hpp"
#include "customs_schema.hpp"
#include "revenue_settings.hpp"
#include "risk_settings.hpp"
#include "swhub/sdk/plugin.hpp"
#include "yaml_file.hpp"

namespace swhub::plugins::customs {

namespace {

const char* const kInlineKeys[] = {"jurisdiction", "tariff", "currency_rates", "collection"};

void append(sdk::Errors& to, const sdk::Errors& from) { to.insert(to.end(), from.begin(), from.end()); }

// The revenue settings as written, checked against the revenue schema and compiled, every error
// under `path`.
std::optional<Settings> compileRevenue(const sdk::Value& tree, const std::string& path, sdk::Errors& errors) {
  sdk::Errors shape = settingsSchema().validate(tree, path);
  if (!shape.empty()) {
    append(errors, shape);
    return std::nullopt;
  }
  auto compiled = compileSettings(tree, path);
  if (!compiled) {
    append(errors, compiled.errors());
    return std::nullopt;
  }
  return compiled.take();
}

// `revenue`: either `jurisdiction_file` (relative to the config file's folder) or the keys inline.
std::optional<Settings> loadRevenue(const sdk::InstanceContext& ctx, sdk::Errors& errors) {
  const std::string path = ctx.path + ".revenue";
  const sdk::Value* revenue = ctx.settings.find("revenue");
  const sdk::Value* file = revenue != nullptr ? revenue->find("jurisdiction_file") : nullptr;
  sdk::Value inlined = sdk::Value::map();
  if (revenue != nullptr) {
    for (const char* key : kInlineKeys) {
      if (const sdk::Value* v = revenue->find(key)) inlined.set(key, *v);
    }
  }
  if (file != nullptr && !inlined.entries().empty()) {
    errors.push_back({path + ".jurisdiction_file", "give either jurisdiction_file or the revenue keys inline "
                                                   "(jurisdiction, tariff, currency_rates, collection), not both"});
    return std::nullopt;
  }
  if (file == nullptr && inlined.entries().empty()) {
    errors.push_back({path, "required: jurisdiction_file, or jurisdiction and tariff inline"});
    return std::nullopt;
  }
  if (file == nullptr) return compileRevenue(inlined, path, errors);

  const std::string& written = file->asString();
  std::filesystem::path resolved(written);
  if (resolved.is_relative() && !ctx.config_dir.empty()) resolved = std::filesystem::path(ctx.config_dir) / resolved;
  auto tree = readYamlFile(resolved.lexically_normal().string());
  if (!tree) {
    for (const sdk::Error& e : tree.errors()) errors.push_back({path + ".jurisdiction_file", e.message});
    return std::nullopt;
  }
  // Errors inside the file name it as written: revenue.jurisdiction_file(jurisdictions/x.yaml).tariff...
  return compileRevenue(tree.value(), path + ".jurisdiction_file(" + written + ")", errors);
}

sdk::Result<std::unique_ptr<sdk::AgencyPlugin>> make(const sdk::InstanceContext& ctx) {
  // The hub has validated the settings already; checking again keeps a direct caller from
  // building an instance out of a malformed tree.
  sdk::Errors errors = customsSchema().validate(ctx.settings, ctx.path);
  if (!errors.empty()) return errors;
  std::optional<Settings> revenue = loadRevenue(ctx, errors);
  std::optional<RiskSettings> risk;
  if (const sdk::Value* node = ctx.settings.find("risk"); node != nullptr && !node->isNull()) {
    // Compiled even when the revenue failed, so that every error comes out at once.
    auto compiled = compileRisk(*node, ctx.path + ".risk", revenue ? &*revenue : nullptr);
    if (compiled) risk = compiled.take();
    else append(errors, compiled.errors());
  }
  if (!errors.empty()) return errors;
  return std::unique_ptr<sdk::AgencyPlugin>(std::make_unique<CustomsAgency>(ctx.id, std::move(*revenue), std::move(risk)));
}

}  // namespace

}  // namespace swhub::plugins::customs

SWHUB_PLUGIN(Agency, "customs", "1.0.0", "Customs: risk management, duties and taxes, immediate-release categories",
             swhub::plugins::customs::customsSchema, swhub::plugins::customs::make)
