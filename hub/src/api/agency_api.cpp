#include "api/agency_api.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <charconv>
#include <limits>
#include <optional>
#include <functional>
#include <sstream>

#include "common/ids.hpp"
#include "release/notification_format.hpp"
#include "security/receipt_text.hpp"
#include "stats/rollup_plan.hpp"
#include "stats/stats_query.hpp"
#include "swhub/sdk/validate.hpp"

namespace swhub::api {
namespace {

bool isJson(const std::string& contentType) {
  return contentType.size() >= 4 && contentType.compare(contentType.size() - 4, 4, "json") == 0;
}

// One outbox item as the pull APIs show it: JSON bodies inline, others as text.
Poco::JSON::Object pageItem(const journal::OutboxItem& item, const char* idKey) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("seq", item.seq);
  o.set(idKey, item.id);
  o.set("case_id", item.case_id);
  o.set("content_type", item.content_type);
  // JSON inline; anything else, or a plugin's "JSON" that does not parse, as text: a partner's
  // page never fails for one item's bytes.
  bool inlined = false;
  if (isJson(item.content_type)) {
    try {
      // Its fields in the order the plugin wrote them.
      o.set("message", Poco::JSON::Parser(new Poco::JSON::ParseHandler(true)).parse(item.body));
      inlined = true;
    } catch (const Poco::Exception&) {
    }
  }
  if (!inlined) o.set("body", item.body);
  o.set("created_at", common::toString(item.created_at));
  return o;
}

// `next`: the cursor past the page (past items left out of it too).
HttpResult page(const std::vector<journal::OutboxItem>& items, std::int64_t next, const char* listKey,
                const char* idKey) {
  Poco::JSON::Array list;
  for (const auto& item : items) list.add(pageItem(item, idKey));
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set(listKey, list);
  body.set("next", std::to_string(next));
  return json(200, stringify(body));
}

HttpResult forbidden(const std::string& what) { return problem(403, "forbidden", "Forbidden", what); }

constexpr std::chrono::seconds kMaxClockSkew{300};
constexpr int kMaxItemSequence = std::numeric_limits<int>::max();

// An item sequence number as JSON gives it: a whole number in range, never a boolean, a
// fraction or a string (POCO would read `true` as 1 and throw on a number beyond int).
std::optional<int> itemSequence(const Poco::Dynamic::Var& value) {
  if (value.isBoolean() || !value.isInteger()) return std::nullopt;
  try {
    const Poco::Int64 n = value.convert<Poco::Int64>();
    if (n < 1 || n > kMaxItemSequence) return std::nullopt;
    return static_cast<int>(n);
  } catch (const Poco::Exception&) {
    return std::nullopt;  // an unsigned 64-bit number beyond Int64
  }
}

// A JSON value as the client wrote it, for an error message (null has no text in POCO).
std::string shown(const Poco::Dynamic::Var& value) {
  if (value.isEmpty()) return "null";
  try {
    return value.isString() ? "\"" + value.extract<std::string>() + "\"" : value.toString();
  } catch (const Poco::Exception&) {
    return "a " + std::string(value.isArray() ? "list" : "JSON value");
  }
}

bool isReasonCode(const std::string& code) {
  if (code.empty() || code.size() > 64) return false;
  return std::all_of(code.begin(), code.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.';
  });
}

}  // namespace

sdk::Errors parsePage(const std::string& after, const std::string& limit, std::int64_t& cursor, std::size_t& count) {
  sdk::Errors errors;
  cursor = 0;
  count = 100;
  if (!after.empty()) {
    auto [p, ec] = std::from_chars(after.data(), after.data() + after.size(), cursor);
    if (ec != std::errc() || p != after.data() + after.size() || cursor < 0) {
      errors.push_back({"after", "'" + after + "' is not a cursor: a `next` value from an earlier page expected"});
    }
  }
  if (!limit.empty()) {
    long long n = 0;
    auto [p, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), n);
    if (ec != std::errc() || p != limit.data() + limit.size() || n < 1 || n > 1000) {
      errors.push_back({"limit", "'" + limit + "' is out of range [1, 1000]"});
    } else {
      count = static_cast<std::size_t>(n);
    }
  }
  return errors;
}

HttpResult AgencyApi::tasks(const Identity& caller, const std::string& after, const std::string& limit) const {
  if (caller.kind != Identity::Kind::Agency) return forbidden(caller.actor() + " has no task queue");
  std::int64_t cursor = 0;
  std::size_t count = 0;
  if (auto errors = parsePage(after, limit, cursor, count); !errors.empty()) {
    return problem(400, "invalid-query", "Bad Request", "bad paging parameters", errors);
  }
  auto items = journal_.outboxAfter(caller.id, journal::Channel::Task, cursor, count);
  return page(items, items.empty() ? cursor : items.back().seq, "tasks", "task_id");
}

