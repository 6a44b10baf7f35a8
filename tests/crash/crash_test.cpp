// The crash test of the project's own (issue 10, item 6): a real hub on the example config under
// concurrent filing load, SIGKILLed at random (seeded) moments and restarted on the same journal,
// then checked against what its clients and its push receiver saw:
//   - every filing that got a 202 receipt is in the journal (none lost);
//   - no reference has two cases (a client retries a filing whose answer a crash swallowed);
//   - demo-shop's receiver, deduplicating by notification id as the delivery contract asks, has
//     each case's "accepted" notification exactly once (a redelivery of the same id is allowed,
//     counted and printed: delivery is at least once);
//   - every case's state in the journal is the state its partner was last told.
// Prints lost / duplicated / recovered / redelivered counts and restart times (SIGKILL to
// /readyz 200). Exit 0 when all holds. Options: --kills N (20), --seed S (time), --clients N (6),
// --min-ms / --max-ms (the run between kills: 150 / 1200).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "hub_process.hpp"
#include "receiver.hpp"

namespace swhub::testing {
namespace {

using Poco::JSON::Object;
using Clock = std::chrono::steady_clock;

struct Options {
  int kills = 20;
  unsigned long seed = 0;
  int clients = 6;
  int minMs = 150;
  int maxMs = 1200;
};

// What one client saw of one reference: filed with a receipt, or refused as a duplicate after an
// attempt whose answer a crash swallowed (then the first attempt must have been filed).
struct Outcome {
  std::string reference;
  std::string caseId;  // from the 202 receipt; empty when none came
  int attempts = 0;
  int finalStatus = 0;
  std::string finalBody;
};

const std::map<std::string, std::string> kShop{{"Authorization", "Bearer demo-shop-token"}};

// The example config in `dir`, demo-shop's notifications pushed to `url`, retries quick.
std::string writeConfig(const TempDir& dir, const std::string& url) {
  std::string yaml = exampleConfigText();
  auto replace = [&](const std::string& what, const std::string& with) {
    const auto at = yaml.find(what);
    if (at == std::string::npos) throw std::runtime_error("the example config has no '" + what + "'");
    yaml.replace(at, what.size(), with);
  };
  replace("      tokens: [demo-shop-token]          # EXAMPLE: replace before production\n",
          "      tokens: [demo-shop-token]\n    push: {adapter: http_webhook, settings: {url: \"" + url + "\"}}\n");
  replace("  max_queued: 256\n", "  max_queued: 256\n  delivery: {retry_base_ms: 20, retry_cap_ms: 200}\n  plugin_dir: " +
                                     std::string(SWHUB_PLUGIN_DIR) + "\n");
  const std::string folder = std::filesystem::path(exampleConfig()).parent_path().string();
  for (std::size_t at = yaml.find("schema_dir: ../"); at != std::string::npos; at = yaml.find("schema_dir: ../", at + 1)) {
    yaml.insert(at + std::string("schema_dir: ").size(), folder + "/");
  }
  const std::string path = dir.file("hub.yaml");
  writeFile(path, yaml);
  return path;
}

// The address clients file to; empty while the hub is down.
class CurrentHub {
 public:
  void set(const std::string& address) {
    std::lock_guard lock(mutex_);
    address_ = address;
  }
  std::string get() const {
    std::lock_guard lock(mutex_);
    return address_;
  }
  // No hub will come back (a restart failed): every client gives up at once.
  void abandon() { abandoned_ = true; }
  bool abandoned() const { return abandoned_; }

