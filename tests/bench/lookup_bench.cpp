// lookup_bench: GET /v1/cases/{id} and GET /v1/cases?reference= with N cases in the journal
// (default 10^6), measured with wrk (README.md "lookup_bench"). Usage:
//   lookup_bench [--cases N] [--connections C] [--seconds D] [--dir DIR] [--keep] [--stats|--search] [--quick]
//
// 1. A real hub (config/hub.yaml) files the DESIGN.md example once and customs assesses it: the
//    rows that filing left (its message, case and case events) are the template.
// 2. The template is written N times into a fresh journal through the journal's own write path
//    (applyBatch, which extends the audit chain), 20,000 filings a transaction (the shortcut: no
//    fsync per filing), each clone with its own message id, case id and reference of the same
//    length. The clones' outbox rows are left out (no lookup reads them, and the hub would
//    otherwise deliver a million notifications while it is measured), and so are their message
//    bodies and receipts (the message row is there, empty of both).
// 3. A hub serves that journal; wrk GETs random cases by id, then by reference, as their partner.
// --stats: the clones are spread over the 720 hours before the template's filing (clone n is
// n % 720 hours older) with their statistics rollups (stats/rollup_plan.hpp, written with them as
// a live hub writes them), and wrk GETs /v1/admin/stats as the admin instead: the default window
// (the last 24 hours) and the whole 30 days (README.md "lookup_bench", the --stats rows).
// --search: each clone is also routed as a border routes its goods (delivered outbox rows): customs
// assesses every case, food safety gets a task of 1 in 6, product safety of 1 in 1,000, and the
// statistics say so; wrk GETs /v1/cases?agency=X as the admin for each (the case search's agency
// filter, whose plan follows the agency's share: journal/case_query.hpp).
// --keep: the journal is built in DIR/swhub-lookup-bench-N[-stats|-search] and kept there; a later
// run with the same options and --keep measures it again without building it (a 10^6-case journal
// takes minutes to build, a profile of the hub seconds).
// Exit 0 when every request answered 200.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "hub_process.hpp"
#include "journal/sqlite_db.hpp"
#include "journal/sqlite_schema.hpp"
#include "journal/sqlite_stats.hpp"
#include "journal/sqlite_store.hpp"
#include "stats/rollup_plan.hpp"
#include "wrk_load.hpp"

using namespace swhub::journal;
using namespace swhub::journal::sqlite;
using swhub::testing::HubProcess;

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// `id` with its last 8 characters replaced by n: the same length, unique per n.
std::string numbered(const std::string& id, std::int64_t n) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%08lld", static_cast<long long>(n));
  return id.substr(0, id.size() - 8) + digits;
}

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

struct Template {
  MessageRecord message;
  CaseRecord kase;
  std::vector<CaseEvent> events;
};

// The template as filed before (a kept directory, --keep): the case id is in `built`.
Template loadTemplate(const std::filesystem::path& dir, const std::string& caseId) {
  Db db((dir / "template.db").string(), "");
  configureConnection(db);
  Template t;
  t.kase = *caseById(db, caseId);
  t.message = *messageById(db, t.kase.message_id);
  t.events = eventsOfCase(db, caseId);
  return t;
}

// Files the example once through a hub and waits (up to 30 s) for customs' assessment.
Template fileTemplate(const std::filesystem::path& dir) {
  const std::string config = (dir / "hub.yaml").string();
  swhub::testing::writeFile(config, swhub::testing::exampleConfigText());
  const std::string journal = (dir / "template.db").string();
  std::string caseId;
  {
    HubProcess hub({"serve", "--config", config, "--listen", "127.0.0.1:0", "--journal", "sqlite:" + journal});
    const auto filed = swhub::testing::request(
        hub.address(), "POST", "/v1/messages", swhub::testing::exampleFiling("LRN-2026-00000000"),
        {{"Authorization", "Bearer demo-post-token"},
         {"Content-Type", "application/vnd.swhub.consignment+json"},
         {"Idempotency-Key", "lookup-bench-template-0001"}});
    const auto at = filed.body.find("\"case_id\":\"");
    if (filed.status != 202 || at == std::string::npos) throw std::runtime_error("template filing: " + filed.body);
    caseId = filed.body.substr(at + 11, filed.body.find('"', at + 11) - at - 11);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
      const auto view = swhub::testing::request(hub.address(), "GET", "/v1/cases/" + caseId, "",
                                                {{"Authorization", "Bearer demo-admin-token"}});
      if (view.body.find("\"risk\":{") != std::string::npos) break;
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("customs did not assess: " + view.body);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    hub.terminate();
  }
  return loadTemplate(dir, caseId);
}

