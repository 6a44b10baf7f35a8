// RouteTable::compile: the YAML `routes` list -> immutable Route values. Everything a message
// needs is parsed here (filing kinds, amounts, prefixes), so route() only compares.
#include <algorithm>
#include <map>

#include "routing/route_table.hpp"
#include "swhub/sdk/schema.hpp"
#include "swhub/sdk/validate.hpp"

namespace swhub::routing {

namespace {

using sdk::Error;
using sdk::Errors;
using sdk::Schema;
using sdk::Value;

constexpr std::size_t kMinHsPrefix = 2;
constexpr std::size_t kMaxHsPrefix = 10;
// Item values are Decimal (4 fraction digits in an int64): keep bounds well inside it.
constexpr double kMaxItemValue = 99999999999999;

std::vector<std::string> filingKindNames() {
  std::vector<std::string> names;
  for (int k = static_cast<int>(sdk::FilingKind::PreLoading);
       k <= static_cast<int>(sdk::FilingKind::FinalSupplementary); ++k) {
    names.emplace_back(sdk::toString(static_cast<sdk::FilingKind>(k)));
  }
  return names;
}

// The shape of one route, as hub_schema.cpp declares it but without the references to agencies
// and partners (only the whole document defines those; the hub's schema checks them). compile()
// runs it so that it stands on its own, e.g. for a table given by a test or a reload.
const Schema& routeSchema() {
  static const Schema schema =
      Schema::object("one route")
          .required("name", Schema::string("the route's name").nonEmpty())
          .optional(
              "match",
              Schema::object("which filings and items the route applies to")
                  .optional("filings", Schema::list("filing kinds", Schema::oneOf("a filing kind",
                                                                                 filingKindNames())))
                  .optional("partners",
                            Schema::list("partner ids", Schema::string("a partner id").nonEmpty()))
                  .optional("categories", Schema::list("immediate-release categories",
                                                       Schema::integer("a category", 1, 4)))
                  .optional("hs_prefix",
                            Schema::list("HS code prefixes", Schema::string("an HS prefix")))
                  .optional("origins",
                            Schema::list("origin countries", Schema::string("a country code")))
                  .optional("value",
                            Schema::object("item value range, inclusive")
                                .optional("min", Schema::number("lowest item value", 0, kMaxItemValue))
                                .optional("max", Schema::number("highest item value", 0, kMaxItemValue))))
          .required("require", Schema::list("agency ids", Schema::string("an agency id").nonEmpty(), 1))
          .optional("notify", Schema::list("partner ids", Schema::string("a partner id").nonEmpty()));
  return schema;
}

std::string indexed(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

bool isDigits(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The list under `key` of `match`, or nullptr when absent, null or not a list (the schema
// reports the last).
const std::vector<Value>* listAt(const Value* match, std::string_view key) {
  const Value* v = match ? match->find(key) : nullptr;
  return v && v->isList() ? &v->items() : nullptr;
}

std::vector<std::string> texts(const Value& route, std::string_view key) {
  std::vector<std::string> out;
  if (const Value* v = route.find(key); v && v->isList()) {
    for (const auto& item : v->items()) out.push_back(item.asString());
  }
  return out;
}

// Semantic checks of one structurally valid (or partly valid) route, and its compiled form.
Route compileRoute(const Value& route, const std::string& path, Errors& errors) {
  Route r;
  if (const Value* name = route.find("name")) r.name = name->asString();
  r.require = texts(route, "require");
  r.notify = texts(route, "notify");

  const Value* match = route.find("match");
  if (match && !match->isMap()) match = nullptr;
  const std::string matchPath = path + ".match";

  if (const auto* filings = listAt(match, "filings")) {
    for (const auto& f : *filings) {
      // An unknown spelling is reported by the schema (with the allowed list).
      if (auto kind = sdk::parseFilingKind(f.asString())) r.filings.insert(*kind);
    }
  }
  if (const auto* partners = listAt(match, "partners")) {
    for (const auto& p : *partners) r.partners.insert(p.asString());
  }
  if (const auto* categories = listAt(match, "categories")) {
    for (const auto& c : *categories) {
      if (c.type() == sdk::ValueType::Int) r.categories.insert(static_cast<int>(c.asInt()));
    }
  }
  if (const auto* prefixes = listAt(match, "hs_prefix")) {
    for (std::size_t i = 0; i < prefixes->size(); ++i) {
      const Value& p = (*prefixes)[i];
      if (!p.isScalar()) continue;
      // Digits as written: a YAML reader that types 0201 as the integer 201 would lose the
      // chapter, so anything but 2 to 10 digits is refused rather than guessed.
      const std::string& text = p.asString();
      if (!isDigits(text) || text.size() < kMinHsPrefix || text.size() > kMaxHsPrefix) {
        errors.push_back({indexed(matchPath + ".hs_prefix", i),
                          "'" + text + "' is not an HS prefix: 2 to 10 digits expected"});
        continue;
      }
      if (std::find(r.hsPrefixes.begin(), r.hsPrefixes.end(), text) == r.hsPrefixes.end()) {
        r.hsPrefixes.push_back(text);
      }
    }
  }
  if (const auto* origins = listAt(match, "origins")) {
    for (std::size_t i = 0; i < origins->size(); ++i) {
      const Value& o = (*origins)[i];
      if (!o.isScalar()) continue;
      if (!sdk::isCountryCode(o.asString())) {
        errors.push_back({indexed(matchPath + ".origins", i),
                          "'" + o.asString() + "' is not an ISO 3166-1 alpha-2 country code"});
        continue;
      }
      r.origins.insert(o.asString());
    }
  }
  if (const Value* value = match ? match->find("value") : nullptr; value && value->isMap()) {
    auto amount = [&](std::string_view key) -> std::optional<sdk::Decimal> {
      const Value* v = value->find(key);
      if (!v || (v->type() != sdk::ValueType::Int && v->type() != sdk::ValueType::Double)) {
        return std::nullopt;  // absent, or a type error the schema reports
      }
      auto parsed = sdk::Decimal::parse(v->asString());
      if (!parsed) {
        errors.push_back({matchPath + ".value." + std::string(key),
                          "'" + v->asString() + "' is not an amount: a decimal with at most 4 "
                          "fraction digits expected"});
      }
      return parsed;
    };
    r.valueMin = amount("min");
    r.valueMax = amount("max");
    if (r.valueMin && r.valueMax && *r.valueMin > *r.valueMax) {
      errors.push_back({matchPath + ".value", "min " + value->find("min")->asString() +
                                                  " is greater than max " +
                                                  value->find("max")->asString()});
    }
  }
  return r;
}

}  // namespace

sdk::Result<std::shared_ptr<const RouteTable>> RouteTable::compile(const sdk::Value& routes,
                                                                  const std::string& path) {
  auto table = std::make_shared<RouteTable>();
  if (routes.isNull()) return std::shared_ptr<const RouteTable>(std::move(table));  // `routes:` left empty
  if (!routes.isList()) {
    return sdk::Result<std::shared_ptr<const RouteTable>>::failure(
        path, "expected list, got " + std::string(sdk::typeName(routes.type())));
  }

  Errors errors;
  std::map<std::string, std::size_t> firstByName;
  const auto& items = routes.items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string routePath = indexed(path, i);
    Errors shape = routeSchema().validate(items[i], routePath);
    errors.insert(errors.end(), shape.begin(), shape.end());
    if (!items[i].isMap()) continue;

    Route route = compileRoute(items[i], routePath, errors);
    if (const Value* name = items[i].find("name"); name && name->isScalar() && !route.name.empty()) {
      auto [at, fresh] = firstByName.emplace(route.name, i);
      if (!fresh) {
        errors.push_back({routePath + ".name", "duplicate route name '" + route.name +
                                                   "'; first defined at " +
                                                   indexed(path, at->second)});
      }
    }
    table->routes_.push_back(std::move(route));
  }
  if (!errors.empty()) return errors;
  return std::shared_ptr<const RouteTable>(std::move(table));
}

}  // namespace swhub::routing
