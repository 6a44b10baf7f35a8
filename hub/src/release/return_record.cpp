#include "release/return_record.hpp"

#include "common/names.hpp"
#include "model/json_read.hpp"
#include "model/json_writer.hpp"

namespace swhub::release {
namespace {

template <typename T, typename Write>
void list(model::ObjectWriter& parent, std::string_view name, const std::vector<T>& values, Write write) {
  std::string& out = parent.key(name);
  out += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    model::ObjectWriter o(out);
    write(o, values[i]);
  }
  out += ']';
}

}  // namespace

namespace {

constexpr common::NameTable<ReturnState, 4> kReturnStateNames{{
    {ReturnState::AwaitingProof, "awaiting-proof"},
    {ReturnState::Held, "held"},
    {ReturnState::Returned, "returned"},
    {ReturnState::Refunded, "refunded"},
}};

}  // namespace

std::string_view toString(ReturnState state) { return common::nameIn(kReturnStateNames, state); }

std::optional<ReturnState> parseReturnState(std::string_view text) { return common::parseIn(kReturnStateNames, text); }

std::string ReturnDifference::text() const {
  const std::string what = item > 0 ? "item " + std::to_string(item) + " " + field : field;
  return what + ": filed " + filed + ", inbound " + inbound;
}

void writeReturn(std::string& out, const ReturnRecord& r) {
  model::ObjectWriter o(out);
  o.string("return_id", r.id, true);
  o.string("state", std::string(toString(r.state)), true);
  o.string("filed_at", common::toString(r.filed_at), true);
  o.string("message_id", r.message_id, true);
  o.string("reason", r.reason, true);
  o.strings("reason_codes", r.reason_codes);
  list(o, "items", r.items, [](model::ObjectWriter& w, const ReturnItem& i) {
    w.integer("item", i.item);
    w.string("hs", i.hs, true);
    w.number("quantity", i.quantity);
    w.string("value", i.value, true);
    w.string("currency", i.currency, true);
  });
  list(o, "differences", r.differences, [](model::ObjectWriter& w, const ReturnDifference& d) {
    w.integer("item", d.item);
    w.string("field", d.field, true);
    w.string("filed", d.filed, true);
    w.string("inbound", d.inbound, true);
  });
  if (r.proof_type.empty()) {
    o.raw("proof", "null");
  } else {
    model::ObjectWriter proof(o.key("proof"));
    proof.string("type", r.proof_type, true);
    proof.string("id", r.proof_id, true);
  }
  const auto writeLines = [&r](model::ObjectWriter& to) {
    list(to, "lines", r.refund, [](model::ObjectWriter& w, const RefundLine& l) {
    w.integer("line", l.line);
    w.string("tax", l.tax, true);
    if (l.item) {
      w.integer("item", *l.item);
    } else {
      w.raw("item", "null");
    }
    w.string("amount", l.amount, true);
    w.string("share", l.share, true);
    w.string("refund", l.refund, true);
    w.string("currency", l.currency, true);
    w.string("why", l.why, true);
    });
  };
  if (r.refunded.empty()) {
    o.raw("refund", "null");
    if (!r.credited.empty()) {
      model::ObjectWriter credit(o.key("credit"));
      credit.string("amount", r.credited, true);
      credit.string("currency", r.currency, true);
      writeLines(credit);
    }
    return;
  }
  model::ObjectWriter refund(o.key("refund"));
  refund.string("amount", r.refunded, true);
  refund.string("currency", r.currency, true);
  writeLines(refund);
  list(refund, "instructions", r.instructions, [](model::ObjectWriter& w, const RefundInstruction& i) {
    w.string("partner", i.partner, true);
    w.string("transaction_id", i.transaction_id, true);
    w.string("amount", i.amount, true);
    w.string("currency", i.currency, true);
  });
}

void writeReturns(std::string& out, const std::vector<ReturnRecord>& returns) {
  out += '[';
  for (std::size_t i = 0; i < returns.size(); ++i) {
    if (i) out += ',';
    writeReturn(out, returns[i]);
  }
  out += ']';
}

sdk::Decimal refundedTotal(const std::vector<ReturnRecord>& returns) {
  sdk::Decimal total;
  for (const auto& r : returns) {
    if (!r.refunded.empty()) total = total + sdk::Decimal::parse(r.refunded).value_or(sdk::Decimal());
  }
  return total;
}

ReturnRecord readReturn(const rapidjson::Value& o) {
  using namespace model::json;
  ReturnRecord r;
  r.id = text(o, "return_id");
  r.state = parseReturnState(text(o, "state")).value_or(ReturnState::Held);
  r.filed_at = common::parseInstant(text(o, "filed_at")).value_or(common::Instant{});
  r.message_id = text(o, "message_id");
  r.reason = text(o, "reason");
  r.reason_codes = strings(o, "reason_codes");
  eachObject(o, "items", [&](const Value& i) {
    r.items.push_back({integer(i, "item", 0), text(i, "hs"), number(i, "quantity", 0), text(i, "value"),
                       text(i, "currency")});
  });
  eachObject(o, "differences", [&](const Value& d) {
    r.differences.push_back({integer(d, "item", 0), text(d, "field"), text(d, "filed"), text(d, "inbound")});
  });
  if (const Value* proof = object(o, "proof")) {
    r.proof_type = text(*proof, "type");
    r.proof_id = text(*proof, "id");
  }
  const Value* given = object(o, "refund");
  if (given) {
    r.refunded = text(*given, "amount");
  } else if ((given = object(o, "credit"))) {
    r.credited = text(*given, "amount");
  }
  if (given) {
    r.currency = text(*given, "currency");
    eachObject(*given, "lines", [&](const Value& l) {
      RefundLine line;
      line.line = integer(l, "line", 0);
      line.tax = text(l, "tax");
      line.item = integer(l, "item");
      line.amount = text(l, "amount");
      line.share = text(l, "share");
      line.refund = text(l, "refund");
      line.currency = text(l, "currency");
      line.why = text(l, "why");
      r.refund.push_back(std::move(line));
    });
    eachObject(*given, "instructions", [&](const Value& i) {
      r.instructions.push_back({text(i, "partner"), text(i, "transaction_id"), text(i, "amount"), text(i, "currency")});
    });
  }
  return r;
}

}  // namespace swhub::release
