// The shape of the revenue settings; meaning (amounts, dates, prefixes, rates) is checked by
// compileSettings(), which names every error with its dotted path as the schema does.

#include <string>
#include <utility>

#include "revenue_settings.hpp"

namespace swhub::plugins::customs {

namespace {

using sdk::Schema;

Schema amount(std::string description) { return Schema::string(std::move(description)).nonEmpty(); }

void addValidity(Schema& schema) {
  schema.optional("from", Schema::string("first day in force, YYYY-MM-DD (inclusive); absent: always was"));
  schema.optional("until", Schema::string("first day no longer in force, YYYY-MM-DD (exclusive); absent: no end"));
}

Schema money(std::string description) {
  Schema s = Schema::object(std::move(description));
  s.required("amount", amount("a decimal amount, at most 4 fraction digits"));
  s.required("currency", Schema::string("its ISO 4217 currency").nonEmpty());
  return s;
}

Schema countries(std::string description) {
  return Schema::list(std::move(description), Schema::string("ISO 3166-1 alpha-2, e.g. US").nonEmpty(), 1);
}

Schema datedMoney(std::string description) {
  Schema entry = money("an amount, the dates it is in force and the consignments it is for");
  addValidity(entry);
  entry.optional("origins", countries("only for consignments whose every item originates in one of these"));
  entry.optional("shipped_from", countries("only for consignments shipped from one of these (transport.departure)"));
  std::vector<std::string> modes;
  for (const char* m : {"air", "sea", "road", "rail", "post", "multimodal"}) modes.emplace_back(m);
  entry.optional("modes", Schema::list("only for consignments carried by one of these transport modes",
                                       Schema::oneOf("a transport mode", modes), 1));
  return Schema::list(std::move(description), entry);
}

Schema prefixRate(std::string description, bool byOrigin = false) {
  Schema s = Schema::object(std::move(description));
  s.required("hs_prefix", Schema::string("HS prefix, 2 to 10 digits (quote it: \"0101\")").nonEmpty());
  s.required("rate", amount("percent of the value, e.g. 12 or 6.5"));
  s.optional("name", Schema::string("a label shown in the line's why"));
  if (byOrigin) s.optional("origins", countries("only for items originating in one of these (a preference)"));
  return s;
}

// The legal text a line rests on, for whoever reads the line (a buyer's estimate, an officer).
Schema basis() {
  return Schema::string("the legal basis, appended to each of its lines' why as '; basis: <text>'").nonEmpty();
}

Schema jurisdiction() {
  Schema rounding = Schema::object("how every line and every converted amount is rounded");
  rounding.optional("mode", Schema::oneOf("half-up (half away from zero) or half-even", {"half-up", "half-even"}));
  rounding.optional("decimals", Schema::integer("fraction digits kept", 0, 4));

  Schema vat = Schema::object("VAT/GST rates in force over some dates");
  vat.required("standard", amount("the standard rate, percent"));
  vat.optional("reduced", Schema::list("other rates by HS prefix; the longest prefix wins", prefixRate("a rate")));
  vat.optional("basis", basis());
  addValidity(vat);

  Schema charge = Schema::object("a fixed charge");
  charge.required("name", Schema::string("a name, shown in the line's why").nonEmpty());
  charge.optional("tax", Schema::string("the line's tax word: duty, charge, handling, ... (default charge)").nonEmpty());
  charge.required("per", Schema::oneOf("what it is counted on", {"item", "classification", "consignment"}));
  charge.optional("classification_digits",
                  Schema::integer("per classification: the HS digits that tell classifications apart", 4, 10));
  charge.required("amount", amount("the amount per item, classification or consignment"));
  charge.required("currency", Schema::string("its ISO 4217 currency").nonEmpty());
  charge.optional("max_value", money("applies only to consignments whose value is at most this"));
  charge.optional("replaces_tariff", Schema::boolean("when it applies, no ad valorem tariff duty is computed"));
  charge.optional("in_vat_base", Schema::boolean("VAT is due on it as on a customs duty"));
  charge.optional("basis", basis());
  addValidity(charge);

  Schema s = Schema::object("the jurisdiction whose revenue is assessed");
  s.required("id", Schema::string("the jurisdiction, e.g. PT").nonEmpty());
  s.required("currency", Schema::string("its ISO 4217 currency: every line is in it").nonEmpty());
  s.optional("tax_name", Schema::oneOf("the tax word of the VAT/GST lines (default vat)", {"vat", "gst", "hst"}));
  s.optional("rounding", rounding);
  s.optional("low_value", datedMoney("consignments worth more than this need a full declaration (category 4)"));
  s.optional("duty_threshold", datedMoney("no tariff duty on consignments worth at most this"));
  s.optional("tax_threshold", datedMoney("no VAT/GST on consignments worth at most this"));
  s.optional("vat", Schema::list("VAT/GST rates, each over its dates; absent: no VAT or GST at all", vat, 1));
  s.optional("charges", Schema::list("fixed charges", charge));
  return s;
}

}  // namespace

sdk::Schema settingsSchema() {
  Schema tariff = Schema::object("ad valorem duty rates by HS prefix");
  tariff.required("default", amount("percent for an HS code that no prefix matches"));
  tariff.optional("basis", basis());
  tariff.optional("rates", Schema::list("rates by HS prefix; the longest prefix wins, then the item's origin",
                                       prefixRate("a rate", true)));

  Schema table = Schema::object("exchange rates in force from a date");
  table.required("date", Schema::string("first day in force, YYYY-MM-DD").nonEmpty());
  table.optional("source", Schema::string("where the rates come from"));
  table.required("rates", Schema::map("units of each currency per one unit of the jurisdiction's currency",
                                      amount("the rate, up to 10 fraction digits")));

  Schema vendor = Schema::object("the vendor model: tax collected at sale under a registration");
  vendor.required("registration_format", Schema::string("a regular expression every registration matches").nonEmpty());
  vendor.required("registry", Schema::list("the valid registration numbers", Schema::string("a number").nonEmpty()));
  vendor.optional("ceiling", money("the model applies to consignments worth at most this"));
  Schema tolerance = Schema::object("how far the tax collected may be from the tax computed");
  tolerance.optional("amount", amount("in the jurisdiction's currency (default 0)"));
  tolerance.optional("percent", amount("of the tax computed (default 0); the larger of the two is allowed"));
  vendor.optional("tolerance", tolerance);

  Schema collection = Schema::object("collection models");
  collection.optional("accepted", Schema::list("models accepted as filed; any other is assessed as consumer",
                                               Schema::oneOf("a model", {"vendor", "intermediary", "consumer", "account"}),
                                               1));
  collection.optional("vendor", vendor);

  Schema s = Schema::object("duties and taxes of the customs agency");
  s.required("jurisdiction", jurisdiction());
  s.required("tariff", tariff);
  s.optional("currency_rates", Schema::list("exchange rate tables, each in force from its date", table));
  s.optional("collection", collection);
  return s;
}

}  // namespace swhub::plugins::customs
