#include "json/revenue.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "json/text.hpp"
#include "json/var.hpp"
#include "swhub/sdk/validate.hpp"

namespace swhub::plugins::json {

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

// The line's fields, or the first thing wrong with it.
sdk::Result<RevenueLine> readLine(const std::string& text) {
  using R = sdk::Result<RevenueLine>;
  Var root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(text);
  } catch (const Poco::Exception& e) {
    return R::failure("", "revenue_line is not JSON: " + e.message());
  }
  if (root.type() != typeid(Object::Ptr)) return R::failure("", "revenue_line: expected an object, got " + typeOf(root));
  const auto o = root.extract<Object::Ptr>();
  RevenueLine line;
  auto get = [&](const char* key) { return o->has(key) ? o->get(key) : Var(); };
  auto text_ = [&](const char* key, std::string& into, bool required) -> std::optional<std::string> {
    const Var v = get(key);
    if (v.isEmpty()) {
      if (required) return std::string("revenue_line: ") + key + " is missing";
      return std::nullopt;
    }
    if (!v.isString()) return std::string("revenue_line: ") + key + ": expected a string, got " + typeOf(v);
    into = v.extract<std::string>();
    if (required && into.empty()) return std::string("revenue_line: ") + key + " is empty";
    return std::nullopt;
  };
  auto amount = [&](const char* key, std::optional<std::string>& into, bool required) -> std::optional<std::string> {
    const Var v = get(key);
    if (v.isEmpty()) {
      if (required) return std::string("revenue_line: ") + key + " is missing";
      return std::nullopt;
    }
    auto t = amountText(v);
    if (!t || !isDecimalText(*t)) return std::string("revenue_line: ") + key + ": '" + v.toString() + "' is not a decimal";
    into = std::move(t);
    return std::nullopt;
  };
  std::optional<std::string> base, amountValue;
  for (auto problem : {text_("tax", line.tax, true), text_("currency", line.currency, true),
                       text_("why", line.why, false), amount("amount", amountValue, true),
                       amount("base", base, false), amount("rate", line.rate, false)}) {
    if (problem) return R::failure("", *problem);
  }
  if (!sdk::isCurrencyCode(line.currency))
    return R::failure("", "revenue_line: currency: '" + line.currency + "' is not an ISO 4217 currency code");
  line.amount = *amountValue;
  line.base = base.value_or("");
  if (const Var item = get("item"); !item.isEmpty()) {
    if (!item.isInteger() || item.convert<long long>() < 1)
      return R::failure("", "revenue_line: item: expected an item sequence (a whole number from 1) or null, got '" +
                                item.toString() + "'");
    line.item = item.convert<long long>();
  }
  if (const Var sale = get("collected_at_sale"); !sale.isEmpty()) {
    if (!sale.isBoolean()) return R::failure("", "revenue_line: collected_at_sale: expected true or false");
    line.collected_at_sale = sale.convert<bool>();
  }
  return line;
}

void appendOptional(std::string& out, const std::optional<std::string>& value) {
  if (value) appendString(out, *value);
  else out += "null";
}

}  // namespace

bool isDecimalText(std::string_view t) {
  std::size_t i = (!t.empty() && t[0] == '-') ? 1 : 0;
  const std::size_t intStart = i;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
  if (i == intStart) return false;
  if (i == t.size()) return true;
  if (t[i] != '.') return false;
  const std::size_t fracStart = ++i;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
  return i == t.size() && i > fracStart;
}

sdk::Result<std::optional<Revenue>> readRevenue(const sdk::Notification& n) {
  Revenue revenue;
  bool any = false;
  for (std::size_t d = 0; d < n.details.size(); ++d) {
    const auto& [key, value] = n.details[d];
    if (key.rfind("revenue_", 0) != 0) continue;
    const std::string at = "/details/" + std::to_string(d);
    auto decimal = [&](std::optional<std::string>& into) -> bool {
      if (!isDecimalText(value)) return false;
      into = value;
      return true;
    };
    if (key == "revenue_line") {
      auto line = readLine(value);
      if (!line) return sdk::Errors{{at, line.errors().front().message}};
      revenue.lines.push_back(line.take());
    } else if (key == "revenue_due") {
      if (!decimal(revenue.due)) return sdk::Errors{{at, "revenue_due: '" + value + "' is not a decimal"}};
    } else if (key == "revenue_paid") {
      if (!decimal(revenue.paid)) return sdk::Errors{{at, "revenue_paid: '" + value + "' is not a decimal"}};
    } else if (key == "revenue_settled") {
      if (value != "true" && value != "false") return sdk::Errors{{at, "revenue_settled: '" + value + "' is not true or false"}};
      revenue.settled = value == "true";
    } else if (key == "revenue_currency") {
      if (!sdk::isCurrencyCode(value))
        return sdk::Errors{{at, "revenue_currency: '" + value + "' is not an ISO 4217 currency code"}};
      revenue.currency = value;
    } else if (key == "revenue_model") {
      revenue.model = value;
    } else if (key == "revenue_model_reason") {
      revenue.model_reason = value;
    } else {
      continue;  // a revenue fact of a later hub: the formats carry what they know
    }
    any = true;
  }
  if (!any) return std::optional<Revenue>();
  return std::optional<Revenue>(std::move(revenue));
}

void appendRevenueObject(std::string& out, const Revenue& r) {
  out += "{\"model\":";
  appendOptional(out, r.model);
  if (r.model_reason) {
    out += ",\"model_reason\":";
    appendString(out, *r.model_reason);
  }
  out += ",\"due\":";
  appendOptional(out, r.due);
  out += ",\"paid\":";
  appendOptional(out, r.paid);
  out += ",\"currency\":";
  appendOptional(out, r.currency);
  out += ",\"settled\":";
  out += r.settled ? (*r.settled ? "true" : "false") : "null";
  out += ",\"lines\":[";
  for (std::size_t i = 0; i < r.lines.size(); ++i) {
    const RevenueLine& l = r.lines[i];
    if (i) out += ',';
    out += "{\"tax\":";
    appendString(out, l.tax);
    out += ",\"item\":";
    out += l.item ? std::to_string(*l.item) : "null";
    out += ",\"base\":";
    appendOptional(out, l.base.empty() ? std::nullopt : std::optional<std::string>(l.base));
    out += ",\"rate\":";
    appendOptional(out, l.rate);
    out += ",\"amount\":";
    appendString(out, l.amount);
    out += ",\"currency\":";
    appendString(out, l.currency);
    out += ",\"why\":";
    appendString(out, l.why);
    out += ",\"collected_at_sale\":";
    out += l.collected_at_sale ? "true" : "false";
    out += '}';
  }
  out += "]}";
}

std::string revenueSummary(const Revenue& r) {
  std::string out;
  for (const RevenueLine& l : r.lines) {
    if (!out.empty()) out += "; ";
    out += l.tax + ' ' + l.amount + ' ' + l.currency;
    if (l.item) out += " on item " + std::to_string(*l.item);
    std::string how = l.rate ? *l.rate + " % of " + l.base : l.why;
    if (l.collected_at_sale) how += how.empty() ? "collected at sale" : ", collected at sale";
    if (!how.empty()) out += " (" + how + ')';
  }
  if (!out.empty() && r.model_reason && !r.model_reason->empty()) out += "; " + *r.model_reason;
  return out;
}

}  // namespace swhub::plugins::json
