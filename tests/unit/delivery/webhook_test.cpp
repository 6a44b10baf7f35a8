// The http_webhook adapter, loaded from its built library as the hub loads it, against a real
// POCO HTTP receiver on 127.0.0.1:0; and end to end with the DeliveryWorker and a real journal.

#include <gtest/gtest.h>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <boost/dll/shared_library.hpp>

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "delivery/delivery_worker.hpp"
#include "delivery_test_support.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::delivery {
namespace {

using namespace std::chrono_literals;
using sdk::Value;
using Status = sdk::DeliveryOutcome::Status;

// ---------------------------------------------------------------- a receiver

class Receiver {
 public:
  struct Request {
    std::string method;
    std::string uri;
    std::map<std::string, std::string> headers;  // names lower case
    std::string body;
    int answered = 0;
    std::string header(const std::string& name) const {
      auto it = headers.find(Poco::toLower(name));
      return it == headers.end() ? "" : it->second;
    }
  };
  struct Answer {
    int status = 200;
    std::map<std::string, std::string> headers;
    std::string body;
    bool stall = false;  // answer only after release()
  };
  using Responder = std::function<Answer(const Request&, std::size_t index)>;

  explicit Receiver(Responder responder = {})
      : responder_(std::move(responder)), socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    auto params = Poco::Net::HTTPServerParams::Ptr(new Poco::Net::HTTPServerParams);
    params->setMaxThreads(4);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket_, params);
    server_->start();
  }
  ~Receiver() {
    release();
    server_->stopAll(true);
  }

  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + path;
  }
  std::vector<Request> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  bool waitFor(const std::function<bool(const std::vector<Request>&)>& done, std::chrono::milliseconds timeout = 20s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return done(requests_); });
  }
  void respondWith(Responder responder) {
    std::lock_guard lock(mutex_);
    responder_ = std::move(responder);
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(Receiver& receiver) : receiver_(receiver) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
      Request seen;
      seen.method = request.getMethod();
      seen.uri = request.getURI();
      for (const auto& [name, value] : request) seen.headers[Poco::toLower(name)] = value;
      Poco::StreamCopier::copyToString(request.stream(), seen.body);
      Answer answer = receiver_.answer(seen);
      response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
      for (const auto& [name, value] : answer.headers) response.set(name, value);
      response.setContentLength(static_cast<std::streamsize>(answer.body.size()));
      response.send() << answer.body;
    }

   private:
    Receiver& receiver_;
  };

  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(Receiver& receiver) : receiver_(receiver) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(receiver_);
    }

   private:
    Receiver& receiver_;
  };

  Answer answer(Request seen) {
    std::unique_lock lock(mutex_);
    const std::size_t index = requests_.size();
    Answer answer = responder_ ? responder_(seen, index) : Answer{};
    seen.answered = answer.status;
    requests_.push_back(std::move(seen));
    changed_.notify_all();
    if (answer.stall) changed_.wait_for(lock, 10s, [&] { return released_; });
    return answer;
  }

  Responder responder_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Request> requests_;
  bool released_ = false;
  Poco::Net::ServerSocket socket_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

Receiver::Responder answering(int status, std::map<std::string, std::string> headers = {}, std::string body = "") {
  return [=](const Receiver::Request&, std::size_t) { return Receiver::Answer{status, headers, body, false}; };
}

// ---------------------------------------------------------------- the adapter, as the hub loads it

Value settings(std::vector<Value::Entry> entries) { return Value::map(std::move(entries)); }

sdk::DeliveryItem pushItem(const std::string& id, int attempt = 1) {
  sdk::DeliveryItem item;
  item.id = id;
  item.kind = "notification";
  item.recipient = "demo-post";
  item.content_type = "application/vnd.swhub.notification+json";
  item.body = R"({"notifications":[{"id":")" + id + R"(","state":"released"}]})";
  item.attempt = attempt;
  return item;
}

class WebhookFixture : public ::testing::Test {
 protected:
  static constexpr const char* kPath = "partners.demo-post.push.settings";

  void SetUp() override {
    library_ = boost::dll::shared_library(SWHUB_PLUGIN_DIR "/swhub_http_webhook.so");
    descriptor_ = library_.get_alias<const sdk::Descriptor*()>("swhub_plugin_descriptor")();
  }

  sdk::Result<std::unique_ptr<sdk::Adapter>> build(Value settings) const {
    return descriptor_->adapter_factory(sdk::InstanceContext{"demo-post", kPath, std::move(settings), ""});
  }
  std::unique_ptr<sdk::Adapter> make(Value settings) {
    auto result = build(std::move(settings));
    EXPECT_TRUE(result) << sdk::formatErrors(result.errors());
    return result ? result.take() : nullptr;
  }
  sdk::Errors errorsOf(Value settings) const {
    auto result = build(std::move(settings));
    return result ? sdk::Errors{} : result.errors();
  }

