#include "revenue_settings.hpp"

#include <algorithm>
#include <utility>

#include "settings_compiler.hpp"
#include "swhub/sdk/validate.hpp"

namespace swhub::plugins::customs {

bool Validity::overlaps(const Validity& other) const {
  // [from, until) intervals with open ends.
  const bool thisEndsBefore = until && other.from && *until <= *other.from;
  const bool otherEndsBefore = other.until && from && *other.until <= *from;
  return !thisEndsBefore && !otherEndsBefore;
}

std::string Validity::describe() const {
  std::string out;
  if (from) out += "from " + from->toString();
  if (until) out += std::string(out.empty() ? "" : " ") + "until " + until->toString();
  return out;
}

namespace {

bool listed(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

template <typename T>
bool shareNone(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.empty() || b.empty()) return false;  // an open condition shares every value
  return std::none_of(a.begin(), a.end(), [&](const T& v) { return std::find(b.begin(), b.end(), v) != b.end(); });
}

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

}  // namespace

bool Scope::matches(const sdk::Consignment& c) const {
  if (!origins.empty()) {
    // Every item: one item from elsewhere puts the consignment under the general rule.
    if (c.items.empty()) return false;
    for (const sdk::Item& item : c.items) {
      if (!listed(origins, item.origin)) return false;
    }
  }
  if (!shipped_from.empty() && !listed(shipped_from, c.transport.departure)) return false;
  if (!modes.empty() && (!c.transport.mode || std::find(modes.begin(), modes.end(), *c.transport.mode) == modes.end())) {
    return false;
  }
  return true;
}

bool Scope::disjoint(const Scope& other) const {
  return shareNone(origins, other.origins) || shareNone(shipped_from, other.shipped_from) ||
         shareNone(modes, other.modes);
}

std::string Scope::describe() const {
  std::vector<std::string> parts;
  if (!origins.empty()) parts.push_back("origins " + joined(origins));
  if (!shipped_from.empty()) parts.push_back("shipped from " + joined(shipped_from));
  if (!modes.empty()) {
    std::vector<std::string> names;
    for (sdk::TransportMode m : modes) names.emplace_back(sdk::toString(m));
    parts.push_back("modes " + joined(names));
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

const DatedMoney* inForce(const std::vector<DatedMoney>& list, Date day, const sdk::Consignment& consignment) {
  const DatedMoney* fallback = nullptr;
  for (const DatedMoney& d : list) {
    if (!d.when.inForce(day)) continue;
    if (d.scope.open()) {
      fallback = &d;
    } else if (d.scope.matches(consignment)) {
      return &d;  // scoped entries in force together are disjoint: at most one matches
    }
  }
  return fallback;
}

void PrefixTable::sortLongestFirst() {
  std::stable_sort(rates_.begin(), rates_.end(), [](const PrefixRate& a, const PrefixRate& b) {
    if (a.hs_prefix.size() != b.hs_prefix.size()) return a.hs_prefix.size() > b.hs_prefix.size();
    return !a.origins.empty() && b.origins.empty();  // at equal prefixes, the origin's rate first
  });
}

const PrefixRate* PrefixTable::find(const std::string& hs, const std::string& origin) const {
  for (const PrefixRate& r : rates_) {
    if (hs.starts_with(r.hs_prefix) && (r.origins.empty() || listed(r.origins, origin))) return &r;
  }
  return nullptr;
}

namespace {

class Compiler : public SettingsCompiler {
 public:
  explicit Compiler(std::string path) : SettingsCompiler(std::move(path)) {}

  sdk::Decimal decimal(const sdk::Value& v, const std::string& path) {
    auto parsed = sdk::Decimal::parse(v.asString());
    if (!parsed) {
      fail(path, "'" + v.asString() + "' is not a decimal amount: digits with at most 4 fraction digits expected");
      return {};
    }
    return *parsed;
  }

  sdk::Decimal nonNegative(const sdk::Value& v, const std::string& path) {
    const sdk::Decimal d = decimal(v, path);
    if (d < sdk::Decimal()) fail(path, d.toString() + " is negative");
    return d;
  }

  std::string currency(const sdk::Value& v, const std::string& path) {
    if (!sdk::isCurrencyCode(v.asString())) fail(path, "'" + v.asString() + "' is not an ISO 4217 currency code");
    return v.asString();
  }

  std::optional<Date> date(const sdk::Value& v, const std::string& path) {
    if (v.isNull()) return std::nullopt;
    auto parsed = Date::parse(v.asString());
    if (!parsed) fail(path, "'" + v.asString() + "' is not a date: YYYY-MM-DD expected");
    return parsed;
  }

  Validity validity(const sdk::Value& node, const std::string& base) {
    Validity v{date(get(node, "from"), base + ".from"), date(get(node, "until"), base + ".until")};
    if (v.from && v.until && !(*v.from < *v.until)) {
      fail(base + ".until", v.until->toString() + " is not after from " + v.from->toString());
    }
    return v;
  }

  Money money(const sdk::Value& node, const std::string& base) {
    Money m{nonNegative(get(node, "amount"), base + ".amount"), currency(get(node, "currency"), base + ".currency")};
    // A malformed code is reported already; one rate check per well-formed foreign code.
    if (m.currency != jurisdictionCurrency_ && sdk::isCurrencyCode(m.currency)) {
      moneyPaths_.emplace_back(base + ".currency", m.currency);
    }
    return m;
  }

  std::vector<DatedMoney> datedList(const sdk::Value& parent, const char* key, const std::string& parentPath) {
    std::vector<DatedMoney> out;
    const sdk::Value& items = list(parent, key);
    for (std::size_t i = 0; i < items.items().size(); ++i) {
      const std::string base = parentPath + "." + key + "[" + std::to_string(i) + "]";
      const sdk::Value& node = items.items()[i];
      DatedMoney d{money(node, base), validity(node, base), scope(node, base), at(base)};
      for (const DatedMoney& earlier : out) {
        if (!earlier.when.overlaps(d.when)) continue;
        if (earlier.scope.open() && d.scope.open()) {
          fail(base, "in force on the same days as " + earlier.path + ": one " + key + " at a time");
          break;
        }
        // An open entry is the fallback of the scoped ones; scoped entries must not overlap.
        if (!earlier.scope.open() && !d.scope.open() && !earlier.scope.disjoint(d.scope)) {
          fail(base, "in force on the same days as " + earlier.path + " for some of the same consignments (" +
                         d.scope.describe() + " against " + earlier.scope.describe() + "): one " + key +
                         " at a time for a consignment");
          break;
        }
      }
      out.push_back(std::move(d));
    }
    return out;
  }

  std::vector<std::string> countries(const sdk::Value& node, const char* key, const std::string& base) {
    std::vector<std::string> out;
    const sdk::Value& values = list(node, key);
    for (std::size_t i = 0; i < values.items().size(); ++i) {
      const std::string& code = values.items()[i].asString();
      const bool ok = code.size() == 2 && std::all_of(code.begin(), code.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
      const std::string path = base + "." + key + "[" + std::to_string(i) + "]";
      if (!ok) fail(path, "'" + code + "' is not an ISO 3166-1 alpha-2 country code");
      else if (listed(out, code)) fail(path, "'" + code + "' is listed twice");
      out.push_back(code);
    }
    return out;
  }

  Scope scope(const sdk::Value& node, const std::string& base) {
    Scope s{countries(node, "origins", base), countries(node, "shipped_from", base), {}};
    for (const sdk::Value& m : list(node, "modes").items()) {
      if (auto mode = sdk::parseTransportMode(m.asString())) s.modes.push_back(*mode);  // the schema checked the spelling
    }
    return s;
  }

  std::string hsPrefix(const sdk::Value& v, const std::string& path) {
    const std::string& prefix = v.asString();
    const bool ok = prefix.size() >= 2 && prefix.size() <= 10 &&
                    std::all_of(prefix.begin(), prefix.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (!ok) fail(path, "'" + prefix + "' is not an HS prefix: 2 to 10 digits expected");
    return prefix;
  }

  // Rates by HS prefix; an equal prefix twice is an error naming both.
  PrefixTable prefixTable(const sdk::Value& items, const std::string& base) {
    PrefixTable table;
    std::vector<PrefixRate> seen;  // in order: seen[k] is items[k]
    for (std::size_t i = 0; i < items.items().size(); ++i) {
      const sdk::Value& node = items.items()[i];
      const std::string path = base + "[" + std::to_string(i) + "]";
      const std::string prefix = hsPrefix(get(node, "hs_prefix"), path + ".hs_prefix");
      std::vector<std::string> origins = countries(node, "origins", path);
      for (std::size_t k = 0; k < seen.size(); ++k) {
        if (seen[k].hs_prefix != prefix) continue;
        const std::string otherPath = base + "[" + std::to_string(k) + "]";
        if (origins.empty() && seen[k].origins.empty()) {
          fail(path + ".hs_prefix", "'" + prefix + "' is also " + at(otherPath + ".hs_prefix") + ": one rate per prefix");
          break;
        }
        // A rate for some origins beside the rate for any origin is the point (a preference).
        const auto common = std::find_if(origins.begin(), origins.end(),
                                         [&](const std::string& o) { return listed(seen[k].origins, o); });
        if (common != origins.end()) {
          fail(path + ".origins", "'" + *common + "' is also in " + at(otherPath + ".origins") + " for HS prefix '" +
                                      prefix + "': one rate per prefix and origin");
          break;
        }
      }
      PrefixRate rate{prefix, nonNegative(get(node, "rate"), path + ".rate"), get(node, "name").asString(), std::move(origins)};
      seen.push_back(rate);
      table.add(std::move(rate));
    }
    table.sortLongestFirst();
    return table;
  }

  void setJurisdictionCurrency(std::string c) { jurisdictionCurrency_ = std::move(c); }

  // Every amount in a foreign currency needs a rate somewhere in the table.
  void checkRatesKnown(const Settings& s) {
    if (!sdk::isCurrencyCode(jurisdictionCurrency_)) return;  // reported already; every code would seem foreign
    for (const auto& [path, code] : moneyPaths_) {
      if (s.rates.find(code) == s.rates.end()) {
        fail(path, "no exchange rate for " + code + " in currency_rates (the jurisdiction's currency is " +
                       jurisdictionCurrency_ + ")");
      }
    }
  }

 private:
  std::string jurisdictionCurrency_;
  std::vector<std::pair<std::string, std::string>> moneyPaths_;  // relative path, currency
};

void compileJurisdiction(Compiler& c, const sdk::Value& j, Settings& s) {
  s.jurisdiction = Compiler::get(j, "id").asString();
  s.currency = c.currency(Compiler::get(j, "currency"), "jurisdiction.currency");
  c.setJurisdictionCurrency(s.currency);
  if (const sdk::Value* name = j.find("tax_name")) s.tax_name = name->asString();  // the schema closed the list
  const sdk::Value& rounding = Compiler::get(j, "rounding");
  if (Compiler::get(rounding, "mode").asString() == "half-even") s.rounding.mode = RoundingMode::HalfEven;
  if (const sdk::Value* d = rounding.find("decimals")) s.rounding.decimals = static_cast<int>(d->asInt());

  s.low_value = c.datedList(j, "low_value", "jurisdiction");
  s.duty_threshold = c.datedList(j, "duty_threshold", "jurisdiction");
  s.tax_threshold = c.datedList(j, "tax_threshold", "jurisdiction");

  const sdk::Value& vat = Compiler::list(j, "vat");
  for (std::size_t i = 0; i < vat.items().size(); ++i) {
    const sdk::Value& node = vat.items()[i];
    const std::string base = "jurisdiction.vat[" + std::to_string(i) + "]";
    VatRates rates{c.nonNegative(Compiler::get(node, "standard"), base + ".standard"),
                   c.prefixTable(Compiler::list(node, "reduced"), base + ".reduced"), c.validity(node, base),
                   Compiler::get(node, "basis").asString()};
    for (std::size_t k = 0; k < s.vat.size(); ++k) {
      if (s.vat[k].when.overlaps(rates.when)) {
        c.fail(base, "in force on the same days as " + c.at("jurisdiction.vat[" + std::to_string(k) + "]") +
                         ": one set of VAT rates at a time");
        break;
      }
    }
    s.vat.push_back(std::move(rates));
  }

  const sdk::Value& charges = Compiler::list(j, "charges");
  for (std::size_t i = 0; i < charges.items().size(); ++i) {
    const sdk::Value& node = charges.items()[i];
    const std::string base = "jurisdiction.charges[" + std::to_string(i) + "]";
    Charge ch;
    ch.name = Compiler::get(node, "name").asString();
    ch.basis = Compiler::get(node, "basis").asString();
    ch.tax = node.find("tax") != nullptr ? Compiler::get(node, "tax").asString() : "charge";
    const std::string per = Compiler::get(node, "per").asString();
    ch.per = per == "item" ? ChargeBasis::Item : per == "classification" ? ChargeBasis::Classification : ChargeBasis::Consignment;
    if (const sdk::Value* d = node.find("classification_digits")) {
      ch.classification_digits = static_cast<std::size_t>(d->asInt());
    }
    ch.amount = c.money(node, base);
    if (const sdk::Value* m = node.find("max_value")) ch.max_value = c.money(*m, base + ".max_value");
    ch.replaces_tariff = Compiler::get(node, "replaces_tariff").asBool();
    ch.in_vat_base = Compiler::get(node, "in_vat_base").asBool();
    ch.when = c.validity(node, base);
    ch.path = c.at(base);
    s.charges.push_back(std::move(ch));
  }
}

void compileRates(Compiler& c, const sdk::Value& tables, Settings& s) {
  std::map<Date, std::string> dates;  // date -> path of the table
  for (std::size_t i = 0; i < tables.items().size(); ++i) {
    const sdk::Value& node = tables.items()[i];
    const std::string base = "currency_rates[" + std::to_string(i) + "]";
    const auto day = c.date(Compiler::get(node, "date"), base + ".date");
    if (!day) continue;
    if (auto [it, fresh] = dates.emplace(*day, base + ".date"); !fresh) {
      c.fail(base + ".date", day->toString() + " is also " + c.at(it->second) + ": one table per date");
      continue;
    }
    for (const auto& [code, value] : Compiler::get(node, "rates").entries()) {
      const std::string path = base + ".rates." + code;
      if (!sdk::isCurrencyCode(code)) {
        c.fail(path, "'" + code + "' is not an ISO 4217 currency code");
        continue;
      }
      if (code == s.currency) {
        c.fail(path, code + " is the jurisdiction's currency: its rate is 1");
        continue;
      }
      auto rate = Rate::parse(value.asString());
      if (!rate) {
        c.fail(path, "'" + value.asString() + "' is not an exchange rate: a decimal above 0 with at most 10 fraction digits expected");
        continue;
      }
      s.rates[code][*day] = *rate;
    }
  }
}

void compileCollection(Compiler& c, const sdk::Value& node, Settings& s) {
  const sdk::Value* accepted = node.find("accepted");
  if (accepted == nullptr) {
    s.accepted_models = {sdk::CollectionModel::Vendor, sdk::CollectionModel::Intermediary,
                         sdk::CollectionModel::Consumer, sdk::CollectionModel::Account};
  } else {
    for (const sdk::Value& m : accepted->items()) {
      if (auto model = sdk::parseCollectionModel(m.asString())) s.accepted_models.push_back(*model);
    }
  }
  const bool vendorAccepted = std::find(s.accepted_models.begin(), s.accepted_models.end(),
                                        sdk::CollectionModel::Vendor) != s.accepted_models.end();
  const sdk::Value* vendor = node.find("vendor");
  if (vendor == nullptr || vendor->isNull()) {
    if (vendorAccepted) {
      c.fail("collection.vendor", "required while the vendor model is accepted: the registry that proves tax collected at sale");
    }
    return;
  }
  Vendor v;
  v.registration_format_text = Compiler::get(*vendor, "registration_format").asString();
  try {
    v.registration_format = std::regex(v.registration_format_text, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    c.fail("collection.vendor.registration_format",
           "'" + v.registration_format_text + "' is not a regular expression: " + e.what());
    v.registration_format_text.clear();
  }
  const sdk::Value& registry = Compiler::list(*vendor, "registry");
  for (std::size_t i = 0; i < registry.items().size(); ++i) {
    const std::string& number = registry.items()[i].asString();
    if (!v.registration_format_text.empty() && !std::regex_match(number, v.registration_format)) {
      c.fail("collection.vendor.registry[" + std::to_string(i) + "]",
             "'" + number + "' does not match registration_format '" + v.registration_format_text + "'");
    }
    v.registry.push_back(number);
  }
  std::sort(v.registry.begin(), v.registry.end());
  if (const sdk::Value* ceiling = vendor->find("ceiling")) v.ceiling = c.money(*ceiling, "collection.vendor.ceiling");
  const sdk::Value& tolerance = Compiler::get(*vendor, "tolerance");
  if (const sdk::Value* a = tolerance.find("amount")) v.tolerance_amount = c.nonNegative(*a, "collection.vendor.tolerance.amount");
  if (const sdk::Value* p = tolerance.find("percent")) v.tolerance_percent = c.nonNegative(*p, "collection.vendor.tolerance.percent");
  s.vendor = std::move(v);
}

}  // namespace

sdk::Result<Settings> compileSettings(const sdk::Value& settings, const std::string& path) {
  Compiler c(path);
  Settings s;
  compileJurisdiction(c, Compiler::get(settings, "jurisdiction"), s);
  const sdk::Value& tariff = Compiler::get(settings, "tariff");
  s.tariff_default = c.nonNegative(Compiler::get(tariff, "default"), "tariff.default");
  s.tariff_basis = Compiler::get(tariff, "basis").asString();
  s.tariff = c.prefixTable(Compiler::list(tariff, "rates"), "tariff.rates");
  compileRates(c, Compiler::list(settings, "currency_rates"), s);
  compileCollection(c, Compiler::get(settings, "collection"), s);
  c.checkRatesKnown(s);
  if (!c.errors().empty()) return std::move(c.errors());
  return s;
}

}  // namespace swhub::plugins::customs