HttpResult AgencyApi::stats(const Identity& caller, const std::string& from, const std::string& to) const {
  if (caller.kind != Identity::Kind::Agency) return forbidden(caller.actor() + " has no agency statistics");
  sdk::Errors errors;
  const auto window = stats::parseWindow(from, to, common::nowInstant(), errors);
  if (!window) return problem(400, "invalid-query", "Bad Request", "bad statistics window", errors);
  return json(200, stats::statsJson(journal_, stats::agencyScope(caller.id), *window));
}

HttpResult AgencyApi::notifications(const Identity& caller, const std::string& after, const std::string& limit) const {
  if (caller.kind != Identity::Kind::Partner) return forbidden(caller.actor() + " receives no notifications");
  std::int64_t cursor = 0;
  std::size_t count = 0;
  if (auto errors = parsePage(after, limit, cursor, count); !errors.empty()) {
    return problem(400, "invalid-query", "Bad Request", "bad paging parameters", errors);
  }
  // Journaled canonically; each leaves in the partner's own format.
  const auto& partners = coordinator_.directory().partners;
  const auto endpoint = partners.find(caller.id);
  release::NotificationEncoder encoder{nullptr, caller.id, ""};
  if (endpoint != partners.end()) encoder = {endpoint->second.encoder, caller.id, endpoint->second.plugin};
  // One its plugin cannot encode is dead-lettered and left out, never served in another format.
  auto pulled = release::pullNotifications(
      journal_, encoder, journal_.outboxAfter(caller.id, journal::Channel::Notification, cursor, count), cursor);
  for (const auto& reason : pulled.refused) {
    metrics_.notificationsUnencodable.increment(caller.id);
    release::logUnencodable(reason);
  }
  return page(pulled.items, pulled.next, "notifications", "id");
}