// --search: the agencies a clone is routed to, and how many of `cases` each gets.
struct Route {
  const char* agency;
  Channel channel;
  std::int64_t oneIn;
};
constexpr Route kRoutes[] = {{"customs", Channel::Assess, 1}, {"food-safety", Channel::Task, 6}, {"product-safety", Channel::Task, 1000}};
std::int64_t routedCases(const Route& r, std::int64_t cases) { return (cases + r.oneIn - 1) / r.oneIn; }

WriteBatch clone(const Template& t, std::int64_t n, bool spread, bool routed = false) {
  const std::string messageId = numbered(t.message.id, n), caseId = numbered(t.kase.id, n),
                    reference = numbered(t.kase.reference, n);
  auto renamed = [&](std::string text) {
    replaceAll(text, t.kase.id, caseId);
    replaceAll(text, t.message.id, messageId);
    replaceAll(text, t.kase.reference, reference);
    return text;
  };
  WriteBatch batch;
  MessageRecord m = t.message;
  m.id = messageId;
  m.idempotency_key = numbered(m.idempotency_key, n);
  // The clone's body and receipt are left out (no lookup reads them): 10^6 filings build in
  // minutes instead of most of an hour on a 2-core machine. Everything a lookup reads is as filed.
  m.body.clear();
  m.response.clear();
  batch.message = std::move(m);
  CaseRecord c = t.kase;
  c.id = caseId;
  c.reference = reference;
  c.message_id = messageId;
  c.consignment_json = renamed(c.consignment_json);
  c.status_json = renamed(c.status_json);
  batch.new_cases.push_back(std::move(c));
  for (CaseEvent e : t.events) {
    e.case_id = caseId;
    e.message_id = e.message_id.empty() ? e.message_id : messageId;
    e.detail_json = renamed(e.detail_json);
    batch.events.push_back(std::move(e));
  }
  for (const Route& r : kRoutes) {
    if (!routed || n % r.oneIn != 0) continue;
    OutboxItem o;
    o.id = numbered("O-" + std::string(r.agency) + "-00000000", n);
    o.channel = r.channel;
    o.recipient = r.agency;
    o.case_id = caseId;
    o.content_type = "application/json";
    o.body = "{}";
    o.state = OutboxState::Delivered;  // done: the hub has nothing to deliver while it is measured
    o.created_at = t.kase.created_at;
    batch.outbox.push_back(std::move(o));
  }
  if (spread) {
    const auto back = std::chrono::hours(n % 720);
    batch.message->received_at -= back;
    batch.new_cases.back().created_at -= back;
    batch.new_cases.back().updated_at -= back;
    for (auto& e : batch.events) e.at -= back;
  }
  return batch;
}

// The rollups a live hub writes with each clone (every clone is a new case: nothing is read). A
// clone's rollups depend on its hour offset only (their keys hold no ids), so they are planned
// once per offset; buildJournal writes a transaction's clones' rollups summed, which leaves the
// same rows and values as writing each clone's (about 50 upserts a clone made the build slow).
class RollupCache {
 public:
  const std::vector<StatDelta>& of(const WriteBatch& clone, std::int64_t n, bool spread) {
    const std::int64_t offset = spread ? n % 720 : 0;
    auto [it, added] = planned_.try_emplace(offset);
    if (added) {
      WriteBatch copy = clone;
      swhub::stats::planRollups(copy, {});
      it->second = std::move(copy.stats);
    }
    return it->second;
  }

 private:
  std::map<std::int64_t, std::vector<StatDelta>> planned_;
};