  boost::dll::shared_library library_;  // first: outlives every adapter it made
  const sdk::Descriptor* descriptor_ = nullptr;
};

class delivery_webhook : public WebhookFixture {};
class delivery_webhook_settings : public WebhookFixture {};
class delivery_end_to_end : public WebhookFixture {};

TEST_F(delivery_webhook, DescribesItself) {
  EXPECT_EQ(descriptor_->abi_major, sdk::kAbiMajor);
  EXPECT_STREQ(descriptor_->toolchain, sdk::kToolchain);
  EXPECT_EQ(descriptor_->kind, sdk::PluginKind::Adapter);
  EXPECT_STREQ(descriptor_->name, "http_webhook");
  EXPECT_STREQ(descriptor_->version, "1.0.0");
  EXPECT_NE(descriptor_->adapter_factory, nullptr);
  EXPECT_EQ(descriptor_->partner_factory, nullptr);
}

TEST_F(delivery_webhook, Status200IsDeliveredAndTheReceiverSawHeadersAndBody) {
  Receiver receiver(answering(200));
  auto adapter = make(settings({{"url", Value::string(receiver.url("/swhub/notify?via=hub"))},
                                {"token", Value::string("secret-token")}}));
  ASSERT_TRUE(adapter);
  const auto item = pushItem("ntf-1", 3);
  const auto outcome = adapter->deliver(item);
  EXPECT_EQ(outcome.status, Status::Delivered) << outcome.detail;

  auto seen = receiver.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].uri, "/swhub/notify?via=hub");
  EXPECT_EQ(seen[0].header("Content-Type"), "application/vnd.swhub.notification+json");
  EXPECT_EQ(seen[0].header("X-Swhub-Delivery-Id"), "ntf-1");
  EXPECT_EQ(seen[0].header("X-Swhub-Attempt"), "3");
  EXPECT_EQ(seen[0].header("X-Swhub-Kind"), "notification");
  EXPECT_EQ(seen[0].header("Authorization"), "Bearer secret-token");
  EXPECT_EQ(seen[0].body, item.body);
}

TEST_F(delivery_webhook, NoAuthorizationHeaderWithoutToken) {
  Receiver receiver(answering(204));
  auto adapter = make(settings({{"url", Value::string(receiver.url())}}));
  ASSERT_TRUE(adapter);
  EXPECT_EQ(adapter->deliver(pushItem("ntf-1")).status, Status::Delivered);
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(receiver.requests()[0].header("Authorization"), "");
  EXPECT_EQ(receiver.requests()[0].uri, "/hook");
}

TEST_F(delivery_webhook, Status503WithRetryAfterIsRetriedAfterThatDelay) {
  Receiver receiver(answering(503, {{"Retry-After", "2"}}, "busy"));
  auto adapter = make(settings({{"url", Value::string(receiver.url())}}));
  ASSERT_TRUE(adapter);
  const auto outcome = adapter->deliver(pushItem("ntf-1"));
  EXPECT_EQ(outcome.status, Status::RetryLater);
  ASSERT_TRUE(outcome.retry_after);
  EXPECT_EQ(*outcome.retry_after, 2s);
  EXPECT_EQ(outcome.detail, "HTTP 503 Service Unavailable: busy");
}

TEST_F(delivery_webhook, ThrottlingAndTimeoutStatusesAreRetried) {
  Receiver receiver;
  auto adapter = make(settings({{"url", Value::string(receiver.url())}}));
  ASSERT_TRUE(adapter);
  for (int status : {408, 425, 429, 500, 502, 504}) {
    receiver.respondWith(answering(status));
    const auto outcome = adapter->deliver(pushItem("ntf-1"));
    EXPECT_EQ(outcome.status, Status::RetryLater) << status;
    EXPECT_FALSE(outcome.retry_after) << status;
  }
}

TEST_F(delivery_webhook, Status400FailsForGoodWithTheStartOfTheBody) {
  const std::string body = R"({"error":"missing field case_id"})" + std::string(500, 'x');
  Receiver receiver(answering(400, {}, body));
  auto adapter = make(settings({{"url", Value::string(receiver.url())}}));
  ASSERT_TRUE(adapter);
  const auto outcome = adapter->deliver(pushItem("ntf-1"));
  EXPECT_EQ(outcome.status, Status::FailedForGood);
  EXPECT_EQ(outcome.detail, "HTTP 400 Bad Request: " + body.substr(0, 200));
}

