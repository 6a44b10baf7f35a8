#include "study/simulate.hpp"

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "common/instant.hpp"
#include "model/canonical_json.hpp"
#include "plugin/registry.hpp"
#include "release/case_status.hpp"
#include "swhub/sdk/schema.hpp"
#include "swhub/sdk/validate.hpp"

namespace swhub::study {
namespace {

using sdk::Decimal;
using sdk::Schema;

const Schema& alternativeSchema() {
  static const Schema schema =
      Schema::object("a threshold impact study: the alternative to replay the journal's cases under")
          .optional("revenue", Schema::map("the customs agency's `revenue` settings to start from "
                                           "(default: the agency's own): jurisdiction_file, relative "
                                           "to this file, or the keys inline",
                                           Schema::any("checked by the agency's plugin")))
          .optional("changes", Schema::map("merged into those settings: maps key by key, anything "
                                           "else replaced (e.g. jurisdiction.duty_threshold)",
                                           Schema::any("checked by the agency's plugin")))
          .optional("collection_model",
                    Schema::oneOf("every case as if filed under this collection model",
                                  {"vendor", "intermediary", "consumer", "account"}))
          .optional("cost", Schema::object("what collecting at the border costs")
                                .required("per_case", Schema::string("the cost of collecting from one case, in "
                                                                     "the jurisdiction's currency (decimal)")
                                                          .nonEmpty()))
          .optional("agency", Schema::string("the agency whose plugin and settings are replayed (default: the "
                                             "one agency whose plugin is customs)")
                                  .nonEmpty());
  return schema;
}

// Revenue settings with their jurisdiction_file made absolute against `dir`.
sdk::Value anchored(sdk::Value revenue, const std::filesystem::path& dir) {
  if (const sdk::Value* file = revenue.find("jurisdiction_file")) {
    std::filesystem::path p(file->asString());
    if (p.is_relative()) p = dir / p;
    revenue.set("jurisdiction_file", sdk::Value::string(p.lexically_normal().string()));
  }
  return revenue;
}

// The agency the study replays: the one named, else the only agency whose plugin is customs.
const config::AgencyConfig& agencyOf(const config::HubConfig& config, const std::string& wanted) {
  std::vector<const config::AgencyConfig*> found;
  for (const auto& a : config.agencies) {
    if (wanted.empty() ? a.plugin == "customs" : a.id == wanted) found.push_back(&a);
  }
  if (found.size() == 1 && !found.front()->plugin.empty()) return *found.front();
  if (!wanted.empty()) {
    throw std::invalid_argument(found.empty() ? "no agency '" + wanted + "' in the config"
                                              : "agency '" + wanted + "' has no plugin: nothing to replay");
  }
  throw std::invalid_argument(found.empty() ? "no agency with plugin 'customs' in the config: name one with `agency:`"
                                            : "several agencies use plugin 'customs': name one with `agency:`");
}

// Counts one case's revenue lines, category and model into `totals`.
void count(Totals& totals, const std::vector<sdk::RevenueLine>& lines, std::optional<int> category,
           bool assessed, bool consumerModel, Decimal costPerCase) {
  ++totals.cases;
  totals.categories[category ? std::to_string(*category) : "none"] += 1;
  if (!assessed) return;
  ++totals.assessed;
  Decimal revenue, atBorder;
  std::set<int> items;
  for (const auto& line : lines) {
    totals.revenueByTax[line.tax] = totals.revenueByTax[line.tax] + line.amount;
    revenue = revenue + line.amount;
    if (line.collected_at_sale) {
      totals.collectedAtSale = totals.collectedAtSale + line.amount;
    } else {
      atBorder = atBorder + line.amount;
    }
    if (line.item && line.amount > Decimal()) items.insert(*line.item);
  }
  totals.revenue = totals.revenue + revenue;
  totals.dueAtBorder = totals.dueAtBorder + atBorder;
  if (revenue > Decimal()) ++totals.casesDutiable;
  totals.itemsDutiable += static_cast<std::int64_t>(items.size());
  if (consumerModel && atBorder > Decimal()) {
    ++totals.casesCollectedAtBorder;
    totals.collectionCost = totals.collectionCost + costPerCase;
  }
}

void add(Totals& into, const Totals& from) {
  into.cases += from.cases;
  into.assessed += from.assessed;
  for (const auto& [tax, amount] : from.revenueByTax) into.revenueByTax[tax] = into.revenueByTax[tax] + amount;
  into.revenue = into.revenue + from.revenue;
  into.collectedAtSale = into.collectedAtSale + from.collectedAtSale;
  into.dueAtBorder = into.dueAtBorder + from.dueAtBorder;
  into.casesDutiable += from.casesDutiable;
  into.itemsDutiable += from.itemsDutiable;
  into.casesCollectedAtBorder += from.casesCollectedAtBorder;
  for (const auto& [category, n] : from.categories) into.categories[category] += n;
  into.collectionCost = into.collectionCost + from.collectionCost;
}

// A day "YYYY-MM-DD" is its midnight UTC; an instant is kept as written (the report's text). `at`:
// the instant it names, read once here.
std::string instant(const std::string& text, const std::string& option, common::Instant& at) {
  if (text.size() == 10) {
    if (auto day = common::parseInstant(text + "T00:00:00Z")) {
      at = *day;
      return text + "T00:00:00.000Z";
    }
  }
  if (auto parsed = common::parseInstant(text)) {
    at = *parsed;
    return text;
  }
  throw std::invalid_argument("--" + option + " '" + text + "': expected a day YYYY-MM-DD or an RFC 3339 UTC instant");
}

struct Shard {
  Totals actual, simulated;
  std::int64_t failed = 0;
  std::string firstFailure;
};

}  // namespace

sdk::Value merged(const sdk::Value& base, const sdk::Value& changes) {
  if (!base.isMap() || !changes.isMap()) return changes;
  sdk::Value out = sdk::Value::map();
  for (const auto& [key, value] : base.entries()) {
    const sdk::Value* change = changes.find(key);
    out.set(key, change ? merged(value, *change) : value);
  }
  for (const auto& [key, value] : changes.entries()) {
    if (!base.find(key)) out.set(key, value);
  }
  return out;
}

Alternative loadAlternative(const std::string& path) {
  const sdk::Value document = config::parseYamlFile(path);
  if (auto errors = alternativeSchema().validate(document, ""); !errors.empty()) throw config::ConfigError(errors);
  Alternative alternative;
  const auto dir = std::filesystem::absolute(path).parent_path();
  if (const sdk::Value* revenue = document.find("revenue")) alternative.revenue = anchored(*revenue, dir);
  if (const sdk::Value* changes = document.find("changes")) alternative.changes = *changes;
  if (const sdk::Value* model = document.find("collection_model")) {
    alternative.collectionModel = sdk::parseCollectionModel(model->asString());
  }
  if (const sdk::Value* cost = document.find("cost")) {
    const std::string text = cost->find("per_case")->asString();
    const auto amount = Decimal::parse(text);
    if (!amount || *amount < Decimal()) {
      throw config::ConfigError({{"cost.per_case", "'" + text + "' is not an amount (a decimal, at least 0)"}});
    }
    alternative.costPerCase = *amount;
  }
  if (const sdk::Value* agency = document.find("agency")) alternative.agency = agency->asString();
  return alternative;
}

Report simulate(const config::HubConfig& config, journal::Journal& journal, const Alternative& alternative,
                const std::string& fromText, const std::string& toText, unsigned threads) {
  const config::AgencyConfig& agency = agencyOf(config, alternative.agency);
  plugin::PluginRegistry registry;
  registry.setConfigDir(config.base_dir);
  sdk::Errors errors;
  for (const auto& entry : config.plugins) {
    if (entry.name == agency.plugin) registry.load(entry, config.plugin_dir, errors);
  }
  if (!errors.empty()) throw config::ConfigError(errors);
  sdk::Value settings = agency.settings;
  sdk::Value revenue = alternative.revenue ? *alternative.revenue
                                           : anchored(settings.find("revenue") ? *settings.find("revenue")
                                                                               : sdk::Value::map(),
                                                      config.base_dir);
  if (alternative.changes) {
    // The changes apply to the rules themselves: a jurisdiction file is read in first.
    if (const sdk::Value* file = revenue.find("jurisdiction_file")) revenue = config::parseYamlFile(file->asString());
    revenue = merged(revenue, *alternative.changes);
  }
  settings.set("revenue", revenue);
  // Errors name the effective settings: the agency's, with the study's revenue in place.
  auto replayed = registry.makeAgency(agency.plugin, agency.id, "agencies." + agency.id, settings, errors);
  if (!replayed) throw config::ConfigError(errors);
  const bool findings = replayed->source->descriptor->abi_minor >= plugin::kFindingsAbiMinor;
  if (!findings) {
    throw std::invalid_argument("plugin '" + agency.plugin + "' reports no findings (built for an SDK before 3." +
                                std::to_string(plugin::kFindingsAbiMinor) + "): nothing to study");
  }

  Report report;
  common::Instant from, to;
  report.from = instant(fromText, "from", from);
  report.to = instant(toText, "to", to);
  report.agency = agency.id;
  const Decimal cost = alternative.costPerCase;

  // One case, both sides: what was recorded, and the plugin's findings under the alternative.
  auto study = [&](const journal::CaseRecord& record, Shard& shard) {
    const auto status = release::CaseStatus::fromJson(record.status_json);
    count(shard.actual, status.revenueLines, status.category, status.revenueAssessed, status.collection == "consumer",
          cost);
    model::DecodeOptions options;
    options.allow_hub_fields = true;
    options.validate = false;
    auto consignment = model::decodeConsignmentJson(record.consignment_json, options);
    sdk::AssessmentRequest request;
    request.agency = agency.id;
    request.received_at = common::toString(record.created_at);
    std::string failure;
    if (consignment.ok()) {
      request.consignment = consignment.take();
      request.consignment.derived = {};  // as the agency saw it when it was filed
      if (alternative.collectionModel) request.consignment.fiscal.model = *alternative.collectionModel;
      auto assessed = replayed->plugin->assessCase(request);
      if (assessed.ok()) {
        const sdk::Findings& f = assessed.value().findings;
        count(shard.simulated, f.revenue, f.category, f.revenue_assessed, f.model == sdk::CollectionModel::Consumer,
              cost);
        return;
      }
      failure = sdk::formatErrors(assessed.errors());
    } else {
      failure = "stored consignment unreadable: " + sdk::formatErrors(consignment.errors());
    }
    count(shard.simulated, {}, std::nullopt, false, false, cost);
    if (shard.failed++ == 0) shard.firstFailure = record.id + ": " + failure;
  };

  threads = std::max(1u, threads);
  std::vector<Shard> shards(threads);
  std::vector<journal::CaseRecord> batch;
  auto run = [&] {
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (std::size_t i = t; i < batch.size(); i += threads) study(batch[i], shards[t]);
      });
    }
    for (auto& w : workers) w.join();
    batch.clear();
  };
  journal.forEachCaseFiled(from, to, [&](const journal::CaseRecord& record) {
    batch.push_back(record);
    if (batch.size() == 4096) run();
    return true;
  });
  run();
  for (const auto& shard : shards) {
    add(report.actual, shard.actual);
    add(report.simulated, shard.simulated);
    if (report.failed == 0 && shard.failed > 0) report.firstFailure = shard.firstFailure;
    report.failed += shard.failed;
  }
  return report;
}

