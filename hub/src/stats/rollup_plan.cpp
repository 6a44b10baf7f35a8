#include "stats/rollup_plan.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string_view>

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "model/json_read.hpp"
#include "release/case_status.hpp"

namespace swhub::stats {
namespace {

using journal::addCount;
using journal::addLatency;
using journal::CaseEvent;
using journal::StatDelta;
using journal::StatSums;

// An event's detail, read leniently (model/json_read.hpp): a detail or a member the planner
// cannot read counts as none.
class Detail {
 public:
  explicit Detail(const std::string& json) {
    if (!json.empty()) document_.Parse(json.data(), json.size());
  }
  std::string text(std::string_view key) const { return model::json::text(document_, key); }
  // A list of text; an element that is no text cannot be read: this throws, and the planner
  // leaves the case out whole.
  std::vector<std::string> texts(std::string_view key) const {
    std::vector<std::string> out;
    if (const auto* list = model::json::array(document_, key)) {
      for (const auto& element : list->GetArray()) {
        if (!element.IsString() && !element.IsNumber())
          throw std::runtime_error("event detail: '" + std::string(key) + "' holds a value that is no text");
        out.push_back(model::json::text(element));
      }
    }
    return out;
  }

 private:
  rapidjson::Document document_;
};

// Counts the members of the top-level "items" array as RapidJSON reads them, building no
// document: the planner needs only that number from a case's whole consignment.
class ItemCounter final : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, ItemCounter> {
 public:
  std::int64_t count() const { return count_; }
  bool Default() {  // a scalar
    if (inItems_ && depth_ == 2) ++count_;
    return true;
  }
  bool StartObject() { return open(); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() {
    if (depth_ == 1 && itemsKey_) inItems_ = true;
    return open();
  }
  bool EndArray(rapidjson::SizeType) {
    close();
    if (depth_ == 1) inItems_ = false;
    return true;
  }
  bool Key(const char* name, rapidjson::SizeType length, bool) {
    itemsKey_ = depth_ == 1 && std::string_view(name, length) == "items";
    return true;
  }

 private:
  bool open() {
    if (inItems_ && depth_ == 2) ++count_;  // an item (an object, or anything else the array holds)
    ++depth_;
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }
  int depth_ = 0;
  std::int64_t count_ = 0;
  bool inItems_ = false;
  bool itemsKey_ = false;
};

std::int64_t itemCount(const std::string& consignmentJson) {
  if (consignmentJson.empty()) return 0;
  ItemCounter counter;
  rapidjson::Reader reader;
  rapidjson::MemoryStream in(consignmentJson.data(), consignmentJson.size());
  // Numbers stay text (nothing converts them); a detail the planner cannot read counts as none.
  if (reader.Parse<rapidjson::kParseNumbersAsStringsFlag>(in, counter).IsError()) return 0;
  return counter.count();
}

std::int64_t msBetween(journal::Instant from, journal::Instant to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

// One case's events of the batch, with what the planner knows of the case.
struct CaseView {
  journal::CaseRecord record;
  release::CaseStatus status;  // after the batch
  std::vector<const CaseEvent*> events;
  std::vector<std::string> scopes;  // "" and each routed agency's
};

// The filing kind the case was created by: its first "received" event's.
std::string firstFiling(const std::vector<const CaseEvent*>& events, const std::string& fallback) {
  for (const CaseEvent* e : events) {
    if (e->kind != "received") continue;
    if (auto kind = Detail(e->detail_json).text("filing"); !kind.empty()) return kind;
  }
  return fallback;
}

// When the goods arrived: the first arrival filing; a case filed with no arrival filing later
// declared goods that were there (its filing time).
journal::Instant arrivalOf(const CaseView& c, const CaseSource& source, bool newCase) {
  auto scan = [](const std::vector<CaseEvent>& events) -> std::optional<journal::Instant> {
    for (const auto& e : events) {
      if (e.kind == "received" && Detail(e.detail_json).text("filing") == "arrival") return e.at;
    }
    return std::nullopt;
  };
  std::vector<CaseEvent> mine;
  for (const CaseEvent* e : c.events) mine.push_back(*e);
  if (!newCase && source.eventsOf) {
    auto stored = source.eventsOf(c.record.id);
    stored.insert(stored.end(), mine.begin(), mine.end());
    mine = std::move(stored);
  }
  return scan(mine).value_or(c.record.created_at);
}

class Planner {
 public:
  Planner(StatSums& out, const CaseSource& source) : out_(out), source_(source) {}

  void plan(CaseView& c, bool newCase) {
    for (const CaseEvent* e : c.events) {
      const std::int64_t hour = journal::hourOf(e->at);
      if (e->kind == "received") {
        const std::string filing = Detail(e->detail_json).text("filing");
        for (const auto& scope : c.scopes) {
          addCount(out_, hour, scope, "filings", "", "");
          addCount(out_, hour, scope, "filings.partner", c.record.partner, "");
          addCount(out_, hour, scope, "filings.kind", filing, "");
        }
      } else if (e->kind == "transition") {
        transition(c, *e, hour, newCase);
      } else if (e->kind == "decision") {
        decision(c, *e, hour);
      } else if (e->kind == "assessed") {
        assessed(c, *e, hour);
      } else if (e->kind == "payment") {
        payment(c, *e, hour);
      }
    }
  }

 private:
  void transition(CaseView& c, const CaseEvent& e, std::int64_t hour, bool newCase) {
    if (!e.to_state) return;
    if (e.from_state) {
      out_.add(journal::kAllTimeHour, "", "cases_state", toString(*e.from_state), "", -1);
    }
    out_.add(journal::kAllTimeHour, "", "cases_state", toString(*e.to_state), "", 1);
    if (!e.from_state) {
      const std::string kind = firstFiling(c.events, c.record.filing);
      const std::int64_t items = itemCount(c.record.consignment_json);
      for (const auto& scope : c.scopes) {
        addCount(out_, hour, scope, "cases_filed", "", "");
        addCount(out_, hour, scope, "cases_filed.partner", c.record.partner, "");
        addCount(out_, hour, scope, "cases_filed.kind", kind, "");
        addCount(out_, hour, scope, "items", "", "", items);
        addCount(out_, hour, scope, "items.partner", c.record.partner, "", items);
      }
      return;
    }
    if (*e.to_state != common::CaseState::Released || *e.from_state == common::CaseState::Released) return;
    const std::int64_t filed = msBetween(c.record.created_at, e.at);
    const std::int64_t arrived = msBetween(arrivalOf(c, source_, newCase), e.at);
    for (const auto& scope : c.scopes) {
      for (const auto& [family, ms] : {std::pair{"release_ms", filed}, std::pair{"arrival_release_ms", arrived}}) {
        addLatency(out_, hour, scope, family, "", ms);
        addLatency(out_, hour, scope, std::string(family) + ".partner", c.record.partner, ms);
        for (const auto& [agency, _] : c.status.agencies) {
          if (!scope.empty() && scope != agencyScope(agency)) continue;  // no other agency's figures
          addLatency(out_, hour, scope, std::string(family) + ".agency", agency, ms);
        }
      }
    }
  }

  void decision(CaseView& c, const CaseEvent& e, std::int64_t hour) {
    const Detail detail(e.detail_json);
    if (detail.text("effect") != "applied") return;  // a duplicate or late one changed nothing
    const std::string agency = detail.text("agency");
    const std::string outcome = detail.text("decision");
    std::vector<std::string> codes = detail.texts("reason_codes");
    if (codes.empty()) codes.push_back("none");
    const std::int64_t ms = msBetween(c.record.created_at, e.at);
    for (const std::string& scope : {std::string(), agencyScope(agency)}) {
      addCount(out_, hour, scope, "outcomes", outcome, "");
      for (const auto& code : codes) addCount(out_, hour, scope, "outcomes.reason", outcome, code);
      addCount(out_, hour, scope, "decisions.agency", agency, outcome);
      addLatency(out_, hour, scope, "decision_ms", "", ms);
      addLatency(out_, hour, scope, "decision_ms.agency", agency, ms);
      addLatency(out_, hour, scope, "decision_ms.partner", c.record.partner, ms);
    }
  }

  void assessed(CaseView& c, const CaseEvent& e, std::int64_t hour) {
    const Detail detail(e.detail_json);
    const std::string agency = detail.text("agency");
    if (const std::string category = detail.text("category"); !category.empty()) {  // written when derived
      for (const auto& scope : c.scopes) addCount(out_, hour, scope, "cases_filed.category", category, "");
    }
    if (!c.status.revenueAssessed || c.status.findingsBy != agency) return;
    for (const std::string& scope : {std::string(), agencyScope(agency)}) {
      for (const auto& line : c.status.revenueLines) {
        if (line.collected_at_sale) continue;  // not due at the border
        const std::int64_t units = line.amount.units();
        addCount(out_, hour, scope, "assessed", "", line.currency, units);
        addCount(out_, hour, scope, "assessed.tax", line.tax, line.currency, units);
        addCount(out_, hour, scope, "assessed.model", c.status.collection, line.currency, units);
      }
    }
  }

  void payment(CaseView& c, const CaseEvent& e, std::int64_t hour) {
    const Detail detail(e.detail_json);
    const auto amount = sdk::Decimal::parse(detail.text("amount"));
    if (!amount) return;
    const std::string currency = detail.text("currency");
    std::vector<std::string> scopes{""};
    if (!c.status.findingsBy.empty()) scopes.push_back(agencyScope(c.status.findingsBy));
    for (const auto& scope : scopes) {
      addCount(out_, hour, scope, "collected", "", currency, amount->units());
      addCount(out_, hour, scope, "collected.model", c.status.collection, currency, amount->units());
    }
  }

  StatSums& out_;
  const CaseSource& source_;
};

}  // namespace

void planRollups(journal::WriteBatch& batch, const CaseSource& source) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<const CaseEvent*>> byCase;
  for (const auto& e : batch.events) {
    auto& list = byCase[e.case_id];
    if (list.empty()) order.push_back(e.case_id);
    list.push_back(&e);
  }
  StatSums sums;
  Planner planner(sums, source);
  for (const auto& id : order) {
    CaseView c;
    bool newCase = false;
    auto created = std::find_if(batch.new_cases.begin(), batch.new_cases.end(), [&](const auto& r) { return r.id == id; });
    if (created != batch.new_cases.end()) {
      c.record = *created;
      newCase = true;
    } else if (auto stored = source.caseOf ? source.caseOf(id) : std::nullopt) {
      c.record = std::move(*stored);
    } else {
      continue;  // events of a case neither here nor stored: the store refuses the batch anyway
    }
    for (const auto& u : batch.case_updates) {
      if (u.id == id && !u.status_json.empty()) c.record.status_json = u.status_json;
      if (u.id == id && !u.consignment_json.empty()) c.record.consignment_json = u.consignment_json;
    }
    // Statistics never fail a commit: a case whose rows cannot be read as the planner expects
    // (a journal edited by hand) is left out of them, whole.
    sums.mark();
    try {
      c.status = release::CaseStatus::fromJson(c.record.status_json);
      c.scopes.push_back("");
      for (const auto& [agency, _] : c.status.agencies) c.scopes.push_back(agencyScope(agency));
      c.events = std::move(byCase[id]);
      planner.plan(c, newCase);
    } catch (const std::exception&) {
      sums.takeBack();
    }
  }
  sums.appendTo(batch.stats);
}

CaseSource journalSource(journal::Journal& journal) {
  return {[&journal](const std::string& id) { return journal.getCase(id); },
          [&journal](const std::string& id) { return journal.caseEvents(id); }};
}

}  // namespace swhub::stats