 private:
  std::atomic<bool> abandoned_{false};
  mutable std::mutex mutex_;
  std::string address_;
};

// Files one reference until it has an answer that settles it: 202, or a 4xx (a retry after a
// swallowed answer meets the reference already filed). Connection errors and 5xx/429 are retried.
Outcome fileOne(const CurrentHub& hub, const std::string& reference) {
  Outcome out{reference, "", 0, 0, ""};
  while (!hub.abandoned()) {
    const std::string address = hub.get();
    if (address.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    ++out.attempts;
    try {
      const auto response = request(address, "POST", "/v1/messages", exampleFiling(reference),
                                    {{"Authorization", "Bearer demo-shop-token"},
                                     {"Content-Type", "application/vnd.swhub.consignment+json"}});
      if (response.status == 202) {
        const auto receipt = Poco::JSON::Parser().parse(response.body).extract<Object::Ptr>();
        out.caseId = receipt->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
        out.finalStatus = 202;
        return out;
      }
      if (response.status >= 400 && response.status < 500 && response.status != 429 && response.status != 408) {
        out.finalStatus = response.status;
        out.finalBody = response.body;
        return out;
      }
    } catch (const std::exception&) {
      // The hub died under this request (or is not up yet): try again on the next one.
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return out;
}

bool ready(const std::string& address) {
  try {
    return request(address, "GET", "/readyz").status == 200;
  } catch (const std::exception&) {
    return false;
  }
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5)];
}

int run(const Options& options) {
  std::printf("crash test: seed %lu, %d kills, %d clients, run between kills %d-%d ms\n", options.seed,
              options.kills, options.clients, options.minMs, options.maxMs);
  std::fflush(stdout);
  const auto started = Clock::now();
  TempDir dir;
  Receiver receiver;
  const std::string config = writeConfig(dir, receiver.url());
  const std::vector<std::string> args{"serve", "--config", config, "--listen", "127.0.0.1:0", "--journal",
                                      "sqlite:" + dir.file("journal.db")};
  std::mt19937_64 random(options.seed);
  std::uniform_int_distribution<int> runFor(options.minMs, options.maxMs);

  CurrentHub current;
  auto hub = std::make_unique<HubProcess>(args);
  if (!eventually([&] { return ready(hub->address()); })) {
    std::printf("FAIL: the first hub never became ready\n%s\n", hub->output().c_str());
    return 1;
  }
  current.set(hub->address());

  std::atomic<bool> stop{false};
  std::mutex outcomesMutex;
  std::vector<Outcome> outcomes;
  std::vector<std::thread> clients;
  for (int c = 0; c < options.clients; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0; !stop; ++i) {
        Outcome outcome = fileOne(current, "CRASH-" + std::to_string(options.seed) + "-" + std::to_string(c) + "-" +
                                               std::to_string(i));
        std::lock_guard lock(outcomesMutex);
        outcomes.push_back(std::move(outcome));
      }
    });
  }

