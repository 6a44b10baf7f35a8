// large_manifest_bench: files generated express manifests (CSV, one house waybill per line) of
// several sizes through a real hub, one fresh hub and journal per size, and prints the time to
// the 202 and the hub's peak resident set (VmHWM). The hub spools bodies above 1 MiB and stages
// their cases in chunks, so the peak should stay flat as the manifest grows. With --push-batch,
// the carrier has its notifications pushed to a loopback receiver with that push.batch_max, and
// the bench also prints how long after the 202 the last house waybill's notification arrived and
// in how many deliveries. See README.md.
//
//   large_manifest_bench [--lines 20000,200000] [--push-batch 1,500] [--quick]

#include <sys/types.h>

#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "express_manifest.hpp"
#include "hub_process.hpp"
#include "receiver.hpp"

using namespace swhub::testing;

namespace {

std::vector<std::size_t> numbers(const char* text) {
  std::vector<std::size_t> out;
  std::stringstream list(text);
  std::string item;
  while (std::getline(list, item, ',')) out.push_back(std::stoul(item));
  return out;
}

// House waybill rows in the express plugin's CSV notifications received so far.
std::size_t notifiedRows(const std::vector<Received>& got) {
  std::size_t rows = 0;
  for (const auto& r : got) {
    for (auto at = r.body.find("\r\n"); at != std::string::npos; at = r.body.find("\r\n", at + 2)) ++rows;
    --rows;  // the header row
  }
  return rows;
}

// Files one manifest of `lines` through a fresh hub (push.batch_max `batch`, 0 = no push) and
// prints what it measured; false when the filing or the push did not complete.
bool run(std::size_t lines, std::size_t batch) {
  bool failed = false;
  TempDir dir;
  Receiver carrier;
  const std::string config = dir.file("hub.yaml");
  const std::string push = batch == 0 ? std::string()
                                      : "    push: {adapter: http_webhook, settings: {url: \"" + carrier.url() +
                                            "\"}, batch_max: " + std::to_string(batch) + "}\n";
  writeFile(config, R"(hub:
  listen: "127.0.0.1:0"
  journal: "sqlite:journal.db"
  max_body_bytes: 1073741824
plugins:
  express_manifest: {library: swhub_express_manifest.so}
  http_webhook: {library: swhub_http_webhook.so}
partners:
  demo-express:
    kind: express
    plugin: express_manifest
    credentials: {tokens: [demo-express-token]}
)" + push + R"(agencies:
  customs:
    credentials: {tokens: [demo-customs-token]}
routes:
  - name: every-filing-to-customs
    require: [customs]
)");
  HubProcess hub({"serve", "--config", config, "--listen", "127.0.0.1:0"});
  const pid_t pid = hub.pid();
  const long idle = procStatusKb(pid, "VmRSS:");
  const std::string body = expressManifest(lines);
  const auto start = std::chrono::steady_clock::now();
  const HttpResponse filed = fileManifest(hub.address(), body, "bench", "demo-express-token", std::chrono::seconds(3600));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const long peak = procStatusKb(pid, "VmHWM:");
  std::size_t cases = 0;
  for (auto at = filed.body.find("\"case_id\""); at != std::string::npos; at = filed.body.find("\"case_id\"", at + 1)) {
    ++cases;
  }
  std::printf("lines %zu  body %.1f MiB  status %d  cases in receipt %zu  receipt %.1f MiB  time %.1f s  "
              "(%.0f lines/s)  hub RSS idle %ld kB  peak (VmHWM) %ld kB\n",
              lines, static_cast<double>(body.size()) / 1048576.0, filed.status, cases,
              static_cast<double>(filed.body.size()) / 1048576.0, seconds, static_cast<double>(lines) / seconds, idle,
              peak);
  std::fflush(stdout);
  if (filed.status != 202) std::printf("  the hub answered %d: %s\n  its output:\n%s\n", filed.status, filed.body.c_str(), hub.output().c_str());
  if (filed.status != 202 || cases != lines) failed = true;
  if (batch > 0 && filed.status == 202) {
    const bool all = carrier.waitFor([&](const std::vector<Received>& got) { return notifiedRows(got) >= lines; },
                                     std::chrono::seconds(3600));
    const double pushed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() - seconds;
    const auto got = carrier.received();
    std::printf("  push.batch_max %zu: %zu notifications in %zu deliveries, the last %.1f s after the 202 "
                "(%.0f notifications/s)\n",
                batch, notifiedRows(got), got.size(), pushed, static_cast<double>(notifiedRows(got)) / pushed);
    std::fflush(stdout);
    if (!all) failed = true;
  }
  hub.terminate();
  return !failed;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes{20000, 200000};
  std::vector<std::size_t> batches{0};  // 0: no push (the carrier would pull)
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quick") {
      sizes = {6000};
      batches = {500};
    } else if (arg == "--lines" && i + 1 < argc) {
      sizes = numbers(argv[++i]);
    } else if (arg == "--push-batch" && i + 1 < argc) {
      batches = numbers(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: large_manifest_bench [--lines N,N,...] [--push-batch N,N,...] [--quick]\n");
      return 2;
    }
  }
  int failures = 0;
  for (const std::size_t lines : sizes) {
    for (const std::size_t batch : batches) {
      if (!run(lines, batch)) ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}
