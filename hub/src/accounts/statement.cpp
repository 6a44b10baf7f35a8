#include "accounts/statement.hpp"

#include <map>
#include <stdexcept>
#include <tuple>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "model/json_writer.hpp"

namespace swhub::accounts {
namespace {

using model::ObjectWriter;
using sdk::Decimal;

void writeLine(std::string& out, const StatementLine& line) {
  ObjectWriter o(out);
  o.string("tax", line.tax, true);
  if (line.item > 0) {
    o.integer("item", line.item);
  } else {
    o.raw("item", "null");
  }
  o.string("base", line.base.toString(), true);
  if (line.rate) {
    o.string("rate", line.rate->toString(), true);
  } else {
    o.raw("rate", "null");
  }
  o.string("amount", line.amount.toString(), true);
  o.string("currency", line.currency, true);
  o.string("why", line.why, true);
}

template <typename T, typename Fn>
void writeArray(std::string& out, const std::vector<T>& values, Fn&& write) {
  out += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    write(out, values[i]);
  }
  out += ']';
}

void writeTotals(std::string& out, const std::vector<Total>& totals, bool withTax) {
  writeArray(out, totals, [&](std::string& o, const Total& t) {
    ObjectWriter w(o);
    if (withTax) w.string("tax", t.tax, true);
    w.string("amount", t.amount.toString(), true);
    w.string("currency", t.currency, true);
  });
}

Decimal decimalOf(const Poco::JSON::Object& o, const std::string& key) {
  const std::string text = o.optValue<std::string>(key, "");
  auto value = Decimal::parse(text);
  if (!value) throw std::invalid_argument("statement: '" + key + "' is not an amount: '" + text + "'");
  return *value;
}

int itemOf(const Poco::JSON::Object& o) { return o.has("item") && !o.isNull("item") ? o.getValue<int>("item") : 0; }

std::string text(const Poco::JSON::Object& o, const std::string& key) {
  return o.has(key) && !o.isNull(key) ? o.getValue<std::string>(key) : std::string();
}

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
std::string csvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csvRow(const std::vector<std::string>& fields) {
  std::string row;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) row += ',';
    row += csvField(fields[i]);
  }
  return row + "\n";
}

}  // namespace

void Statement::computeTotals() {
  std::map<std::pair<std::string, std::string>, Decimal> byTax;  // (currency, tax)
  std::map<std::string, Decimal> byCurrency;
  for (const auto& entry : entries) {
    for (const auto& line : entry.lines) {
      byTax[{line.currency, line.tax}] = byTax[{line.currency, line.tax}] + line.amount;
      byCurrency[line.currency] = byCurrency[line.currency] + line.amount;
    }
  }
  for (const auto& a : adjustments) {
    byTax[{a.currency, a.tax}] = byTax[{a.currency, a.tax}] + a.amount;
    byCurrency[a.currency] = byCurrency[a.currency] + a.amount;
  }
  totals.clear();
  due.clear();
  for (const auto& [key, amount] : byTax) totals.push_back({key.second, key.first, amount});
  for (const auto& [currency, amount] : byCurrency) due.push_back({"", currency, amount});
}

std::string statementId(const std::string& account, const std::string& period) { return "ST-" + account + "-" + period; }

std::string toJson(const Statement& s) {
  std::string out;
  {
    ObjectWriter o(out);
    o.string("statement_id", s.id, true);
    o.string("account", s.account, true);
    o.string("holder", s.holder, true);
    o.string("period", s.period, true);
    o.string("status", s.issued ? "issued" : "draft", true);
    o.string("time_zone", s.timeZone, true);
    o.string("from", s.from, true);
    o.string("to", s.to, true);
    if (s.issued) {
      o.string("issued_at", s.issuedAt, true);
    } else {
      o.raw("issued_at", "null");
    }
    o.string("payment_due", s.paymentDue, true);
    writeArray(o.key("items"), s.entries, [](std::string& out, const StatementEntry& e) {
      ObjectWriter w(out);
      w.string("case_id", e.caseId, true);
      w.string("reference", e.reference, true);
      w.string("released_at", e.releasedAt, true);
      writeArray(w.key("lines"), e.lines, [](std::string& o2, const StatementLine& l) { writeLine(o2, l); });
      if (!e.completes.empty()) w.strings("completes", e.completes);
    });
    writeArray(o.key("adjustments"), s.adjustments, [](std::string& out, const Adjustment& a) {
      ObjectWriter w(out);
      w.string("case_id", a.caseId, true);
      w.string("reference", a.reference, true);
      {
        ObjectWriter c(w.key("corrects"));
        c.string("statement_id", a.corrects, true);
        c.string("case_id", a.correctsCase.empty() ? a.caseId : a.correctsCase, true);
        c.string("tax", a.tax, true);
        if (a.item > 0) {
          c.integer("item", a.item);
        } else {
          c.raw("item", "null");
        }
      }
      w.string("tax", a.tax, true);
      if (a.item > 0) {
        w.integer("item", a.item);
      } else {
        w.raw("item", "null");
      }
      w.string("accounted", a.accounted.toString(), true);
      w.string("now", a.now.toString(), true);
      w.string("amount", a.amount.toString(), true);
      w.string("currency", a.currency, true);
      w.string("why", a.why);
    });
    writeTotals(o.key("totals"), s.totals, true);
    writeTotals(o.key("due"), s.due, false);
  }
  return out;
}

