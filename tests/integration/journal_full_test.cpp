// A journal that cannot write (here: a real, full file system) makes the hub refuse new filings
// with 503 instead of acknowledging them, and nothing acknowledged before is lost.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <sqlite3.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "hub_process.hpp"

namespace swhub::testing {
namespace {

// A small tmpfs mounted for the test; needs root (as CI and the dev machines run).
class SmallFileSystem {
 public:
  explicit SmallFileSystem(const std::string& path) : path_(path) {
    std::filesystem::create_directories(path_);
    mounted_ = ::mount("tmpfs", path_.c_str(), "tmpfs", 0, "size=2m") == 0;
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

TEST(JournalFull, AFullDiskIsRefusedWith503AndNothingAcknowledgedIsLost) {
  TempDir dir;
  SmallFileSystem disk(dir.file("disk"));
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (" << disk.error() << "); needs root";
  const std::vector<std::string> args = {"serve", "--config", exampleConfig(), "--listen", "127.0.0.1:0",
                                         "--journal", "sqlite:" + dir.file("disk/journal.db")};
  const std::map<std::string, std::string> headers = {{"Authorization", "Bearer demo-post-token"},
                                                      {"Content-Type", "application/vnd.swhub.consignment+json"}};
  std::vector<std::pair<std::string, std::string>> acknowledged;  // case id, reference
  HttpResponse refused;
  {
    HubProcess hub(args);
    for (int i = 0; i < 5000; ++i) {
      const std::string reference = "FULL-" + std::to_string(i);
      const auto response = request(hub.address(), "POST", "/v1/messages", exampleFiling(reference), headers);
      if (response.status != 202) {
        refused = response;
        break;
      }
      const auto receipt = Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Object::Ptr>();
      acknowledged.emplace_back(receipt->getArray("cases")->getObject(0)->getValue<std::string>("case_id"), reference);
    }
    ASSERT_EQ(refused.status, 503) << refused.body;
    EXPECT_EQ(refused.headers.at("Retry-After"), "30");
    EXPECT_NE(refused.body.find("urn:swhub:problem:journal-unavailable"), std::string::npos) << refused.body;
    // It stays refused, and says so on /readyz, rather than guessing the disk is fine again.
    EXPECT_EQ(request(hub.address(), "POST", "/v1/messages", exampleFiling("FULL-after"), headers).status, 503);
    EXPECT_EQ(request(hub.address(), "GET", "/readyz").status, 503);
    EXPECT_EQ(request(hub.address(), "GET", "/healthz").status, 200);
    hub.kill();
  }
  ASSERT_GT(acknowledged.size(), 10u);
  // The file the full disk left behind is a sound database (before any recovery by a new hub).
  EXPECT_EQ(integrityCheck(dir.file("disk/journal.db")), "ok");
  ASSERT_TRUE(disk.grow());
  HubProcess restarted(args);
  for (const auto& [caseId, reference] : acknowledged) {
    const auto read = request(restarted.address(), "GET", "/v1/cases/" + caseId, "",
                              {{"Authorization", "Bearer demo-post-token"}});
    ASSERT_EQ(read.status, 200) << caseId << " " << read.body;
    EXPECT_NE(read.body.find("\"reference\":\"" + reference + "\""), std::string::npos);
  }
  // The refused filing was not filed: its reference is free after the restart.
  EXPECT_EQ(request(restarted.address(), "POST", "/v1/messages", exampleFiling("FULL-after"), headers).status, 202);
}

}  // namespace
}  // namespace swhub::testing
