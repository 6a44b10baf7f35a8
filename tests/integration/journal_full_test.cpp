// A journal that cannot write (a real, full file system; a disk answering EIO) makes the hub
// refuse new filings with 503 instead of acknowledging them, and nothing acknowledged before is lost.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <sqlite3.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "hub_process.hpp"
#include "scoped_env.hpp"

namespace swhub::testing {
namespace {

// A small tmpfs mounted for the test; needs root (as CI and the dev machines run).
class SmallFileSystem {
 public:
  explicit SmallFileSystem(const std::string& path) : path_(path) {
    std::filesystem::create_directories(path_);
    // 3 MiB: room for a few dozen filings (each writes its statistics rollups too) before it is full.
    mounted_ = ::mount("tmpfs", path_.c_str(), "tmpfs", 0, "size=3m") == 0;
    if (!mounted_) error_ = std::strerror(errno);
  }
  ~SmallFileSystem() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  bool grow() { return ::mount("tmpfs", path_.c_str(), nullptr, MS_REMOUNT, "size=64m") == 0; }

 private:
  std::string path_;
  bool mounted_ = false;
  std::string error_;
};

// PRAGMA integrity_check of the SQLite file at `path`, read-only: "ok" when sound.
std::string integrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return "cannot open " + path;
  }
  std::string result;
  sqlite3_exec(
      db, "PRAGMA integrity_check",
      [](void* out, int, char** values, char**) {
        static_cast<std::string*>(out)->append(values[0] ? values[0] : "");
        return 0;
      },
      &result, nullptr);
  sqlite3_close(db);
  return result;
}

const std::map<std::string, std::string> kFilingHeaders = {
    {"Authorization", "Bearer demo-post-token"}, {"Content-Type", "application/vnd.swhub.consignment+json"}};

using Acknowledged = std::vector<std::pair<std::string, std::string>>;  // case id, reference

// Files new consignments until the hub refuses one (at most `limit`); returns what it acknowledged.
Acknowledged fileUntilRefused(const HubProcess& hub, const std::string& prefix, int limit, HttpResponse& refused,
                              const std::function<void(int)>& before = nullptr) {
  Acknowledged acknowledged;
  for (int i = 0; i < limit; ++i) {
    if (before) before(i);
    const std::string reference = prefix + std::to_string(i);
    const auto response = request(hub.address(), "POST", "/v1/messages", exampleFiling(reference), kFilingHeaders);
    if (response.status != 202) {
      refused = response;
      break;
    }
    const auto receipt = Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Object::Ptr>();
    acknowledged.emplace_back(receipt->getArray("cases")->getObject(0)->getValue<std::string>("case_id"), reference);
  }
  return acknowledged;
}

// The refusal a journal that cannot write gives, and keeps giving, rather than guessing the disk
// is fine again; /readyz says so, /healthz (the process) stays up.
void expectRefusedUntilRestart(const HubProcess& hub, const HttpResponse& refused, const std::string& nextReference) {
  ASSERT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.headers.at("Retry-After"), "30");
  EXPECT_NE(refused.body.find("urn:swhub:problem:journal-unavailable"), std::string::npos) << refused.body;
  EXPECT_EQ(request(hub.address(), "POST", "/v1/messages", exampleFiling(nextReference), kFilingHeaders).status, 503);
  EXPECT_EQ(request(hub.address(), "GET", "/readyz").status, 503);
  EXPECT_EQ(request(hub.address(), "GET", "/healthz").status, 200);
}

// After the fault: the file is a sound database, a new hub serves every acknowledged case, and the
// refused filing was not filed (its reference is free).
void expectRecovered(const std::vector<std::string>& args, const std::string& journal, const Acknowledged& acknowledged,
                     const std::string& refusedReference) {
  EXPECT_EQ(integrityCheck(journal), "ok");
  HubProcess restarted(args);
  for (const auto& [caseId, reference] : acknowledged) {
    const auto read = request(restarted.address(), "GET", "/v1/cases/" + caseId, "",
                              {{"Authorization", "Bearer demo-post-token"}});
    ASSERT_EQ(read.status, 200) << caseId << " " << read.body;
    EXPECT_NE(read.body.find("\"reference\":\"" + reference + "\""), std::string::npos);
  }
  EXPECT_EQ(request(restarted.address(), "POST", "/v1/messages", exampleFiling(refusedReference), kFilingHeaders).status,
            202);
}

std::vector<std::string> serveArgs(const std::string& journal) {
  return {"serve", "--config", exampleConfig(), "--listen", "127.0.0.1:0", "--journal", "sqlite:" + journal};
}

TEST(JournalFull, AFullDiskIsRefusedWith503AndNothingAcknowledgedIsLost) {
  TempDir dir;
  SmallFileSystem disk(dir.file("disk"));
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (" << disk.error() << "); needs root";
  const std::string journal = dir.file("disk/journal.db");
  Acknowledged acknowledged;
  {
    HubProcess hub(serveArgs(journal));
    HttpResponse refused;
    acknowledged = fileUntilRefused(hub, "FULL-", 5000, refused);
    expectRefusedUntilRestart(hub, refused, "FULL-after");
    hub.kill();
  }
  ASSERT_GT(acknowledged.size(), 10u);
  // The file the full disk left behind is sound before any recovery by a new hub.
  ASSERT_TRUE(disk.grow());
  expectRecovered(serveArgs(journal), journal, acknowledged, "FULL-after");
}

// A disk that answers EIO (a failing device, a lost network volume) on the journal's writes or
// syncs: the same refusal, the same recovery once it is replaced. The fault comes from an
// LD_PRELOAD shim (eio_preload.cpp) armed by a flag file while the hub runs.
class JournalIoError : public ::testing::TestWithParam<const char*> {};

TEST_P(JournalIoError, IsRefusedWith503AndNothingAcknowledgedIsLost) {
  TempDir dir;
  const std::string journal = dir.file("journal.db");
  const std::string flag = dir.file("disk-fails");
  Acknowledged acknowledged;
  {
    // Only this hub inherits the shim: the variables are put back once it has started (or failed to).
    auto startWithTheShim = [&] {
      const ScopedEnv preload("LD_PRELOAD", std::string(SWHUB_EIO_PRELOAD));
      const ScopedEnv arm("SWHUB_EIO_FLAG", flag);
      const ScopedEnv calls("SWHUB_EIO_CALLS", std::string(GetParam()));
      const ScopedEnv match("SWHUB_EIO_MATCH", journal);
      return std::make_unique<HubProcess>(serveArgs(journal));
    };
    const auto started = startWithTheShim();
    HubProcess& hub = *started;
    HttpResponse refused;
    // 20 filings go through, then the disk starts failing.
    acknowledged = fileUntilRefused(hub, "EIO-", 200, refused, [&](int i) {
      if (i == 20) writeFile(flag, "");
    });
    ASSERT_EQ(acknowledged.size(), 20u) << "the hub acknowledged a filing while its disk failed";
    expectRefusedUntilRestart(hub, refused, "EIO-after");
    // The disk works again: the hub still refuses (it cannot know what the failed writes left)
    // until an operator restarts it, which recovers the journal.
    std::filesystem::remove(flag);
    EXPECT_EQ(request(hub.address(), "POST", "/v1/messages", exampleFiling("EIO-after"), kFilingHeaders).status, 503);
    hub.kill();
  }
  expectRecovered(serveArgs(journal), journal, acknowledged, "EIO-after");
}

INSTANTIATE_TEST_SUITE_P(SyncOrWrite, JournalIoError, ::testing::Values("sync", "write"));

}  // namespace
}  // namespace swhub::testing