TEST_F(delivery_webhook, OtherClientErrorsAndRedirectsFailForGood) {
  Receiver receiver;
  auto adapter = make(settings({{"url", Value::string(receiver.url())}}));
  ASSERT_TRUE(adapter);
  for (int status : {301, 401, 403, 404, 410, 413, 415, 422}) {
    receiver.respondWith(answering(status));
    const auto outcome = adapter->deliver(pushItem("ntf-1"));
    EXPECT_EQ(outcome.status, Status::FailedForGood) << status;
    EXPECT_EQ(outcome.detail.rfind("HTTP " + std::to_string(status), 0), 0u) << outcome.detail;
  }
}

TEST_F(delivery_webhook, NothingListeningIsRetried) {
  std::string url;
  {
    Poco::Net::ServerSocket closed(Poco::Net::SocketAddress("127.0.0.1", 0));
    url = "http://127.0.0.1:" + std::to_string(closed.address().port()) + "/hook";
  }
  auto adapter = make(settings({{"url", Value::string(url)}}));
  ASSERT_TRUE(adapter);
  const auto outcome = adapter->deliver(pushItem("ntf-1"));
  EXPECT_EQ(outcome.status, Status::RetryLater);
  EXPECT_EQ(outcome.detail.rfind("POST failed: ", 0), 0u) << outcome.detail;
  EXPECT_NE(outcome.detail.find("refused"), std::string::npos) << outcome.detail;
}

TEST_F(delivery_webhook, SilentReceiverTimesOutAndIsRetried) {
  Receiver receiver([](const Receiver::Request&, std::size_t) { return Receiver::Answer{200, {}, "", true}; });
  auto adapter = make(settings({{"url", Value::string(receiver.url())}, {"timeout_ms", Value::integer(100)}}));
  ASSERT_TRUE(adapter);
  const auto outcome = adapter->deliver(pushItem("ntf-1"));
  receiver.release();
  EXPECT_EQ(outcome.status, Status::RetryLater);
  EXPECT_EQ(outcome.detail.rfind("POST failed: no answer within 100 ms", 0), 0u) << outcome.detail;
}

TEST_F(delivery_webhook_settings, SchemaDescribesEveryKey) {
  const std::string outline = descriptor_->settings_schema().describe();
  for (const char* key : {"url", "token", "timeout_ms", "ca_file"}) {
    EXPECT_NE(outline.find(key), std::string::npos) << key << " in\n" << outline;
  }
}

TEST_F(delivery_webhook_settings, RefusesOtherSchemes) {
  EXPECT_EQ(errorsOf(settings({{"url", Value::string("ftp://partner.example/in")}})),
            (sdk::Errors{{"partners.demo-post.push.settings.url",
                          "scheme 'ftp' of 'ftp://partner.example/in' is not supported; use http:// or https://"}}));
  EXPECT_EQ(errorsOf(settings({{"url", Value::string("partner.example/in")}})).size(), 1u);
}

TEST_F(delivery_webhook_settings, ReportsEveryErrorWithItsPath) {
  const auto errors = errorsOf(settings({{"timeout_ms", Value::integer(50)}, {"tokn", Value::string("x")}}));
  ASSERT_EQ(errors.size(), 3u) << sdk::formatErrors(errors);
  EXPECT_EQ(errors[0], (sdk::Error{"partners.demo-post.push.settings.timeout_ms", "50 is out of range [100, 60000]"}));
  EXPECT_EQ(errors[1].path, "partners.demo-post.push.settings.tokn");
  EXPECT_NE(errors[1].message.find("did you mean 'token'?"), std::string::npos) << errors[1].message;
  EXPECT_EQ(errors[2].path, "partners.demo-post.push.settings.url");
  EXPECT_EQ(errors[2].message.rfind("required key missing: ", 0), 0u) << errors[2].message;
}

TEST_F(delivery_webhook_settings, RefusesAUrlWithoutHostOrWithCredentials) {
  EXPECT_EQ(errorsOf(settings({{"url", Value::string("http:///in")}})),
            (sdk::Errors{{"partners.demo-post.push.settings.url", "'http:///in' names no host"}}));
  EXPECT_EQ(errorsOf(settings({{"url", Value::string("https://user:pw@partner.example/in")}})),
            (sdk::Errors{{"partners.demo-post.push.settings.url",
                          "'https://user:pw@partner.example/in' carries credentials; use the token setting"}}));
}

TEST_F(delivery_webhook_settings, RefusesATokenThatWouldBreakTheHeader) {
  EXPECT_EQ(errorsOf(settings({{"url", Value::string("http://127.0.0.1/in")},
                               {"token", Value::string("abc\r\nX-Evil: 1")}})),
            (sdk::Errors{{"partners.demo-post.push.settings.token", "must be printable ASCII without line breaks"}}));
}

