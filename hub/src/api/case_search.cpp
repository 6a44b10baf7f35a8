// GET /v1/cases with filters (CaseViews::search): what each identity may search, every bad
// parameter a 400 naming it, and the page with its cursor.
#include <charconv>
#include <chrono>
#include <optional>
#include <string>

#include "api/case_views.hpp"
#include "common/calendar_day.hpp"
#include "model/json_writer.hpp"

namespace swhub::api {
namespace {

constexpr std::size_t kDefaultLimit = 50;
constexpr std::size_t kMaxLimit = 500;
constexpr char kCursorSeparator = '~';

using Query = std::vector<std::pair<std::string, std::string>>;

std::string valueOf(const Query& query, const std::string& name) {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return "";
}

bool has(const Query& query, const std::string& name) {
  for (const auto& [key, value] : query) {
    if (key == name) return true;
  }
  return false;
}

// An RFC 3339 instant, or a calendar day (UTC): `from` is its first instant, `to` the first of
// the next day (the day is included).
std::optional<common::Instant> instantOrDay(const std::string& text, bool endOfDay) {
  if (auto instant = common::parseInstant(text)) return instant;
  if (auto day = common::parseDay(text)) {
    return common::Instant(std::chrono::time_point_cast<std::chrono::milliseconds>(*day + std::chrono::days(endOfDay ? 1 : 0)));
  }
  return std::nullopt;
}

std::string cursorOf(const journal::CaseRecord& record) {
  return common::toString(record.created_at) + kCursorSeparator + record.id;
}

}  // namespace

HttpResult CaseViews::search(const Identity& caller, const Query& query) const {
  static const char* const kKnown[] = {"reference", "partner", "state", "agency", "from", "to", "limit", "after"};
  // `?reference=R` as it always was: the caller's cases with that reference, every one of them.
  bool onlyReference = has(query, "reference");
  for (const auto& [key, value] : query) onlyReference = onlyReference && (key == "reference" || key == "partner");
  const bool referenceView = onlyReference && (caller.kind == Identity::Kind::Partner ||
                                               (caller.kind == Identity::Kind::Admin && has(query, "partner")));
  if (referenceView) return byReference(caller, valueOf(query, "reference"), valueOf(query, "partner"));

  sdk::Errors errors;
  for (const auto& [key, value] : query) {
    bool known = false;
    for (const char* k : kKnown) known = known || key == k;
    if (!known) errors.push_back({key, "not a parameter of this search (reference, partner, state, agency, from, to, limit, after)"});
  }
  journal::CaseQuery q;
  q.reference = valueOf(query, "reference");
  q.partner = valueOf(query, "partner");
  q.agency = valueOf(query, "agency");
  if (const std::string state = valueOf(query, "state"); !state.empty()) {
    q.state = common::parseCaseState(state);
    if (!q.state) errors.push_back({"state", "'" + state + "' is not a case state"});
  }
  if (const std::string from = valueOf(query, "from"); !from.empty()) {
    q.from = instantOrDay(from, false);
    if (!q.from) errors.push_back({"from", "'" + from + "' is neither an RFC 3339 time nor a day (YYYY-MM-DD)"});
  }
  if (const std::string to = valueOf(query, "to"); !to.empty()) {
    q.to = instantOrDay(to, true);
    if (!q.to) errors.push_back({"to", "'" + to + "' is neither an RFC 3339 time nor a day (YYYY-MM-DD)"});
  }
  if (q.from && q.to && *q.to <= *q.from) errors.push_back({"to", "ends before `from` starts"});
  q.limit = kDefaultLimit;
  if (const std::string limit = valueOf(query, "limit"); !limit.empty()) {
    std::size_t n = 0;
    auto [p, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), n);
    if (ec != std::errc() || p != limit.data() + limit.size() || n < 1 || n > kMaxLimit) {
      errors.push_back({"limit", "'" + limit + "' is out of range [1, " + std::to_string(kMaxLimit) + "]"});
    } else {
      q.limit = n;
    }
  }
  if (const std::string after = valueOf(query, "after"); !after.empty()) {
    const auto split = after.find(kCursorSeparator);
    if (split != std::string::npos) q.after_created = common::parseInstant(after.substr(0, split));
    if (!q.after_created || split + 1 >= after.size()) {
      errors.push_back({"after", "'" + after + "' is not a cursor: a `next` value from an earlier page expected"});
    } else {
      q.after_id = after.substr(split + 1);
    }
  }
  if (!errors.empty()) return problem(400, "invalid-query", "Bad Request", "bad search parameters", errors);

  // The caller's scope: a partner its own cases, an agency those routed to it, an admin all.
  if (caller.kind == Identity::Kind::Partner) q.partner = caller.id;
  if (caller.kind == Identity::Kind::Agency) {
    if (!q.agency.empty() && q.agency != caller.id) {
      return problem(403, "not-your-agency", "Forbidden", caller.actor() + " may search only the cases routed to it",
                     {{"agency", "another agency's cases"}});
    }
    q.agency = caller.id;
  }
  const auto cases = journal_.searchCases(q);
  std::string body;
  {
    model::ObjectWriter b(body);
    std::string& list = b.key("cases");
    list += '[';
    for (std::size_t i = 0; i < cases.size(); ++i) {
      if (i) list += ',';
      model::ObjectWriter c(list);
      writeCaseSummary(c, cases[i]);
    }
    list += ']';
    // A full page may have more after it; a short one is the last.
    if (cases.size() == q.limit) {
      b.string("next", cursorOf(cases.back()), true);
    } else {
      b.raw("next", "null");
    }
  }
  return json(200, std::move(body));
}

}  // namespace swhub::api
