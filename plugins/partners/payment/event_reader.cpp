#include "event_reader.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "json/text.hpp"
#include "json/var.hpp"
#include "swhub/sdk/schema.hpp"
#include "swhub/sdk/validate.hpp"

namespace swhub::plugins::payment {

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

constexpr std::string_view kFields[] = {"type",      "transaction_id", "amount",  "currency",
                                        "case_id",   "reference",      "paid_at", "refunded_transaction_id"};

using json::typeOf;

class EventReader {
 public:
  explicit EventReader(const Object::Ptr& object) : object_(object) {}

  sdk::Errors& errors() { return errors_; }

  void unknownFields() {
    const std::vector<std::string> names(std::begin(kFields), std::end(kFields));
    std::string list;
    for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
    for (const std::string& name : object_->getNames()) {
      if (std::find(names.begin(), names.end(), name) != names.end()) continue;
      std::string message = "unknown field '" + name + "'; allowed fields: " + list;
      if (const std::string nearest = sdk::nearestName(name, names); !nearest.empty())
        message += "; did you mean '" + nearest + "'?";
      std::string token;
      for (char c : name) token += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
      errors_.push_back({"/" + token, std::move(message)});
    }
  }

  // A string member; a required one must be present and not empty. nullopt when absent or wrong.
  std::optional<std::string> string(std::string_view name, bool required) {
    const std::string key(name);
    if (!object_->has(key) || object_->get(key).isEmpty()) {
      if (required) add(name, "missing required field '" + key + "'");
      return std::nullopt;
    }
    const Var v = object_->get(key);
    if (!v.isString()) {
      add(name, "expected string, got " + typeOf(v));
      return std::nullopt;
    }
    std::string text = v.extract<std::string>();
    if (required && text.empty()) {
      add(name, "must not be empty");
      return std::nullopt;
    }
    return text;
  }

  // An amount written as a string ("12.50") or a number (12.5), read exactly.
  std::optional<sdk::Decimal> amount(std::string_view name) {
    const std::string key(name);
    if (!object_->has(key) || object_->get(key).isEmpty()) {
      add(name, "missing required field '" + key + "'");
      return std::nullopt;
    }
    const Var v = object_->get(key);
    const std::optional<std::string> amount = json::amountText(v);
    if (!amount) {
      add(name, "expected amount (string or number), got " + typeOf(v));
      return std::nullopt;
    }
    const std::string& text = *amount;
    const auto d = sdk::Decimal::parse(text);
    if (!d) add(name, "'" + text + "' is not an amount: a decimal with at most 4 fraction digits expected");
    return d;
  }

  bool present(std::string_view name) const {
    const std::string key(name);
    return object_->has(key) && !object_->get(key).isEmpty();
  }

  void add(std::string_view name, std::string message) {
    errors_.push_back({"/" + std::string(name), std::move(message)});
  }

 private:
  Object::Ptr object_;
  sdk::Errors errors_;
};

std::string parseMessage(const Poco::Exception& e) {
  std::string message = e.message();
  if (message.find('\xff') != std::string::npos) return "unexpected end of input";
  if (message == "Maximum depth exceeded") return "nesting too deep";
  if (message == "Attempt to set value on an empty stack") return "expected an object at the top";
  for (char& c : message)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80) c = '?';
  return message;
}

}  // namespace

sdk::Result<sdk::HubEvent> readEvent(const std::string& body) {
  using R = sdk::Result<sdk::HubEvent>;
  Var root;
  try {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(/*preserveObjectOrder=*/true));
    parser.setDepth(8);
    root = parser.parse(body);
  } catch (const Poco::Exception& e) {
    return R::failure("", "not valid JSON: " + parseMessage(e));
  }
  if (root.type() != typeid(Object::Ptr)) return R::failure("", "expected an event object, got " + typeOf(root));

  EventReader r(root.extract<Object::Ptr>());
  r.unknownFields();
  sdk::HubEvent event;
  const auto type = r.string("type", true);
  if (type) {
    if (*type == "payment.confirmed") event.kind = sdk::HubEvent::Kind::PaymentConfirmed;
    else if (*type == "refund.executed") event.kind = sdk::HubEvent::Kind::RefundExecuted;
    else r.add("type", "'" + *type + "' is not one of: payment.confirmed, refund.executed");
  }
  if (const auto id = r.string("transaction_id", true)) {
    event.transaction_id = *id;
    if (id->size() > kMaxTransactionIdLength)
      r.add("transaction_id", "longer than " + std::to_string(kMaxTransactionIdLength) + " characters");
  }
  if (const auto amount = r.amount("amount")) {
    event.amount = *amount;
    if (*amount <= sdk::Decimal()) r.add("amount", "must be greater than 0, got " + amount->toString());
  }
  if (const auto currency = r.string("currency", true)) {
    event.currency = *currency;
    if (!sdk::isCurrencyCode(*currency)) r.add("currency", "'" + *currency + "' is not an ISO 4217 currency code");
  }
  event.case_id = r.string("case_id", false).value_or("");
  event.reference = r.string("reference", false).value_or("");
  if (const auto at = r.string("paid_at", true)) {
    event.at = *at;
    if (!sdk::isRfc3339Utc(*at))
      r.add("paid_at", "'" + *at + "' is not an RFC 3339 UTC timestamp like 2026-11-29T08:00:00Z");
  }
  // A refund gives back (part of) one payment: it names that payment's transaction id.
  if (type == "refund.executed") {
    if (const auto paid = r.string("refunded_transaction_id", true)) {
      event.refunded_transaction_id = *paid;
      if (paid->size() > kMaxTransactionIdLength)
        r.add("refunded_transaction_id", "longer than " + std::to_string(kMaxTransactionIdLength) + " characters");
    }
  } else if (type == "payment.confirmed" && r.present("refunded_transaction_id")) {
    r.add("refunded_transaction_id", "only a refund.executed names the payment it refunds");
  }
  if (!r.present("case_id") && !r.present("reference"))
    r.errors().push_back({"", "case_id or reference required: the case the payment concerns"});
  if (!r.errors().empty()) return r.errors();
  return event;
}

void appendJsonString(std::string& out, std::string_view s) { json::appendString(out, s); }

}  // namespace swhub::plugins::payment