HttpResult AgencyApi::decide(const Identity& caller, const std::string& body) const {
  if (caller.kind != Identity::Kind::Agency) return forbidden(caller.actor() + " may not decide");
  Poco::JSON::Object::Ptr input;
  try {
    const Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(body);
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
      return problem(400, "invalid-decision", "Bad Request", "the body is not a JSON object",
                     {{"", "expected a JSON object {case_id, decision, reason, decided_at, ...}"}});
    }
    input = parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return problem(400, "invalid-decision", "Bad Request", "the body is not JSON",
                   {{"", "not valid JSON: " + e.displayText()}});
  }
  sdk::Errors errors;
  auto text = [&](const std::string& key, bool required) {
    if (!input->has(key) || input->isNull(key)) {
      if (required) errors.push_back({"/" + key, "required field missing"});
      return std::string();
    }
    if (!input->get(key).isString()) {
      errors.push_back({"/" + key, "expected string"});
      return std::string();
    }
    return input->getValue<std::string>(key);
  };
  release::DecisionInput decision;
  decision.agency = caller.id;
  decision.actor = caller.asActor();
  decision.caseId = text("case_id", true);
  const std::string word = text("decision", true);
  decision.decision.reason = text("reason", false);
  const std::string decidedAt = text("decided_at", true);
  decision.decision.received_at = common::nowInstant();
  decision.decision.source = "api";
  if (!decidedAt.empty()) {
    // Kept to the millisecond, so that decisions compare and dedupe as instants. A decision
    // stamped in the future would stand over every later one: a clock that is off by more than
    // kMaxClockSkew is refused rather than allowed to freeze the case.
    const auto at = common::parseInstant(decidedAt);
    if (at && *at > decision.decision.received_at + kMaxClockSkew) {
      errors.push_back({"/decided_at", "'" + decidedAt + "' is in the future: the hub's clock says " +
                                           common::toString(decision.decision.received_at) + " (at most " +
                                           std::to_string(kMaxClockSkew.count()) + " s ahead allowed)"});
    } else if (at) {
      decision.decision.decided_at = *at;
    } else {
      errors.push_back({"/decided_at", "'" + decidedAt + "' is not an RFC 3339 UTC time"});
    }
  }
  if (auto parsed = common::parseDecision(word)) {
    decision.decision.decision = *parsed;
  } else if (!word.empty()) {
    errors.push_back({"/decision", release::notADecision(word)});
  }
  // Duties and taxes an agency (customs) assessed: decimal text or numbers, with their currency.
  auto amount = [&](const std::string& key) {
    if (!input->has(key) || input->isNull(key)) return std::string();
    const std::string text = input->get(key).toString();
    if (!sdk::Decimal::parse(text)) {
      errors.push_back({"/" + key, "'" + text + "' is not an amount: a decimal with at most 4 fraction digits expected"});
      return std::string();
    }
    return sdk::Decimal::parse(text)->toString();
  };
  decision.decision.duties = amount("duties");
  decision.decision.taxes = amount("taxes");
  decision.decision.currency = text("currency", false);
  if ((!decision.decision.duties.empty() || !decision.decision.taxes.empty()) &&
      !sdk::isCurrencyCode(decision.decision.currency)) {
    errors.push_back({"/currency", "'" + decision.decision.currency + "' is not an ISO 4217 currency code"});
  }
  if (input->has("items") && !input->isNull("items")) {
    auto items = input->getArray("items");
    if (!items) {
      errors.push_back({"/items", "expected a list of item sequence numbers"});
    } else {
      for (std::size_t i = 0; i < items->size(); ++i) {
        if (auto sequence = itemSequence(items->get(i))) {
          decision.decision.items.push_back(*sequence);
        } else {
          errors.push_back({"/items/" + std::to_string(i), "'" + shown(items->get(i)) +
                                                                "' is not an item sequence number (a whole number from 1 to " +
                                                                std::to_string(kMaxItemSequence) + ")"});
        }
      }
    }
  }
  if (input->has("reason_codes") && !input->isNull("reason_codes")) {
    auto codes = input->getArray("reason_codes");
    if (!codes) {
      errors.push_back({"/reason_codes", "expected a list of reason codes (strings)"});
    } else {
      for (std::size_t i = 0; i < codes->size(); ++i) {
        const Poco::Dynamic::Var code = codes->get(i);
        if (!code.isString() || !isReasonCode(code.extract<std::string>())) {
          errors.push_back({"/reason_codes/" + std::to_string(i),
                            "'" + shown(code) + "' is not a reason code: 1 to 64 letters, digits, '-', '_' or '.'"});
        } else {
          decision.decision.reason_codes.push_back(code.extract<std::string>());
        }
      }
    }
  }
  for (const auto& name : input->getNames()) {
    static const std::vector<std::string> kKnown = {"case_id", "decision", "reason", "reason_codes", "items",
                                                    "decided_at", "duties", "taxes", "currency"};
    if (std::find(kKnown.begin(), kKnown.end(), name) == kKnown.end()) {
      errors.push_back({"/" + name, "unknown field '" + name +
                                        "'; allowed: case_id, currency, decided_at, decision, duties, items, reason, "
                                        "reason_codes, taxes"});
    }
  }
  if (!errors.empty()) return problem(400, "invalid-decision", "Bad Request", "the decision is not valid", errors);

  const auto result = coordinator_.decide(decision);
  using Status = release::DecisionResult::Status;
  auto answer = [&](int status, const std::string& effect) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("case_id", decision.caseId);
    o.set("effect", effect);
    o.set("state", std::string(toString(result.state)));
    // The acknowledgement is the agency's receipt: signed over what it sent and what it caused.
    const std::string digest = "sha256:" + common::sha256Hex(body);
    o.set("received_at", common::toString(decision.decision.received_at));
    o.set("digest", digest);
    std::string acknowledged = stringify(o);
    acknowledged.insert(acknowledged.size() - 1,
                        security::signatureFields(
                            security::decisionReceiptText(caller.id, digest,
                                                          common::toString(decision.decision.received_at),
                                                          decision.caseId, std::string(toString(decision.decision.decision)),
                                                          common::toString(decision.decision.decided_at), effect),
                            signer_));
    return json(status, std::move(acknowledged));
  };
  switch (result.status) {
    case Status::Applied: return answer(200, "applied");
    case Status::Duplicate: return answer(200, "duplicate");
    case Status::Late: return answer(200, "late");
    case Status::AfterRelease: return answer(200, "recorded-after-release");
    case Status::NotFound:
    case Status::NotRouted:
      // A case not routed to this agency is as invisible to it as one that does not exist.
      return problem(404, "case-not-found", "Not Found",
                     "no case '" + decision.caseId + "' routed to agency '" + caller.id + "'");
    case Status::Invalid: return problem(400, "invalid-decision", "Bad Request", "the decision is not valid", result.errors);
    case Status::Unavailable: break;
  }
  HttpResult r = problem(503, "journal-unavailable", "Service Unavailable", "the decision was not recorded: " + result.detail);
  r.headers.push_back({"Retry-After", "30"});
  return r;
}

}  // namespace swhub::api
