#include "customs_schema.hpp"

#include "risk_settings.hpp"

namespace swhub::plugins::customs {

sdk::Schema customsSchema() {
  using sdk::Schema;
  // The inline keys are the revenue settings' own (revenue_schema.cpp); the factory checks them
  // with that schema, as it checks a jurisdiction file's, so both report alike.
  Schema revenue = Schema::object("duties and taxes: a jurisdiction file, or its keys inline");
  revenue.optional("jurisdiction_file",
                   Schema::string("a YAML file of jurisdiction, tariff, currency_rates and collection, relative "
                                  "to the config file's folder")
                       .nonEmpty());
  revenue.optional("jurisdiction", Schema::any("inline: the jurisdiction (see the revenue settings)"));
  revenue.optional("tariff", Schema::any("inline: the tariff"));
  revenue.optional("currency_rates", Schema::any("inline: exchange rate tables"));
  revenue.optional("collection", Schema::any("inline: collection models"));

  Schema s = Schema::object("the customs agency: risk management, duties and taxes, release categories");
  s.required("revenue", revenue);
  s.optional("risk", riskSchema());
  return s;
}

}  // namespace swhub::plugins::customs
