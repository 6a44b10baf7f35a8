#include "api/admin_api.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <charconv>
#include <set>
#include <sstream>

#include "api/agency_api.hpp"
#include "common/instant.hpp"
#include "model/json_writer.hpp"
#include "stats/stats_query.hpp"

namespace swhub::api {
namespace {

Poco::Dynamic::Var parseOr(const std::string& json) {
  try {
    return Poco::JSON::Parser().parse(json.empty() ? "{}" : json);
  } catch (const std::exception&) {
    return json;
  }
}

Poco::JSON::Object outboxJson(const journal::OutboxItem& item, bool withBody) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("seq", item.seq);
  o.set("id", item.id);
  o.set("channel", std::string(toString(item.channel)));
  o.set("recipient", item.recipient);
  o.set("case_id", item.case_id);
  o.set("state", std::string(toString(item.state)));
  o.set("attempts", item.attempts);
  o.set("next_attempt_at", item.next_attempt_at ? common::toString(*item.next_attempt_at) : std::string());
  o.set("last_error", item.last_error);
  o.set("created_at", common::toString(item.created_at));
  o.set("content_type", item.content_type);
  // The delivery that carried it with others (its X-Swhub-Delivery-Id), when it went in a batch.
  if (!item.batch.empty()) o.set("batch", item.batch);
  if (withBody) o.set("body", item.body);
  return o;
}

}  // namespace

std::string caseTraceJson(journal::Journal& journal, const std::string& caseId) {
  const auto read = journal.caseFile(caseId);
  if (!read) return "";
  const auto* record = &read->record;
  Poco::JSON::Object trace(Poco::JSON_PRESERVE_KEY_ORDER);
  trace.set("case_id", record->id);
  trace.set("reference", record->reference);
  trace.set("partner", record->partner);
  trace.set("state", std::string(toString(record->state)));
  trace.set("version", record->version);
  trace.set("status", parseOr(record->status_json));
  Poco::JSON::Array events;
  std::set<std::string> messageIds;
  for (const auto& e : read->events) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("seq", e.seq);
    o.set("at", common::toString(e.at));
    o.set("actor", common::toString(e.actor));
    o.set("kind", e.kind);
    if (e.from_state) o.set("from", std::string(toString(*e.from_state)));
    if (e.to_state) o.set("to", std::string(toString(*e.to_state)));
    if (!e.message_id.empty()) {
      o.set("message_id", e.message_id);
      messageIds.insert(e.message_id);
    }
    o.set("detail", parseOr(e.detail_json));
    events.add(o);
  }
  trace.set("events", events);
  Poco::JSON::Array messages;
  for (const auto& id : messageIds) {
    if (auto m = journal.getMessage(id)) {
      Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("message_id", m->id);
      o.set("partner", m->partner);
      o.set("received_at", common::toString(m->received_at));
      o.set("content_type", m->content_type);
      o.set("digest", m->digest);
      o.set("status", std::string(toString(m->status)));
      o.set("bytes", static_cast<Poco::UInt64>(m->body.size()));
      messages.add(o);
    }
  }
  trace.set("messages", messages);
  Poco::JSON::Array out;
  for (const auto& item : journal.outboxForCase(caseId)) out.add(outboxJson(item, false));
  trace.set("outbox", out);
  return stringify(trace);
}

HttpResult AdminApi::routes() const {
  auto table = coordinator_.routes();
  return json(200, table ? table->toJson() : "{\"routes\":[]}");
}

HttpResult AdminApi::reload() const {
  const ReloadOutcome outcome = reload_();
  if (!outcome.invalid.empty()) {
    return problem(400, "invalid-config", "Bad Request", "the new configuration was refused; the old one keeps running",
                   outcome.invalid);
  }
  if (!outcome.needsRestart.empty()) {
    return problem(409, "restart-required", "Conflict",
                   "the new configuration changes more than the routes; nothing was applied and the old one keeps "
                   "running: restart the hub to apply it",
                   outcome.needsRestart);
  }
  return json(200, "{\"reloaded\":\"routes\",\"note\":\"partners, agencies, plugins and the listener change on restart\"}");
}

HttpResult AdminApi::deadLetters(const std::string& after, const std::string& limit) const {
  std::int64_t cursor = 0;
  std::size_t count = 0;
  if (auto errors = parsePage(after, limit, cursor, count); !errors.empty()) {
    return problem(400, "invalid-query", "Bad Request", "bad paging parameters", errors);
  }
  Poco::JSON::Array list;
  std::int64_t next = cursor;
  for (const auto& item : journal_.deadLetters(cursor, count)) {
    list.add(outboxJson(item, true));
    next = item.seq;
  }
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("dead_letters", list);
  body.set("next", std::to_string(next));
  return json(200, stringify(body));
}

HttpResult AdminApi::replay(const std::string& seqText) const {
  std::int64_t seq = 0;
  auto [p, ec] = std::from_chars(seqText.data(), seqText.data() + seqText.size(), seq);
  if (ec != std::errc() || p != seqText.data() + seqText.size()) {
    return problem(400, "invalid-id", "Bad Request", "'" + seqText + "' is not a dead-letter id",
                   {{"id", "a `seq` from GET /v1/admin/dead-letters expected"}});
  }
  try {
    if (!journal_.replayDeadLetter(seq)) {
      return problem(404, "dead-letter-not-found", "Not Found", "no dead letter " + seqText);
    }
  } catch (const journal::JournalError& e) {
    HttpResult r = problem(503, "journal-unavailable", "Service Unavailable", std::string("not replayed: ") + e.what());
    r.headers.push_back({"Retry-After", "30"});
    return r;
  }
  wake_();
  return json(200, "{\"replayed\":" + seqText + "}");
}

HttpResult AdminApi::trace(const std::string& caseId) const {
  const std::string body = caseTraceJson(journal_, caseId);
  if (body.empty()) return problem(404, "case-not-found", "Not Found", "no case '" + caseId + "'");
  return json(200, body);
}

HttpResult AdminApi::stats(const std::string& from, const std::string& to) const {
  sdk::Errors errors;
  const auto window = stats::parseWindow(from, to, common::nowInstant(), errors);
  if (!window) return problem(400, "invalid-query", "Bad Request", "bad statistics window", errors);
  const auto s = journal_.stats();
  return json(200, stats::statsJson(journal_, "", *window, [&](model::ObjectWriter& o) {
    o.integer("messages", s.messages);
    o.integer("cases", s.cases);
    o.integer("commits", s.commits);
    o.integer("batches", s.batches);
    o.integer("outbox_pending", s.outbox_pending);
    o.boolean("journal_writable", journal_.writable());
  }));
}

std::string AdminApi::traceJson(const std::string& caseId) const { return caseTraceJson(journal_, caseId); }

}  // namespace swhub::api
