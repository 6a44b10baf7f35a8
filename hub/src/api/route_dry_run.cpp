#include "api/route_dry_run.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "config/config.hpp"
#include "model/canonical_json.hpp"
#include "model/json_writer.hpp"
#include "release/case_status.hpp"

namespace swhub::api {
namespace {

HttpResult invalid(const std::string& detail, sdk::Errors errors) {
  return problem(400, "invalid-dry-run", "Bad Request", detail, std::move(errors));
}

void writeStrings(std::string& out, const std::vector<std::string>& values) {
  out += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    model::detail::appendJsonString(out, values[i]);
  }
  out += ']';
}

}  // namespace

sdk::Result<std::shared_ptr<const routing::RouteTable>> compileRouteFile(const sdk::Value& running,
                                                                        const std::string& source,
                                                                        const std::string& yaml) {
  try {
    const sdk::Value file = config::parseYamlString(yaml, "routes_yaml");
    sdk::Value routes = file;
    if (file.isMap()) {
      const sdk::Value* listed = file.find("routes");
      if (listed == nullptr || file.entries().size() != 1) {
        return sdk::Result<std::shared_ptr<const routing::RouteTable>>::failure(
            "routes_yaml", "a route file holds one key, `routes:` (hub.yaml's section), or the list alone");
      }
      routes = *listed;
    }
    // Checked in the running configuration, as check-config checks hub.yaml: the same schema,
    // the same references (an agency or a partner this hub does not have is named).
    sdk::Value document = running;
    document.set("routes", routes);
    config::buildConfig(document, source);
    return routing::RouteTable::compile(routes.isNull() ? sdk::Value::list() : routes, "routes");
  } catch (const config::ConfigError& e) {
    return e.errors();
  }
}

HttpResult RouteDryRun::run(const std::string& body) const {
  try {
    return runChecked(body);
  } catch (const Poco::Exception& e) {
    // A member of the wrong type (a number where a string goes): the client's doing, never a 500.
    return invalid("a member of the body has the wrong type", {{"", e.displayText()}});
  }
}

HttpResult RouteDryRun::runChecked(const std::string& body) const {
  Poco::JSON::Object::Ptr request;
  try {
    request = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return invalid("the body is not a JSON object", {{"", "a JSON object expected"}});
  }
  if (!request) return invalid("the body is not a JSON object", {{"", "a JSON object expected"}});
  const bool byCase = request->has("case_id");
  const bool pasted = request->has("consignment");
  if (byCase == pasted) {
    return invalid("name a past filing or paste a consignment", {{"case_id", "give `case_id` or `consignment`, one of them"}});
  }
  std::shared_ptr<const routing::RouteTable> table = current_();
  std::string source = "current";
  if (request->has("routes_yaml")) {
    const Poco::Dynamic::Var yaml = request->get("routes_yaml");
    if (!yaml.isString()) return invalid("the route file is not a string", {{"routes_yaml", "YAML text expected"}});
    auto compiled = compileRouteFile(running_, source_, yaml.extract<std::string>());
    if (!compiled.ok()) return invalid("the route file is not valid; nothing was tried", compiled.errors());
    table = compiled.take();
    source = "uploaded";
  }

  sdk::Consignment consignment;
  std::string caseId;
  if (byCase) {
    const Poco::Dynamic::Var id = request->get("case_id");
    caseId = id.isString() ? id.extract<std::string>() : std::string();
    if (caseId.empty()) return invalid("no case id", {{"case_id", "a case id (string) expected"}});
    auto record = journal_.getCase(caseId);
    if (!record) return problem(404, "case-not-found", "Not Found", "no case '" + caseId + "'");
    model::DecodeOptions options;
    options.allow_hub_fields = true;
    options.validate = false;
    auto decoded = model::decodeConsignmentJson(record->consignment_json, options);
    if (!decoded.ok()) {
      return problem(500, "journal-unreadable", "Internal Server Error",
                     "case '" + caseId + "': its stored consignment cannot be read");
    }
    consignment = decoded.take();
    consignment.partner = record->partner;
    // The category the case has now: category routes match as they would on it.
    const auto status = release::CaseStatus::fromJson(record->status_json);
    if (status.category) consignment.derived.category = status.category;
  } else {
    const Poco::Dynamic::Var pastedValue = request->get("consignment");
    if (pastedValue.type() != typeid(Poco::JSON::Object::Ptr)) {
      return invalid("the consignment is not a JSON object", {{"consignment", "a canonical consignment (object) expected"}});
    }
    std::ostringstream text;
    pastedValue.extract<Poco::JSON::Object::Ptr>()->stringify(text);
    model::DecodeOptions options;
    options.allow_hub_fields = true;
    auto decoded = model::decodeConsignmentJson(text.str(), options);
    if (!decoded.ok()) {
      sdk::Errors errors;
      for (const auto& e : decoded.errors()) errors.push_back({"consignment" + e.path, e.message});
      return invalid("the consignment is not a valid canonical consignment", errors);
    }
    consignment = decoded.take();
    if (request->has("partner")) consignment.partner = request->optValue<std::string>("partner", "");
    if (request->has("category")) {
      const int category = request->optValue<int>("category", 0);
      if (category < 1 || category > 4) return invalid("no such category", {{"category", "1 to 4 expected"}});
      consignment.derived.category = category;
    }
  }

  const routing::RoutingDecision decision = table ? table->route(consignment) : routing::RoutingDecision{};
  const std::vector<routing::RouteMatch> matches = table ? table->explain(consignment) : std::vector<routing::RouteMatch>{};
  std::string out;
  {
    model::ObjectWriter w(out);
    w.string("routes_from", source, true);
    if (caseId.empty()) {
      w.raw("case_id", "null");
    } else {
      w.string("case_id", caseId, true);
    }
    w.string("partner", consignment.partner, true);
    if (consignment.derived.category) {
      w.integer("category", *consignment.derived.category);
    } else {
      w.raw("category", "null");
    }
    writeStrings(w.key("agencies"), decision.agencies);
    {
      model::ObjectWriter items(w.key("items_by_agency"));
      for (const auto& [agency, sequences] : decision.itemsByAgency) items.integers(agency, sequences);
    }
    std::string& routes = w.key("routes");
    routes += '[';
    for (std::size_t i = 0; i < matches.size(); ++i) {
      if (i) routes += ',';
      model::ObjectWriter r(routes);
      r.string("name", matches[i].name, true);
      writeStrings(r.key("require"), matches[i].require);
      r.integers("items", matches[i].items);
    }
    routes += ']';
    writeStrings(w.key("notify"), decision.notify);
  }
  return json(200, std::move(out));
}

}  // namespace swhub::api