TEST_F(delivery_webhook_settings, CaFileOnlyWithHttpsAndMustLoad) {
  EXPECT_EQ(errorsOf(settings({{"url", Value::string("http://127.0.0.1/in")},
                               {"ca_file", Value::string("/etc/ssl/certs/ca-certificates.crt")}})),
            (sdk::Errors{{"partners.demo-post.push.settings.ca_file", "is only used with an https:// url"}}));
  const auto errors = errorsOf(settings({{"url", Value::string("https://127.0.0.1/in")},
                                         {"ca_file", Value::string("/nonexistent/ca.pem")}}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, "partners.demo-post.push.settings.ca_file");
  EXPECT_EQ(errors[0].message.rfind("cannot load '/nonexistent/ca.pem': ", 0), 0u) << errors[0].message;
}

TEST_F(delivery_webhook_settings, AcceptsHttpsWithTheSystemCas) {
  EXPECT_TRUE(make(settings({{"url", Value::string("https://partner.example/swhub")},
                             {"timeout_ms", Value::integer(60000)}})));
}

// ---------------------------------------------------------------- end to end

TEST_F(delivery_end_to_end, WorkerDeliversEveryItemInOrderPerCaseThroughFailures) {
  // The receiver refuses its first 3 requests, whoever they are for.
  Receiver receiver([](const Receiver::Request&, std::size_t index) {
    return Receiver::Answer{index < 3 ? 503 : 200, {}, "", false};
  });
  auto partner = make(settings({{"url", Value::string(receiver.url("/partner"))},
                                {"token", Value::string("demo-post-push")}}));
  auto agency = make(settings({{"url", Value::string(receiver.url("/agency"))}}));
  ASSERT_TRUE(partner && agency);

  testing::ScratchJournal journal;
  std::vector<journal::OutboxItem> items;
  std::set<std::string> ids;
  for (const char* case_id : {"c1", "c2", "c3"}) {
    for (int n = 1; n <= 3; ++n) {
      items.push_back(testing::outboxItem(std::string(case_id) + "-" + std::to_string(n), "demo-post", case_id));
      ids.insert(items.back().id);
    }
  }
  items.push_back(testing::outboxItem("c1-task", "customs", "c1", journal::Channel::Task));
  ids.insert("c1-task");
  const auto seqs = journal.add(items);

  RetryPolicy policy;
  policy.base = 1ms;
  policy.cap = 4ms;
  DeliveryWorker worker(*journal, {{"demo-post", partner.get()}, {"customs", agency.get()}}, policy, "node-1");
  worker.start();
  worker.wake();
  const bool all = receiver.waitFor([&](const std::vector<Receiver::Request>& seen) {
    std::set<std::string> ok;
    for (const auto& r : seen) {
      if (r.answered == 200) ok.insert(r.header("X-Swhub-Delivery-Id"));
    }
    return ok == ids;
  });
  worker.stop();
  ASSERT_TRUE(all);

  const auto seen = receiver.requests();
  EXPECT_GE(seen.size(), ids.size() + 3);
  std::map<std::string, int> delivered_upto;  // case -> last item number answered 200
  for (const auto& r : seen) {
    const std::string id = r.header("X-Swhub-Delivery-Id");
    ASSERT_TRUE(ids.count(id)) << "unknown id " << id;
    if (id == "c1-task") {
      EXPECT_EQ(r.uri, "/agency");
      EXPECT_EQ(r.header("X-Swhub-Kind"), "task");
      continue;
    }
    EXPECT_EQ(r.uri, "/partner");
    EXPECT_EQ(r.header("Authorization"), "Bearer demo-post-push");
    const std::string case_id = id.substr(0, 2);
    const int n = std::stoi(id.substr(3));
    // An item goes out only after every earlier item of its case was accepted.
    EXPECT_EQ(n, delivered_upto[case_id] + 1) << id << " sent out of order";
    if (r.answered == 200) delivered_upto[case_id] = n;
  }
  EXPECT_EQ(delivered_upto, (std::map<std::string, int>{{"c1", 3}, {"c2", 3}, {"c3", 3}}));
  for (auto seq : seqs) EXPECT_EQ(journal.get(seq).state, journal::OutboxState::Delivered) << seq;
  EXPECT_EQ(worker.stats().delivered.load(), static_cast<std::int64_t>(ids.size()));
  EXPECT_EQ(worker.stats().retried.load(), 3);
}

}  // namespace
}  // namespace swhub::delivery