void buildJournal(const Template& t, const std::string& path, std::int64_t cases, bool spread, bool routed) {
  const auto started = std::chrono::steady_clock::now();
  Db db(path, "");
  configureConnection(db);
  ensureSchema(db);
  constexpr std::int64_t kPerTransaction = 20000;
  RollupCache rollups;
  for (std::int64_t n = 0; n < cases; n += kPerTransaction) {
    db.exec("BEGIN IMMEDIATE");
    std::vector<StatDelta> deltas;
    for (std::int64_t i = n; i < std::min(cases, n + kPerTransaction); ++i) {
      WriteBatch batch = clone(t, i, spread, routed);
      const auto& planned = rollups.of(batch, i, spread);
      deltas.insert(deltas.end(), planned.begin(), planned.end());
      if (applyBatch(db, batch).status != CommitResult::Status::Committed) {
        throw std::runtime_error("clone " + std::to_string(i) + " refused");
      }
    }
    if (!deltas.empty()) writeStatDeltas(db, swhub::journal::mergeStatDeltas(deltas));
    db.exec("COMMIT");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  if (routed) {
    // The template's own routing counted every clone for its agencies: the shares are kRoutes'.
    db.exec("DELETE FROM stat_rollups WHERE scope LIKE 'agency:%' AND hour = -1 AND family = 'cases_filed'"
            " AND key1 = '' AND key2 = ''");
    for (const Route& r : kRoutes) {
      writeStatDeltas(db, {{kAllTimeHour, std::string("agency:") + r.agency, "cases_filed", "", "", routedCases(r, cases)}});
    }
  }
  markStatsFilled(db, "2026-01-01T00:00:00.000Z");  // counted as written: the hub fills nothing
  std::printf("  built %lld cases (%zu events each) in %.1f s: %.0f MiB, %.0f bytes per case\n",
              static_cast<long long>(cases), t.events.size(), secondsSince(started),
              static_cast<double>(std::filesystem::file_size(path)) / (1 << 20),
              static_cast<double>(std::filesystem::file_size(path)) / static_cast<double>(cases));
}

std::string statsScript(const std::string& path, const std::string& token) {
  return "-- written by lookup_bench --stats\n"
         "local headers = {[\"Authorization\"] = \"Bearer " + token + "\"}\n"
         "function request() return wrk.format(\"GET\", \"" + path + "\", headers) end\n";
}

std::string luaScript(const Template& t, std::int64_t cases, bool byReference) {
  const std::string id = byReference ? t.kase.reference : t.kase.id;
  const std::string head = id.substr(0, id.size() - 8);
  const std::string path = byReference ? "/v1/cases?reference=" : "/v1/cases/";
  return "-- written by lookup_bench: a random one of the journal's cases each request\n"
         "local threads = 0\n"
         "function setup(thread) threads = threads + 1; thread:set(\"tid\", threads) end\n"
         "function init(args) math.randomseed(tid * 7919 + os.time()) end\n"
         "local headers = {[\"Authorization\"] = \"Bearer demo-post-token\"}\n"
         "function request()\n"
         "  local n = math.random(0, " + std::to_string(cases - 1) + ")\n"
         "  return wrk.format(\"GET\", \"" + path + head + "\" .. string.format(\"%08d\", n), headers)\n"
         "end\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t cases = 1000000;
  int connections = 8, seconds = 10;
  bool statsMode = false, searchMode = false, keep = false;
  std::filesystem::path base = "/tmp";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--cases" && i + 1 < argc) cases = std::atoll(argv[++i]);
    else if (a == "--connections" && i + 1 < argc) connections = std::atoi(argv[++i]);
    else if (a == "--seconds" && i + 1 < argc) seconds = std::atoi(argv[++i]);
    else if (a == "--dir" && i + 1 < argc) base = argv[++i];
    else if (a == "--keep") keep = true;
    else if (a == "--stats") statsMode = true;
    else if (a == "--search") searchMode = true;
    else if (a == "--quick") {
      cases = 2000;
      connections = 2;
      seconds = 1;
    } else {
      std::fprintf(stderr, "usage: lookup_bench [--cases N] [--connections C] [--seconds D] [--dir DIR] [--keep] [--stats|--search] [--quick]\n");
      return 2;
    }
  }
  if (cases < 1 || cases > 99999999 || connections < 1 || seconds < 1) {
    std::fprintf(stderr, "lookup_bench: --cases 1..99999999, --connections and --seconds at least 1\n");
    return 2;
  }
  try {
    const auto dir =
        base / ("swhub-lookup-bench-" +
                (keep ? std::to_string(cases) + (statsMode ? "-stats" : searchMode ? "-search" : "")
                      : std::to_string(::getpid())));
    const auto builtMark = dir / "built";  // the template's case id, written once the journal is built
    const bool reuse = keep && std::filesystem::exists(builtMark);
    if (!reuse) std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    struct Cleanup {
      std::filesystem::path dir;
      ~Cleanup() {
        std::error_code ignored;
        if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
      }
    } cleanup{keep ? std::filesystem::path() : dir};
    std::printf("lookup_bench: %lld cases, wrk -t%d -c%d -d%ds per lookup, journal in %s\n",
                static_cast<long long>(cases), std::min(2, connections), connections, seconds, dir.c_str());
    const std::string journal = (dir / "journal.db").string();
    Template t;
    if (reuse) {
      t = loadTemplate(dir, swhub::testing::readFile(builtMark.string()));
      std::printf("  kept journal: %.0f MiB\n", static_cast<double>(std::filesystem::file_size(journal)) / (1 << 20));
    } else {
      t = fileTemplate(dir);
      buildJournal(t, journal, cases, statsMode, searchMode);
      if (keep) swhub::testing::writeFile(builtMark.string(), t.kase.id);
    }

    HubProcess hub({"serve", "--config", (dir / "hub.yaml").string(), "--listen", "127.0.0.1:0", "--journal",
                    "sqlite:" + journal});
    bool allOk = true;
    if (searchMode) {
      for (const Route& r : kRoutes) {
        const std::string path = std::string("/v1/cases?agency=") + r.agency;
        const std::string script = (dir / ("search_" + std::string(r.agency) + ".lua")).string();
        swhub::testing::writeFile(script, statsScript(path, "demo-admin-token"));
        const swhub::bench::WrkLoad load{std::min(2, connections), connections, seconds, script, hub.baseUrl() + "/", {}};
        const auto run = swhub::bench::runWrk(load);
        std::printf("  GET %s (%lld of %lld cases): %s\n    %llu requests, %llu non-2xx: %.0f/s; latency p50 %.2f ms, "
                    "p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                    path.c_str(), static_cast<long long>(routedCases(r, cases)), static_cast<long long>(cases),
                    swhub::bench::wrkCommand(load).c_str(), static_cast<unsigned long long>(run.requests),
                    static_cast<unsigned long long>(run.non2xx), run.okPerSecond(), run.p50Ms, run.p90Ms, run.p99Ms,
                    run.maxMs);
        allOk = allOk && run.requests > 0 && run.non2xx == 0 && run.socketErrors == 0;
      }
      hub.terminate();
      return allOk ? 0 : 1;
    }
    if (statsMode) {
      const auto from = swhub::common::toString(t.kase.created_at - std::chrono::hours(720));
      // The admin's (with the journal counts, SQLite count(*)s that grow with the journal), then an
      // agency's (the rollups alone).
      const std::vector<std::pair<std::string, std::string>> asked{
          {"/v1/admin/stats", "demo-admin-token"},
          {"/v1/admin/stats?from=" + from, "demo-admin-token"},
          {"/v1/agency/stats", "demo-customs-token"},
          {"/v1/agency/stats?from=" + from, "demo-customs-token"}};
      for (std::size_t q = 0; q < asked.size(); ++q) {
        const auto& [path, token] = asked[q];
        const std::string script = (dir / ("stats_" + std::to_string(q) + ".lua")).string();
        swhub::testing::writeFile(script, statsScript(path, token));
        const swhub::bench::WrkLoad load{std::min(2, connections), connections, seconds, script, hub.baseUrl() + "/", {}};
        const auto run = swhub::bench::runWrk(load);
        std::printf("  GET %s%s: %s\n    %llu requests, %llu non-2xx: %.0f/s; latency p50 %.2f ms, p90 %.2f ms, "
                    "p99 %.2f ms, max %.2f ms\n",
                    path.substr(0, path.find('?')).c_str(), q % 2 == 0 ? " (the last 24 hours)" : "?from= (30 days)",
                    swhub::bench::wrkCommand(load).c_str(),
                    static_cast<unsigned long long>(run.requests), static_cast<unsigned long long>(run.non2xx),
                    run.okPerSecond(), run.p50Ms, run.p90Ms, run.p99Ms, run.maxMs);
        allOk = allOk && run.requests > 0 && run.non2xx == 0 && run.socketErrors == 0;
      }
      hub.terminate();
      return allOk ? 0 : 1;
    }
    for (const bool byReference : {false, true}) {
      const std::string script = (dir / (byReference ? "by_reference.lua" : "by_id.lua")).string();
      swhub::testing::writeFile(script, luaScript(t, cases, byReference));
      const swhub::bench::WrkLoad load{std::min(2, connections), connections, seconds, script, hub.baseUrl() + "/", {}};
      const auto run = swhub::bench::runWrk(load);
      std::printf("  %s: %s\n    %llu requests, %llu non-2xx: %.0f/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, "
                  "max %.2f ms\n",
                  byReference ? "GET /v1/cases?reference=" : "GET /v1/cases/{id}", swhub::bench::wrkCommand(load).c_str(),
                  static_cast<unsigned long long>(run.requests), static_cast<unsigned long long>(run.non2xx),
                  run.okPerSecond(), run.p50Ms, run.p90Ms, run.p99Ms, run.maxMs);
      allOk = allOk && run.requests > 0 && run.non2xx == 0 && run.socketErrors == 0;
    }
    hub.terminate();
    return allOk ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lookup_bench: %s\n", e.what());
    return 1;
  }
}