Statement statementFromJson(const std::string& json) {
  Poco::JSON::Parser parser;
  Poco::JSON::Object::Ptr root;
  try {
    root = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("statement: not JSON: ") + e.what());
  }
  Statement s;
  s.id = text(*root, "statement_id");
  s.account = text(*root, "account");
  s.holder = text(*root, "holder");
  s.period = text(*root, "period");
  s.issued = text(*root, "status") == "issued";
  s.timeZone = text(*root, "time_zone");
  s.from = text(*root, "from");
  s.to = text(*root, "to");
  s.issuedAt = text(*root, "issued_at");
  s.paymentDue = text(*root, "payment_due");
  auto array = [&](const Poco::JSON::Object& o, const std::string& key) {
    auto a = o.getArray(key);
    if (!a) throw std::invalid_argument("statement: no '" + key + "' list");
    return a;
  };
  auto items = array(*root, "items");
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto e = items->getObject(static_cast<unsigned>(i));
    StatementEntry entry{text(*e, "case_id"), text(*e, "reference"), text(*e, "released_at"), {}, {}};
    auto lines = array(*e, "lines");
    for (std::size_t j = 0; j < lines->size(); ++j) {
      auto l = lines->getObject(static_cast<unsigned>(j));
      StatementLine line{text(*l, "tax"), itemOf(*l), decimalOf(*l, "base"), std::nullopt, decimalOf(*l, "amount"),
                         text(*l, "currency"), text(*l, "why")};
      if (l->has("rate") && !l->isNull("rate")) line.rate = decimalOf(*l, "rate");
      entry.lines.push_back(std::move(line));
    }
    if (auto completes = e->getArray("completes")) {
      for (std::size_t j = 0; j < completes->size(); ++j) entry.completes.push_back(completes->getElement<std::string>(static_cast<unsigned>(j)));
    }
    s.entries.push_back(std::move(entry));
  }
  auto adjustments = array(*root, "adjustments");
  for (std::size_t i = 0; i < adjustments->size(); ++i) {
    auto a = adjustments->getObject(static_cast<unsigned>(i));
    auto corrects = a->getObject("corrects");
    s.adjustments.push_back({text(*a, "case_id"), text(*a, "reference"),
                             corrects ? text(*corrects, "statement_id") : std::string(), text(*a, "tax"), itemOf(*a),
                             text(*a, "currency"), decimalOf(*a, "accounted"), decimalOf(*a, "now"),
                             decimalOf(*a, "amount"), std::string(), a->optValue<std::string>("why", "")});
    if (corrects && text(*corrects, "case_id") != s.adjustments.back().caseId) {
      s.adjustments.back().correctsCase = text(*corrects, "case_id");
    }
  }
  auto totals = array(*root, "totals");
  for (std::size_t i = 0; i < totals->size(); ++i) {
    auto t = totals->getObject(static_cast<unsigned>(i));
    s.totals.push_back({text(*t, "tax"), text(*t, "currency"), decimalOf(*t, "amount")});
  }
  auto due = array(*root, "due");
  for (std::size_t i = 0; i < due->size(); ++i) {
    auto d = due->getObject(static_cast<unsigned>(i));
    s.due.push_back({"", text(*d, "currency"), decimalOf(*d, "amount")});
  }
  return s;
}

std::string toCsv(const Statement& s) {
  const std::string status = s.issued ? "issued" : "draft";
  std::string out = csvRow({"statement_id", "period", "status", "kind", "case_id", "reference", "released_at", "tax",
                            "item", "base", "rate", "amount", "currency", "corrects", "why"});
  auto item = [](int n) { return n > 0 ? std::to_string(n) : std::string(); };
  for (const auto& e : s.entries) {
    for (const auto& l : e.lines) {
      out += csvRow({s.id, s.period, status, "item", e.caseId, e.reference, e.releasedAt, l.tax, item(l.item),
                     l.base.toString(), l.rate ? l.rate->toString() : "", l.amount.toString(), l.currency, "", l.why});
    }
    if (e.lines.empty()) {
      out += csvRow({s.id, s.period, status, "item", e.caseId, e.reference, e.releasedAt, "", "", "", "", "0.00", "", "",
                     "nothing due"});
    }
  }
  for (const auto& a : s.adjustments) {
    out += csvRow({s.id, s.period, status, "adjustment", a.caseId, a.reference, "", a.tax, item(a.item), "", "",
                   a.amount.toString(), a.currency, a.corrects,
                   (a.why.empty() ? "" : a.why + ": ") + "was " + a.accounted.toString() + ", now " + a.now.toString()});
  }
  for (const auto& t : s.totals) {
    out += csvRow({s.id, s.period, status, "total", "", "", "", t.tax, "", "", "", t.amount.toString(), t.currency, "", ""});
  }
  for (const auto& d : s.due) {
    out += csvRow({s.id, s.period, status, "due", "", "", "", "", "", "", "", d.amount.toString(), d.currency, "",
                   "payment due " + s.paymentDue});
  }
  return out;
}

}  // namespace swhub::accounts