  std::vector<double> restartMs;
  for (int k = 0; k < options.kills; ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(runFor(random)));  // the random moment
    const auto killed = Clock::now();
    current.set("");
    hub->kill();
    hub.reset();
    std::string failure;
    try {
      hub = std::make_unique<HubProcess>(args);
      if (!eventually([&] { return ready(hub->address()); })) failure = "never became ready\n" + hub->output();
    } catch (const std::exception& e) {
      failure = std::string("did not start: ") + e.what();  // HubProcess says what it printed
    }
    if (!failure.empty()) {
      std::printf("FAIL: the hub restarted after kill %d %s\n", k + 1, failure.c_str());
      stop = true;
      current.abandon();
      for (auto& t : clients) t.join();
      return 1;
    }
    restartMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - killed).count());
    current.set(hub->address());
  }
  // A last stretch without a kill, then every client settles the reference it is on.
  std::this_thread::sleep_for(std::chrono::milliseconds(runFor(random)));
  stop = true;
  for (auto& t : clients) t.join();
  const std::string address = hub->address();

  // 1. Every receipt's case is in the journal; 2. every reference has exactly one case.
  int failures = 0;
  std::size_t receipts = 0, lost = 0, duplicated = 0, recovered = 0, refused = 0, retried = 0;
  std::set<std::string> caseIds;
  for (const auto& o : outcomes) {
    if (o.attempts > 1) ++retried;
    if (o.finalStatus == 202) {
      ++receipts;
      const auto read = request(address, "GET", "/v1/cases/" + o.caseId, "", kShop);
      if (read.status != 200) {
        ++lost;
        std::printf("LOST: %s (receipt case %s): GET %d %s\n", o.reference.c_str(), o.caseId.c_str(), read.status,
                    read.body.c_str());
      }
    } else if (o.attempts == 1) {
      ++refused;  // refused at the first attempt: nothing to do with a crash, and a fault
      std::printf("REFUSED: %s: %d %s\n", o.reference.c_str(), o.finalStatus, o.finalBody.c_str());
    }
    const auto found = request(address, "GET", "/v1/cases?reference=" + o.reference, "", kShop);
    std::size_t cases = 0;
    if (found.status == 200) {
      const auto array = Poco::JSON::Parser().parse(found.body).extract<Object::Ptr>()->getArray("cases");
      cases = array ? array->size() : 0;
      for (std::size_t i = 0; array && i < array->size(); ++i) {
        caseIds.insert(array->getObject(static_cast<unsigned>(i))->getValue<std::string>("case_id"));
      }
    }
    if (cases > 1) {
      ++duplicated;
      std::printf("DUPLICATED: %s has %zu cases: %s\n", o.reference.c_str(), cases, found.body.c_str());
    }
    if (o.finalStatus != 202 && cases == 1) ++recovered;  // filed, its answer lost in a crash
    if (o.finalStatus != 202 && o.attempts > 1 && cases == 0) {
      ++lost;  // refused as already filed, yet not there
      std::printf("LOST: %s refused after a retry (%d %s) but has no case\n", o.reference.c_str(), o.finalStatus,
                  o.finalBody.c_str());
    }
  }

  // 3. Each case's accepted notification reaches the receiver; deduplicated by id, exactly once.
  struct Seen {
    std::size_t copies = 0;
    std::size_t order = 0;  // first arrival: deliveries keep each case's order
    std::string caseId, event, state;
  };
  std::map<std::string, Seen> notifications;  // by notification id
  std::size_t deliveries = 0, redeliveredDeliveries = 0;
  auto collect = [&] {
    notifications.clear();
    std::map<std::string, int> deliveryIds;
    const auto received = receiver.received();
    deliveries = received.size();
    for (const auto& r : received) ++deliveryIds[r.id];
    redeliveredDeliveries = 0;
    for (const auto& [id, n] : deliveryIds) redeliveredDeliveries += static_cast<std::size_t>(n - 1);
    for (const auto& r : received) {
      try {
        const auto list = Poco::JSON::Parser().parse(r.body).extract<Object::Ptr>()->getArray("notifications");
        for (std::size_t i = 0; list && i < list->size(); ++i) {
          const auto n = list->getObject(static_cast<unsigned>(i));
          auto& seen = notifications[n->getValue<std::string>("id")];
          if (seen.copies++ == 0) seen.order = notifications.size();
          seen.caseId = n->getValue<std::string>("case_id");
          seen.event = n->getValue<std::string>("event");
          seen.state = n->getValue<std::string>("state");
        }
      } catch (const std::exception&) {
      }
    }
  };
  auto acceptedPerCase = [&] {
    std::map<std::string, int> accepted;
    for (const auto& [id, seen] : notifications) {
      if (seen.event == "accepted") ++accepted[seen.caseId];
    }
    return accepted;
  };
  eventually([&] {
    collect();
    const auto accepted = acceptedPerCase();
    return std::all_of(caseIds.begin(), caseIds.end(), [&](const std::string& id) { return accepted.count(id) > 0; });
  }, std::chrono::seconds(60));
  const auto accepted = acceptedPerCase();
  std::size_t missingNotifications = 0, duplicatedNotifications = 0, redeliveredNotifications = 0;
  for (const auto& id : caseIds) {
    const auto it = accepted.find(id);
    if (it == accepted.end()) {
      ++missingNotifications;
      if (missingNotifications <= 5) std::printf("MISSING: no accepted notification for case %s\n", id.c_str());
    } else if (it->second > 1) {
      ++duplicatedNotifications;  // two distinct notification ids for one acceptance
      std::printf("DUPLICATED NOTIFICATION: case %s accepted under %d ids\n", id.c_str(), it->second);
    }
  }
  for (const auto& [id, seen] : notifications) redeliveredNotifications += seen.copies - 1;

  // 4. Every case ends where its decisions put it, and its partner was told so: the state of the
  // last notification (deduplicated by id) is the journal's state. Decisions are still being taken
  // in process when the load stops, so the cases that differ are read again until they agree.
  auto lastNotified = [&] {
    std::map<std::string, std::pair<std::size_t, std::string>> last;  // case -> (order, state)
    for (const auto& [id, seen] : notifications) {
      auto& entry = last[seen.caseId];
      if (seen.order >= entry.first) entry = {seen.order, seen.state};
    }
    return last;
  };
  std::map<std::string, std::string> journalState;
  std::set<std::string> differing(caseIds.begin(), caseIds.end());
  eventually([&] {
    collect();
    const auto last = lastNotified();
    for (auto it = differing.begin(); it != differing.end();) {
      const auto read = request(address, "GET", "/v1/cases/" + *it, "", kShop);
      std::string state;
      if (read.status == 200) state = Poco::JSON::Parser().parse(read.body).extract<Object::Ptr>()->getValue<std::string>("state");
      journalState[*it] = state;
      const auto told = last.find(*it);
      it = told != last.end() && told->second.second == state ? differing.erase(it) : std::next(it);
    }
    return differing.empty();
  }, std::chrono::seconds(60));
  for (const auto& id : differing) {
    if (std::distance(differing.begin(), differing.find(id)) < 5) {
      std::printf("STATE: case %s is '%s' in the journal, its partner was last told '%s'\n", id.c_str(),
                  journalState[id].c_str(), lastNotified()[id].second.c_str());
    }
  }
  std::map<std::string, std::size_t> states;
  for (const auto& [id, state] : journalState) ++states[state];
  std::string stateCounts;
  for (const auto& [state, n] : states) stateCounts += (stateCounts.empty() ? "" : ", ") + state + " " + std::to_string(n);

  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::printf("filings: %zu references, %zu receipts (202), %zu retried after a crash, %zu cases in the journal\n",
              outcomes.size(), receipts, retried, caseIds.size());
  std::printf("lost %zu, duplicated %zu, recovered %zu (filed, answer lost in a crash), refused %zu\n", lost,
              duplicated, recovered, refused);
  std::printf("notifications: %zu deliveries, %zu distinct notifications; missing accepted %zu, duplicated accepted %zu, "
              "redelivered %zu notifications (%zu deliveries) with the same id\n",
              deliveries, notifications.size(), missingNotifications, duplicatedNotifications,
              redeliveredNotifications, redeliveredDeliveries);
  std::printf("case states: %s; told a different state than the journal's: %zu\n", stateCounts.c_str(),
              differing.size());
  std::printf("restart (SIGKILL to /readyz 200) over %zu kills: min %.0f ms, median %.0f ms, max %.0f ms\n",
              restartMs.size(), percentile(restartMs, 0), percentile(restartMs, 0.5), percentile(restartMs, 1));
  std::printf("total %.1f s, seed %lu\n", seconds, options.seed);

  failures += static_cast<int>(lost + duplicated + refused + missingNotifications + duplicatedNotifications + differing.size());
  if (receipts == 0) {
    std::printf("FAIL: no filing was acknowledged\n");
    ++failures;
  }
  std::printf("%s\n", failures == 0 ? "PASS" : "FAIL");
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace swhub::testing

int main(int argc, char** argv) {
  swhub::testing::Options options;
  options.seed = static_cast<unsigned long>(std::chrono::system_clock::now().time_since_epoch().count() % 1000000007);
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const std::string value = argv[i + 1];
    if (name == "--kills") options.kills = std::stoi(value);
    else if (name == "--seed") options.seed = std::stoul(value);
    else if (name == "--clients") options.clients = std::stoi(value);
    else if (name == "--min-ms") options.minMs = std::stoi(value);
    else if (name == "--max-ms") options.maxMs = std::stoi(value);
    else {
      std::fprintf(stderr, "usage: crash_test [--kills N] [--seed S] [--clients N] [--min-ms MS] [--max-ms MS]\n");
      return 2;
    }
  }
  try {
    return swhub::testing::run(options);
  } catch (const std::exception& e) {
    std::printf("FAIL: %s\n", e.what());
    return 1;
  }
}
