// audit_bench: how long `swhub audit verify` takes on a journal of N chain entries (issue 10,
// item 2: "verifying 10^6 entries takes seconds"). Usage:
//   audit_bench [--entries N] [--dir DIR] [--keep]     (N 1000000, DIR /tmp)
// Builds the journal through the journal's own write path (applyBatch, which extends the chain,
// and the checkpoint policy the hub runs: a signed checkpoint every 1,000 entries, with a P-256
// receipt key made for the run), committing 10,000 filings per transaction instead of one group
// commit per filing (the shortcut: same rows, same chain, no fsync per filing). A filing is a
// 1 KiB message with a real digest, its case and three case events: 4 chain entries. Then it
// times verifyAuditJournal(), the function `swhub audit verify` runs, with the certificate.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "common/ids.hpp"
#include "common/instant.hpp"
#include "journal/audit_checkpoint.hpp"
#include "journal/audit_verify.hpp"
#include "journal/sqlite_db.hpp"
#include "journal/sqlite_schema.hpp"
#include "journal/sqlite_store.hpp"
#include "security/receipt_signer.hpp"
#include "security/signature_check.hpp"

using namespace swhub::journal;
using namespace swhub::journal::sqlite;

namespace {

const swhub::common::Instant kAt = *swhub::common::parseInstant("2026-12-06T08:00:00.000Z");
const std::string kAtText = swhub::common::toString(kAt);

WriteBatch filing(std::int64_t n, const std::string& body) {
  const std::string id = "M-" + std::to_string(n);
  const std::string c = "C-" + std::to_string(n);
  WriteBatch batch;
  batch.message = MessageRecord{id, "bench", "application/vnd.swhub.consignment+json", "key-" + id,
                                "sha256:" + swhub::common::sha256Hex(body), kAt, body, MessageStatus::Accepted,
                                "{\"message_id\":\"" + id + "\"}", 202};
  batch.new_cases.push_back({c, "bench", "LRN-" + std::to_string(n), "pre-arrival", swhub::common::CaseState::Accepted, 1, "{}", id, kAt, kAt});
  const char* kinds[] = {"received", "routed", "decision"};
  for (const char* kind : kinds) {
    CaseEvent e;
    e.case_id = c;
    e.at = kAt;
    e.actor = swhub::common::Actor::hub();
    e.kind = kind;
    e.from_state = swhub::common::CaseState::Accepted;
    e.to_state = swhub::common::CaseState::UnderAssessment;
    e.detail_json = "{\"agency\":\"customs\",\"decision\":\"clear\",\"reason\":\"bench\"}";
    e.message_id = id;
    batch.events.push_back(e);
  }
  return batch;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t entries = 1000000;
  std::filesystem::path base = "/tmp";
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--entries" && i + 1 < argc) entries = std::atoll(argv[++i]);
    else if (a == "--dir" && i + 1 < argc) base = argv[++i];
    else if (a == "--keep") keep = true;
    else {
      std::fprintf(stderr, "usage: audit_bench [--entries N] [--dir DIR] [--keep]\n");
      return 2;
    }
  }
  const auto dir = base / ("swhub-audit-bench-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  bool made = false;
  auto signer = swhub::security::ReceiptSigner::loadOrMake(dir, made);
  auto certificate = swhub::security::SignatureCheck::fromCertificateFile(signer->certPath());
  const std::string path = (dir / "journal.db").string();
  const std::int64_t filings = (entries + 3) / 4;
  const std::string body(1024, 'x');

  std::printf("audit_bench: %lld filings (%lld chain entries), journal %s\n", static_cast<long long>(filings),
              static_cast<long long>(filings * 4), path.c_str());
  const auto built = std::chrono::steady_clock::now();
  {
    Db db(path, "");
    configureConnection(db);
    ensureSchema(db);
    CheckpointPolicy policy;
    policy.sign = [&](std::string_view text) { return signer->sign(text); };
    policy.every_entries = 1000;
    policy.every = std::chrono::hours(1);
    auto last = std::chrono::steady_clock::now();
    constexpr std::int64_t kPerTransaction = 10000;
    for (std::int64_t n = 0; n < filings; n += kPerTransaction) {
      db.exec("BEGIN IMMEDIATE");
      for (std::int64_t i = n; i < std::min(filings, n + kPerTransaction); ++i) {
        if (applyBatch(db, filing(i, body)).status != CommitResult::Status::Committed) {
          std::fprintf(stderr, "filing %lld refused\n", static_cast<long long>(i));
          return 1;
        }
        maybeCheckpoint(db, policy, false, kAtText, last);
      }
      maybeCheckpoint(db, policy, n + kPerTransaction >= filings, kAtText, last);
      db.exec("COMMIT");
    }
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  std::printf("  built in %.1f s, %.0f MiB\n", secondsSince(built),
              static_cast<double>(std::filesystem::file_size(path)) / (1 << 20));

  const auto started = std::chrono::steady_clock::now();
  const AuditVerdict verdict = verifyAuditJournal(
      "sqlite:" + path, [&](const std::string& text, const std::string& signature) { return certificate->verify(text, signature); });
  const double took = secondsSince(started);
  if (!verdict.intact) {
    std::printf("  audit: %s\n", verdict.problem.c_str());
    return 1;
  }
  std::printf("  audit: %lld entries, %lld checkpoints, chain intact\n", static_cast<long long>(verdict.entries),
              static_cast<long long>(verdict.checkpoints));
  std::printf("  verified in %.2f s (%.0f entries/s)\n", took, static_cast<double>(verdict.entries) / took);
  if (!keep) std::filesystem::remove_all(dir);
  else std::printf("  kept %s\n", dir.c_str());
  return 0;
}
