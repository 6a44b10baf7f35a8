// The generic `rules` agency: an OGA (food safety, product safety, plant health, ...) that
// decides by ordered YAML rules, onboarded without code. See README.md for the settings.

#include <exception>
#include <memory>
#include <string>
#include <utility>

#include "rule_set.hpp"
#include "rules_schema.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::plugins::rules {

namespace {

class RulesAgency : public sdk::AgencyPlugin {
 public:
  RulesAgency(std::string id, RuleSet rules) : id_(std::move(id)), rules_(std::move(rules)) {}

  sdk::Result<sdk::Assessment> assess(const sdk::AssessmentRequest& request) const noexcept override {
    try {
      return rules_.assess(request.consignment);
    } catch (const std::exception& e) {
      return sdk::Errors{{"", "rules agency '" + id_ + "' failed: " + e.what()}};
    } catch (...) {
      return sdk::Errors{{"", "rules agency '" + id_ + "' failed: unknown exception"}};
    }
  }

 private:
  const std::string id_;
  const RuleSet rules_;
};

sdk::Result<std::unique_ptr<sdk::AgencyPlugin>> make(const sdk::InstanceContext& ctx) {
  // The hub has validated the settings already; checking again keeps a direct caller from
  // building an instance out of a malformed tree.
  sdk::Errors errors = settingsSchema().validate(ctx.settings, ctx.path);
  if (!errors.empty()) return errors;
  auto rules = RuleSet::compile(ctx.settings, ctx.path);
  if (!rules) return rules.errors();
  return std::unique_ptr<sdk::AgencyPlugin>(std::make_unique<RulesAgency>(ctx.id, rules.take()));
}

}  // namespace

}  // namespace swhub::plugins::rules

SWHUB_PLUGIN(Agency, "rules", "1.0.0", "Generic agency deciding per item by ordered YAML rules",
             swhub::plugins::rules::settingsSchema, swhub::plugins::rules::make)
