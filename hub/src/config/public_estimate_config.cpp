#include "config/public_estimate_config.hpp"

#include <filesystem>
#include <map>

#include "config/config.hpp"

namespace swhub::config {
namespace {

namespace fs = std::filesystem;
using sdk::Schema;

bool digits(const std::string& text) { return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos; }

bool country(const std::string& text) {
  return text.size() == 2 && text[0] >= 'A' && text[0] <= 'Z' && text[1] >= 'A' && text[1] <= 'Z';
}

Schema headingsSchema() {
  return Schema::object("a nomenclature for the public estimate: the HS subheadings a search word may resolve to")
      .required("headings",
                Schema::list("subheadings, each with the words it is searched by",
                             Schema::object("one subheading")
                                 .required("hs", Schema::string("its code, 6 to 10 digits (quote it: a leading zero is kept)")
                                                     .nonEmpty())
                                 .required("description", Schema::string("what it covers, for a buyer").nonEmpty())
                                 .required("keywords", Schema::list("words and short phrases a buyer would search it by",
                                                                    Schema::string("a keyword").nonEmpty(), 1)),
                             1));
}

}  // namespace

Schema publicEstimateSchema() {
  return Schema::object("the public landed-cost estimate (GET /v1/public/estimate, no credentials): duties, taxes and "
                        "the agencies' rules computed by the agency plugins on goods described in the query; "
                        "README \"Public estimate\"")
      .optional("enabled", Schema::boolean("answer estimates (default false: 404 estimate-disabled)"))
      .optional("per_minute",
                Schema::integer("estimates one source address may ask for per minute, on average (default 30); "
                                "beyond: 429 with Retry-After. Behind a proxy every client shares the proxy's address",
                                1, 600000))
      .optional("burst", Schema::integer("estimates one source address may ask for at once before the per-minute pace "
                                         "applies (default 10)",
                                         1, 100000))
      .optional("max_in_progress",
                Schema::integer("estimates computed at once (default 2): one more is 503 with Retry-After, so that "
                                "the public never takes the agency plugins' call threads from the border's assessments",
                                1, 1024))
      .optional("destinations",
                Schema::list("countries of destination this hub's border serves, ISO 3166-1 alpha-2 (default: any); "
                             "another destination is a 400 naming `destination`",
                             Schema::string("a country code").nonEmpty()))
      .optional("nomenclature",
                Schema::string("a YAML file of HS subheadings with keywords (config/tariff/hs-headings.yaml), relative "
                               "to this file's folder: an item may then give a search word instead of its HS code")
                    .nonEmpty());
}

std::vector<Heading> readHeadings(const sdk::Value& document, const std::string& where, sdk::Errors& errors) {
  std::vector<Heading> out;
  const sdk::Errors invalid = headingsSchema().validate(document, where);
  if (!invalid.empty()) {
    errors.insert(errors.end(), invalid.begin(), invalid.end());
    return out;
  }
  std::map<std::string, std::size_t> seen;
  const auto& items = document.find("headings")->items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string at = where + ".headings[" + std::to_string(i) + "]";
    Heading heading;
    heading.hs = items[i].find("hs")->asString();
    heading.description = items[i].find("description")->asString();
    for (const auto& keyword : items[i].find("keywords")->items()) heading.keywords.push_back(keyword.asString());
    if (!digits(heading.hs) || heading.hs.size() < 6 || heading.hs.size() > 10) {
      errors.push_back({at + ".hs", "'" + heading.hs + "' is not an HS code: 6 to 10 digits expected"});
      continue;
    }
    auto [it, inserted] = seen.emplace(heading.hs, i);
    if (!inserted) {
      errors.push_back({at + ".hs", "'" + heading.hs + "' is also " + where + ".headings[" + std::to_string(it->second) +
                                        "].hs: one entry per code"});
      continue;
    }
    out.push_back(std::move(heading));
  }
  return out;
}

PublicEstimateConfig readPublicEstimate(const sdk::Value& node, const std::string& base, sdk::Errors& errors) {
  PublicEstimateConfig out;
  const std::string path = "hub.public_estimate";
  if (const sdk::Value* v = node.find("enabled")) out.enabled = v->asBool();
  if (const sdk::Value* v = node.find("per_minute")) out.per_minute = static_cast<int>(v->asInt());
  if (const sdk::Value* v = node.find("burst")) out.burst = static_cast<int>(v->asInt());
  if (const sdk::Value* v = node.find("max_in_progress")) out.max_in_progress = static_cast<int>(v->asInt());
  if (const sdk::Value* list = node.find("destinations")) {
    for (std::size_t i = 0; i < list->items().size(); ++i) {
      const std::string code = list->items()[i].asString();
      if (!country(code)) {
        errors.push_back({path + ".destinations[" + std::to_string(i) + "]",
                          "'" + code + "' is not an ISO 3166-1 alpha-2 country code"});
        continue;
      }
      out.destinations.push_back(code);
    }
  }
  if (const sdk::Value* file = node.find("nomenclature")) {
    const std::string written = file->asString();
    const fs::path p(written);
    out.nomenclature = (p.is_absolute() ? p : fs::path(base) / p).lexically_normal().string();
    const std::string where = path + ".nomenclature(" + written + ")";
    try {
      out.headings = readHeadings(parseYamlFile(out.nomenclature), where, errors);
    } catch (const ConfigError& e) {
      for (const auto& error : e.errors()) errors.push_back({path + ".nomenclature", error.path + ": " + error.message});
    }
  }
  return out;
}

}  // namespace swhub::config