namespace {

Poco::JSON::Object totalsJson(const Totals& t) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("cases", t.cases);
  o.set("assessed", t.assessed);
  Poco::JSON::Object byTax(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [tax, amount] : t.revenueByTax) byTax.set(tax, amount.toString());
  o.set("revenue_by_tax", byTax);
  o.set("revenue", t.revenue.toString());
  o.set("collected_at_sale", t.collectedAtSale.toString());
  o.set("due_at_border", t.dueAtBorder.toString());
  o.set("cases_dutiable", t.casesDutiable);
  o.set("items_dutiable", t.itemsDutiable);
  o.set("cases_collected_at_border", t.casesCollectedAtBorder);
  Poco::JSON::Object categories(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const char* c : {"1", "2", "3", "4", "none"}) {
    auto it = t.categories.find(c);
    categories.set(c, it == t.categories.end() ? 0 : it->second);
  }
  o.set("categories", categories);
  o.set("collection_cost", t.collectionCost.toString());
  o.set("net", (t.revenue - t.collectionCost).toString());
  return o;
}

// Every row of the CSV and the difference: metric, actual, simulated, simulated - actual.
std::vector<std::pair<std::string, std::pair<std::string, std::string>>> rows(const Report& r) {
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>> out;
  auto number = [&](const std::string& name, std::int64_t a, std::int64_t s) {
    out.push_back({name, {std::to_string(a), std::to_string(s)}});
  };
  auto money = [&](const std::string& name, Decimal a, Decimal s) { out.push_back({name, {a.toString(), s.toString()}}); };
  number("cases", r.actual.cases, r.simulated.cases);
  number("assessed", r.actual.assessed, r.simulated.assessed);
  std::set<std::string> taxes;
  for (const auto& [tax, amount] : r.actual.revenueByTax) taxes.insert(tax);
  for (const auto& [tax, amount] : r.simulated.revenueByTax) taxes.insert(tax);
  for (const auto& tax : taxes) {
    auto of = [&](const Totals& t) {
      auto it = t.revenueByTax.find(tax);
      return it == t.revenueByTax.end() ? Decimal() : it->second;
    };
    money("revenue." + tax, of(r.actual), of(r.simulated));
  }
  money("revenue", r.actual.revenue, r.simulated.revenue);
  money("collected_at_sale", r.actual.collectedAtSale, r.simulated.collectedAtSale);
  money("due_at_border", r.actual.dueAtBorder, r.simulated.dueAtBorder);
  number("cases_dutiable", r.actual.casesDutiable, r.simulated.casesDutiable);
  number("items_dutiable", r.actual.itemsDutiable, r.simulated.itemsDutiable);
  number("cases_collected_at_border", r.actual.casesCollectedAtBorder, r.simulated.casesCollectedAtBorder);
  for (const char* c : {"1", "2", "3", "4", "none"}) {
    auto of = [&](const Totals& t) {
      auto it = t.categories.find(c);
      return it == t.categories.end() ? std::int64_t{0} : it->second;
    };
    number(std::string("category.") + c, of(r.actual), of(r.simulated));
  }
  money("collection_cost", r.actual.collectionCost, r.simulated.collectionCost);
  money("net", r.actual.revenue - r.actual.collectionCost, r.simulated.revenue - r.simulated.collectionCost);
  return out;
}

