// A restarted hub takes back at once what the killed one had claimed: a delivery in flight when
// the hub was SIGKILLed reaches its receiver within seconds of the restart, not after the 60 s
// lease of the claim.

#include <gtest/gtest.h>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "hub_process.hpp"

namespace swhub::testing {
namespace {

using namespace std::chrono_literals;

// A push receiver that holds every request until let go (a receiver that hangs), then answers 200.
class HangingReceiver {
 public:
  HangingReceiver() {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port_ = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(8);
    params->setKeepAlive(false);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
    server_->start();
  }
  ~HangingReceiver() {
    letGo();
    server_->stopAll(true);
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  void letGo() {
    std::lock_guard lock(mutex_);
    hanging_ = false;
    changed_.notify_all();
  }
  // Waits until `count` requests arrived; returns the delivery ids seen, in order.
  std::vector<std::string> waitForArrivals(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return arrivals_.size() >= count; });
    return arrivals_;
  }

 private:
  void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    std::unique_lock lock(mutex_);
    arrivals_.push_back(request.get("X-Swhub-Delivery-Id", ""));
    changed_.notify_all();
    changed_.wait_for(lock, 60s, [this] { return !hanging_; });
    lock.unlock();
    response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentLength(2);
    response.send() << "ok";
  }

  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(HangingReceiver& r) : r_(r) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
      r_.handle(request, response);
    }

   private:
    HangingReceiver& r_;
  };
  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(HangingReceiver& r) : r_(r) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(r_);
    }

   private:
    HangingReceiver& r_;
  };

  std::unique_ptr<Poco::Net::HTTPServer> server_;
  unsigned short port_ = 0;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool hanging_ = true;
  std::vector<std::string> arrivals_;
};

// The example config in a scratch folder, demo-post's notifications pushed to `url`.
std::string configPushingTo(const TempDir& dir, const std::string& url) {
  std::string yaml = exampleConfigText();
  auto replace = [&](const std::string& what, const std::string& with) {
    const auto at = yaml.find(what);
    if (at != std::string::npos) yaml.replace(at, what.size(), with);
    return at != std::string::npos;
  };
  EXPECT_TRUE(replace("      tokens: [demo-post-token]          # EXAMPLE: replace before production\n",
                      "      tokens: [demo-post-token]\n    push: {adapter: http_webhook, settings: {url: \"" + url +
                          "\"}}\n"));
  EXPECT_TRUE(replace("  max_queued: 256\n", "  max_queued: 256\n  plugin_dir: " + std::string(SWHUB_PLUGIN_DIR) + "\n"));
  // Relative folders in the example point from config/: keep them pointing there.
  const std::string folder = std::filesystem::path(exampleConfig()).parent_path().string();
  for (std::size_t at = yaml.find("schema_dir: ../"); at != std::string::npos; at = yaml.find("schema_dir: ../", at + 1)) {
    yaml.insert(at + std::string("schema_dir: ").size(), folder + "/");
  }
  const std::string path = dir.file("hub.yaml");
  writeFile(path, yaml);
  return path;
}

TEST(ClaimsRestart, ARestartedHubResumesTheDeliveryTheKilledOneHadClaimedAtOnce) {
  TempDir dir;
  HangingReceiver receiver;
  const std::string config = configPushingTo(dir, receiver.url());
  const std::vector<std::string> args{"serve", "--config", config, "--listen", "127.0.0.1:0", "--journal",
                                      "sqlite:" + dir.file("journal.db")};
  auto hub = std::make_unique<HubProcess>(args);
  const auto filed = request(hub->address(), "POST", "/v1/messages", exampleFiling("CLAIMED-1"),
                             {{"Authorization", "Bearer demo-post-token"},
                              {"Content-Type", "application/vnd.swhub.consignment+json"}});
  ASSERT_EQ(filed.status, 202) << filed.body;
  // The first notification is claimed (leased for 60 s) and in flight: the receiver holds it.
  const auto first = receiver.waitForArrivals(1, 30s);
  ASSERT_EQ(first.size(), 1u) << hub->output();
  hub->kill();
  hub.reset();
  receiver.letGo();

  const auto restarted = std::chrono::steady_clock::now();
  HubProcess again(args);
  const auto arrivals = receiver.waitForArrivals(2, 5s);
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - restarted);
  ASSERT_GE(arrivals.size(), 2u) << "nothing delivered within 5 s of the restart";
  EXPECT_EQ(arrivals[1], first[0]) << "the claimed delivery is the one resumed";
  EXPECT_LT(waited, 5s);
}

}  // namespace
}  // namespace swhub::testing
