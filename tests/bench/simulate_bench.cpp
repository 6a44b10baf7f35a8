// simulate_bench: how long `swhub simulate` takes over N journaled cases (issue 12, item 5: "10^6
// cases take under a minute"). Usage:
//   simulate_bench [--cases N] [--dir DIR] [--threads T] [--keep]     (N 1000000, DIR /tmp, T cores)
// Builds a journal of N assessed cases through the journal's own write path (applyBatch), 10,000
// per transaction: the DESIGN.md example consignment (one 851830 item, worth 10 to 309 EUR) with
// a recorded customs finding (category, a duty line and a VAT line). Then it times study::simulate,
// what `swhub simulate` runs, with the example config's customs agency (config/hub.yaml and the
// plugins of this build) under the example study config/studies/pt-relief-150.yaml.

#include <unistd.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "config/config.hpp"
#include "journal/journal.hpp"
#include "journal/sqlite_db.hpp"
#include "journal/sqlite_schema.hpp"
#include "journal/sqlite_store.hpp"
#include "model/canonical_json.hpp"
#include "release/case_status.hpp"
#include "study/simulate.hpp"

using namespace swhub;

namespace {

const swhub::common::Instant kAt = *swhub::common::parseInstant("2026-12-06T08:00:00.000Z");

// The DESIGN.md example consignment, as the README's first request files it.
std::string exampleConsignment() {
  std::ifstream in(std::string(SWHUB_SOURCE_ROOT) + "/config/examples/first-filing.json");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// CPU seconds of this process: on a shared machine the wall time depends on the neighbours.
double cpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

journal::CaseRecord assessedCase(std::int64_t n, sdk::Consignment consignment) {
  const auto value = sdk::Decimal::fromUnits((10 + n % 300) * sdk::Decimal::kScale);
  consignment.reference = "SIM-" + std::to_string(n);
  consignment.case_id = "C-" + std::to_string(n);
  consignment.items[0].value = value;
  release::CaseStatus status;
  status.collection = "consumer";
  sdk::Findings findings;
  findings.category = value > sdk::Decimal::fromUnits(150 * sdk::Decimal::kScale) ? 4 : 3;
  findings.revenue_assessed = true;
  findings.currency = "EUR";
  const auto duty = sdk::Decimal::fromUnits(3 * sdk::Decimal::kScale);
  const auto vat = sdk::Decimal::fromUnits((value + duty).units() * 23 / 100);
  findings.revenue = {{"duty", 1, value, std::nullopt, duty, "EUR", "bench", false},
                      {"vat", 1, value + duty, sdk::Decimal::fromUnits(23 * sdk::Decimal::kScale), vat, "EUR", "bench", false}};
  findings.due = duty + vat;
  status.recordFindings("customs", findings);
  return {consignment.case_id, "bench", consignment.reference, "pre-arrival", common::CaseState::UnderAssessment, 2,
          model::encodeConsignmentJson(consignment), "M-" + std::to_string(n), kAt, kAt, status.toJson()};
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t cases = 1000000;
  std::filesystem::path base = "/tmp";
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--cases" && i + 1 < argc) cases = std::atoll(argv[++i]);
    else if (a == "--dir" && i + 1 < argc) base = argv[++i];
    else if (a == "--threads" && i + 1 < argc) threads = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (a == "--keep") keep = true;
    else {
      std::fprintf(stderr, "usage: simulate_bench [--cases N] [--dir DIR] [--threads T] [--keep]\n");
      return 2;
    }
  }
  const auto dir = base / ("swhub-simulate-bench-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "journal.db").string();
  model::DecodeOptions options;
  options.allow_hub_fields = true;
  auto example = model::decodeConsignmentJson(exampleConsignment(), options);
  if (!example.ok()) {
    std::fprintf(stderr, "example: %s\n", sdk::formatErrors(example.errors()).c_str());
    return 1;
  }

  std::printf("simulate_bench: %lld cases, journal %s\n", static_cast<long long>(cases), path.c_str());
  const auto built = std::chrono::steady_clock::now();
  {
    journal::sqlite::Db db(path, "");
    journal::sqlite::configureConnection(db);
    journal::sqlite::ensureSchema(db);
    constexpr std::int64_t kPerTransaction = 10000;
    for (std::int64_t n = 0; n < cases; n += kPerTransaction) {
      journal::WriteBatch batch;
      for (std::int64_t i = n; i < std::min(cases, n + kPerTransaction); ++i) {
        batch.new_cases.push_back(assessedCase(i, example.value()));
      }
      db.exec("BEGIN IMMEDIATE");
      if (journal::sqlite::applyBatch(db, batch).status != journal::CommitResult::Status::Committed) {
        std::fprintf(stderr, "cases from %lld refused\n", static_cast<long long>(n));
        return 1;
      }
      db.exec("COMMIT");
    }
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  std::printf("  built in %.1f s, %.0f MiB\n", secondsSince(built),
              static_cast<double>(std::filesystem::file_size(path)) / (1 << 20));

  auto config = config::loadConfig(std::string(SWHUB_SOURCE_ROOT) + "/config/hub.yaml");
  config.plugin_dir = SWHUB_PLUGIN_DIR;
  const auto alternative = study::loadAlternative(std::string(SWHUB_SOURCE_ROOT) + "/config/studies/pt-relief-150.yaml");
  auto journal = journal::openJournal("sqlite:" + path);
  const auto started = std::chrono::steady_clock::now();
  const double cpuBefore = cpuSeconds();
  const auto report = study::simulate(config, *journal, alternative, "2026-12-01", "2027-01-01", threads);
  const double took = secondsSince(started);
  const double cpu = cpuSeconds() - cpuBefore;
  std::printf("  simulated %lld cases on %u threads in %.2f s (%.0f cases/s), %.2f CPU s (%.1f us per case); "
              "failed %lld\n",
              static_cast<long long>(report.actual.cases), threads, took, static_cast<double>(report.actual.cases) / took,
              cpu, cpu * 1e6 / static_cast<double>(std::max<std::int64_t>(1, report.actual.cases)),
              static_cast<long long>(report.failed));
  std::printf("  revenue actual %s, simulated %s EUR\n", report.actual.revenue.toString().c_str(),
              report.simulated.revenue.toString().c_str());
  journal.reset();
  if (!keep) std::filesystem::remove_all(dir);
  else std::printf("  kept %s\n", dir.c_str());
  return report.actual.cases == cases && report.failed == 0 ? 0 : 1;
}