std::string difference(const std::string& actual, const std::string& simulated) {
  const auto a = Decimal::parse(actual);
  const auto s = Decimal::parse(simulated);
  if (!a || !s) return "";
  const bool integral = actual.find('.') == std::string::npos && simulated.find('.') == std::string::npos;
  const Decimal d = *s - *a;
  return integral ? std::to_string(d.units() / Decimal::kScale) : d.toString();
}

}  // namespace

std::string toJson(const Report& report) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  Poco::JSON::Object period(Poco::JSON_PRESERVE_KEY_ORDER);
  period.set("from", report.from);
  period.set("to", report.to);
  o.set("period", period);
  o.set("agency", report.agency);
  o.set("actual", totalsJson(report.actual));
  o.set("simulated", totalsJson(report.simulated));
  Poco::JSON::Object diff(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [metric, values] : rows(report)) diff.set(metric, difference(values.first, values.second));
  o.set("difference", diff);
  o.set("failed", report.failed);
  if (!report.firstFailure.empty()) o.set("first_failure", report.firstFailure);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

std::string toCsv(const Report& report) {
  std::string out = "metric,actual,simulated,difference\n";
  for (const auto& [metric, values] : rows(report)) {
    out += metric + "," + values.first + "," + values.second + "," + difference(values.first, values.second) + "\n";
  }
  return out;
}

}  // namespace swhub::study
