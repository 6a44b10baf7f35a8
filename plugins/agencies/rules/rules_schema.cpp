#include "rules_schema.hpp"

#include <string>
#include <string_view>
#include <vector>

#include "swhub/sdk/model.hpp"

namespace swhub::plugins::rules {

namespace {

// The decisions of DESIGN.md "Case lifecycle", as the API spells them.
const std::vector<std::string> kDecisions = {"clear", "hold", "inspect", "request-info", "reject", "do-not-load"};

// "sale, gift, ..." (the SDK's own list) -> {"sale", "gift", ...}, so the schema knows the
// spellings the SDK parses and suggests the nearest one.
std::vector<std::string> splitAllowed(const std::string& allowed) {
  std::vector<std::string> out;
  std::string_view rest = allowed;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view word = rest.substr(0, comma);
    while (!word.empty() && word.front() == ' ') word.remove_prefix(1);
    if (!word.empty()) out.emplace_back(word);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

sdk::Schema names(std::string description) {
  return sdk::Schema::list(std::move(description), sdk::Schema::string("one value").nonEmpty(), 1);
}

sdk::Schema whenSchema() {
  sdk::Schema when = sdk::Schema::object("conditions that must all hold for the rule to decide an item; none: always");
  when.optional("hs_prefix", names("the item's HS code starts with one of these prefixes (2 to 10 digits, quoted)"));
  when.optional("origins", names("the item's origin is one of these ISO 3166-1 alpha-2 countries"));
  when.optional("not_origins", names("the item's origin is none of these ISO 3166-1 alpha-2 countries"));
  when.optional("value_above", sdk::Schema::number("the item's value, in its currency, is above this", 0, 1e12));
  when.optional("value_at_most", sdk::Schema::number("the item's value, in its currency, is at most this", 0, 1e12));
  when.optional("weight_above_kg",
                sdk::Schema::number("the item's net weight (gross when net is absent) is above this, in kg", 0, 1e9));
  when.optional("natures", sdk::Schema::list("the item's nature is one of these",
                                             sdk::Schema::oneOf("a nature", splitAllowed(sdk::allowedNatures())), 1));
  when.optional("partners", names("the consignment was filed by one of these partners"));
  when.optional("seller_ids", names("the consignment's seller id is one of these"));
  when.optional("documents_missing", names("the item lacks at least one document of these types"));
  when.optional("documents_present", names("the item carries a document of every one of these types"));
  when.optional("filings", sdk::Schema::list("the filing kind is one of these",
                                             sdk::Schema::oneOf("a filing kind", splitAllowed(sdk::allowedFilingKinds())),
                                             1));
  return when;
}

void addOutcome(sdk::Schema& schema) {
  schema.required("decision", sdk::Schema::oneOf("the decision on the items", kDecisions));
  schema.required("reason", sdk::Schema::string("why, as the partner and the officer read it").nonEmpty());
  schema.optional("reason_code", sdk::Schema::string("a code for statistics and risk feedback").nonEmpty());
}

}  // namespace

sdk::Schema settingsSchema() {
  sdk::Schema rule = sdk::Schema::object("a rule");
  rule.required("name", sdk::Schema::string("a name unique among the rules, for traces").nonEmpty());
  rule.optional("when", whenSchema());
  addOutcome(rule);

  sdk::Schema fallback = sdk::Schema::object("the decision for items that no rule matches");
  addOutcome(fallback);

  sdk::Schema settings = sdk::Schema::object("an agency that decides by ordered rules, configured in YAML");
  settings.required("rules", sdk::Schema::list("rules evaluated in order per item; the first that holds decides", rule));
  settings.required("default", fallback);
  return settings;
}

}  // namespace swhub::plugins::rules
