// Slow clients and overload against a real hub (issue 10, item 5): connections that trickle their
// heads or bodies hold no worker and are cut within their deadline, while health checks and a
// normal partner's filing are answered within a second; one caller, one address and all filings
// together are bounded, and every bound answers (408, 429, 503 with Retry-After), never hangs.
//
// The hubs here run with 4 worker threads: without the gate, 4 slow clients would starve them.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "hub_process.hpp"
#include "test_pki.hpp"

namespace swhub::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr const char* kJson = "application/vnd.swhub.consignment+json";

// A plain TCP client on loopback that writes when told and reads what the hub answers.
class RawClient {
 public:
  explicit RawClient(const std::string& address) {
    const auto colon = address.rfind(':');
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(std::stoi(address.substr(colon + 1))));
    ::inet_pton(AF_INET, address.substr(0, colon).c_str(), &to.sin_addr);
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~RawClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  // False once the hub closed its side (a write then fails).
  bool send(const std::string& bytes) {
    return fd_ >= 0 && ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }
  // Reads until the hub closes the connection or `limit` passes; true when it closed.
  bool readUntilClosed(milliseconds limit) {
    return readUntil([] { return false; }, limit) || closed_;
  }
  // Reads until `text` was received `times` times or `limit` passes; true when it was.
  bool readUntilSeen(const std::string& text, int times, milliseconds limit) {
    return readUntil(
        [&] {
          int seen = 0;
          for (auto at = received_.find(text); at != std::string::npos; at = received_.find(text, at + 1)) ++seen;
          return seen >= times;
        },
        limit);
  }
  const std::string& received() const { return received_; }
  Clock::time_point closedAt() const { return closedAt_; }

 private:
  // Reads until done() holds (true), the hub closes the connection or `limit` passes (false).
  template <class Done>
  bool readUntil(Done&& done, milliseconds limit) {
    const auto end = Clock::now() + limit;
    for (;;) {
      if (done()) return true;
      const auto left = std::chrono::duration_cast<milliseconds>(end - Clock::now()).count();
      if (closed_ || left <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
      char buffer[4096];
      const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        closed_ = true;
        closedAt_ = Clock::now();
      } else {
        received_.append(buffer, static_cast<std::size_t>(n));
      }
    }
  }

  int fd_ = -1;
  bool closed_ = false;
  Clock::time_point closedAt_{};
  std::string received_;
};

// The example config with `http` limits under hub: (YAML lines indented by four) and 4 threads.
std::string configWith(const std::string& http, int maxQueued = 256) {
  std::string yaml = exampleConfigText();
  const std::string threads = "  threads: 64";
  const auto at = yaml.find(threads);
  const auto end = yaml.find('\n', yaml.find("  max_queued:", at));
  yaml.replace(at, end - at, "  threads: 4\n  max_queued: " + std::to_string(maxQueued) + "\n  http:\n" + http);
  return yaml;
}

struct Hub {
  explicit Hub(const std::string& http, int maxQueued = 256) {
    writeFile(dir.file("hub.yaml"), configWith(http, maxQueued));
    process = std::make_unique<HubProcess>(std::vector<std::string>{
        "serve", "--config", dir.file("hub.yaml"), "--listen", "127.0.0.1:0", "--journal", "sqlite:" + dir.file("j.db")});
  }
  const std::string& address() const { return process->address(); }
  TempDir dir;
  std::unique_ptr<HubProcess> process;
};

std::map<std::string, std::string> filer(const std::string& partner) {
  return {{"Authorization", "Bearer demo-" + partner + "-token"}, {"Content-Type", kJson}};
}

// A filing whose head says `length` body bytes and whose body then trickles.
std::string trickledFilingHead(const std::string& partner, std::size_t length) {
  return "POST /v1/messages HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer demo-" + partner +
         "-token\r\nContent-Type: " + kJson + "\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n{";
}

// Waits until /metrics shows `line` (a gauge and its value); false after 5 s.
bool waitForMetric(const std::string& address, const std::string& line) {
  const auto end = Clock::now() + std::chrono::seconds(5);
  while (Clock::now() < end) {
    if (("\n" + request(address, "GET", "/metrics").body).find("\n" + line + "\n") != std::string::npos) return true;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return false;
}

template <class F>
long long millisecondsOf(F&& f) {
  const auto start = Clock::now();
  f();
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start).count();
}

TEST(SlowClients, TwoHundredTrickledHeadsStarveNobodyAndAreCutWithinTheHeaderTimeout) {
  Hub hub("    header_timeout_ms: 3000\n    max_pending_per_address: 1000\n");
  std::vector<std::unique_ptr<RawClient>> slow;
  const auto opened = Clock::now();
  for (int i = 0; i < 200; ++i) {
    slow.push_back(std::make_unique<RawClient>(hub.address()));
    ASSERT_TRUE(slow.back()->connected());
    ASSERT_TRUE(slow.back()->send("GET /healthz HTTP/1.1\r\nHost: hub\r\n"));
  }
  // One more header line on each, every 400 ms: a steady trickle that no per-read timeout cuts.
  std::atomic<bool> trickling{true};
  std::thread trickle([&] {
    while (trickling) {
      for (auto& client : slow) client->send("X-Slow: 1\r\n");
      std::this_thread::sleep_for(milliseconds(400));
    }
  });

  HttpResponse health, filed;
  const auto healthMs = millisecondsOf([&] { health = request(hub.address(), "GET", "/healthz"); });
  const auto filedMs = millisecondsOf(
      [&] { filed = request(hub.address(), "POST", "/v1/messages", exampleFiling("SLOW-HEADS-1"), filer("post")); });
  const auto readyMs = millisecondsOf([&] { EXPECT_EQ(request(hub.address(), "GET", "/readyz").status, 200); });
  const auto metricsMs = millisecondsOf([&] { EXPECT_EQ(request(hub.address(), "GET", "/metrics").status, 200); });
  EXPECT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(filed.status, 202) << filed.body;
  EXPECT_LT(healthMs, 1000);
  EXPECT_LT(filedMs, 1000);
  EXPECT_LT(readyMs, 1000);
  EXPECT_LT(metricsMs, 1000);

  // Every slow connection is cut by its deadline (3 s from its opening; a tick of slack), with a 408.
  int cut = 0;
  for (auto& client : slow) {
    if (!client->readUntilClosed(milliseconds(6000))) continue;
    ++cut;
    EXPECT_LT(std::chrono::duration_cast<milliseconds>(client->closedAt() - opened).count(), 4500);
    EXPECT_EQ(client->received().rfind("HTTP/1.1 408 ", 0), 0u) << client->received();
    EXPECT_NE(client->received().find("problem:request-head-timeout\""), std::string::npos) << client->received();
  }
  trickling = false;
  trickle.join();
  EXPECT_EQ(cut, 200);
}

TEST(SlowClients, AContentLengthThatIsNoNumberIsA400NamingIt) {
  Hub hub("    header_timeout_ms: 3000\n");
  for (const char* length : {"abc", "-1", "1e3", "99999999999999999999"}) {
    RawClient client(hub.address());
    ASSERT_TRUE(client.send(std::string("POST /v1/messages HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer demo-post-token\r\n") +
                            "Content-Type: " + kJson + "\r\nContent-Length: " + length + "\r\n\r\n"));
    ASSERT_TRUE(client.readUntilClosed(milliseconds(5000))) << length;
    EXPECT_EQ(client.received().rfind("HTTP/1.1 400", 0), 0u) << length << ": " << client.received();
    EXPECT_NE(client.received().find("the Content-Length header is not a number of bytes"), std::string::npos)
        << client.received();
  }
  // The hub goes on serving.
  EXPECT_EQ(request(hub.address(), "GET", "/healthz").status, 200);
}

TEST(SlowClients, ATrickledBodyIsCutWith408WhileOtherPartnersFile) {
  Hub hub("    body_timeout_ms: 1500\n");
  RawClient slow(hub.address());
  ASSERT_TRUE(slow.send(trickledFilingHead("post", 1000)));
  const auto start = Clock::now();
  std::atomic<bool> trickling{true};
  std::thread trickle([&] {
    while (trickling && slow.send(" ")) std::this_thread::sleep_for(milliseconds(100));
  });
  HttpResponse filed;
  const auto filedMs = millisecondsOf(
      [&] { filed = request(hub.address(), "POST", "/v1/messages", exampleFiling("BODY-TRICKLE-1"), filer("express")); });
  EXPECT_EQ(filed.status, 202) << filed.body;
  EXPECT_LT(filedMs, 1000);

  ASSERT_TRUE(slow.readUntilClosed(milliseconds(5000)));
  trickling = false;
  trickle.join();
  EXPECT_LT(std::chrono::duration_cast<milliseconds>(slow.closedAt() - start).count(), 2500);
  EXPECT_EQ(slow.received().rfind("HTTP/1.1 408 ", 0), 0u) << slow.received();
  EXPECT_NE(slow.received().find("problem:request-body-timeout\""), std::string::npos) << slow.received();
}

TEST(SlowClients, OneCallerHoldsAtMostItsRequestsAndGets429WithRetryAfterBeyond) {
  Hub hub("    body_timeout_ms: 3000\n    max_requests_per_identity: 2\n");
  RawClient first(hub.address()), second(hub.address());
  ASSERT_TRUE(first.send(trickledFilingHead("post", 1000)));
  ASSERT_TRUE(second.send(trickledFilingHead("post", 1000)));
  ASSERT_TRUE(waitForMetric(hub.address(), "swhub_http_filings_in_progress 2"));
  HttpResponse third =
      request(hub.address(), "GET", "/v1/cases?reference=NONE", "", {{"Authorization", "Bearer demo-post-token"}});
  EXPECT_EQ(third.status, 429) << third.body;
  EXPECT_EQ(third.headers["Retry-After"], "1");
  EXPECT_EQ(third.headers["Content-Type"], "application/problem+json");
  EXPECT_NE(third.body.find("partner:demo-post has 2 requests in progress already"), std::string::npos) << third.body;
  // Another partner is not affected.
  EXPECT_EQ(request(hub.address(), "POST", "/v1/messages", exampleFiling("OTHER-1"), filer("express")).status, 202);
}

TEST(SlowClients, BeyondTheFilingBoundsAFilingGets503WithRetryAfterAndLaterGoesThrough) {
  Hub hub("    body_timeout_ms: 1500\n    max_filings: 2\n    max_filing_bytes: 8192\n");
  // Bytes: one filing holding 6000 declared bytes leaves no room for 3000 more.
  RawClient big(hub.address());
  ASSERT_TRUE(big.send(trickledFilingHead("post", 6000)));
  ASSERT_TRUE(waitForMetric(hub.address(), "swhub_http_filing_bytes_in_progress 6000"));
  const std::string filing = exampleFiling("BOUND-1");
  auto refused =
      request(hub.address(), "POST", "/v1/messages", filing + std::string(3000 - filing.size(), ' '), filer("express"));
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.headers["Retry-After"], "1");
  EXPECT_NE(refused.body.find("problem:overloaded\""), std::string::npos) << refused.body;
  // Count: with a second filing in progress, a third of any size is refused.
  RawClient small(hub.address());
  ASSERT_TRUE(small.send(trickledFilingHead("market", 100)));
  ASSERT_TRUE(waitForMetric(hub.address(), "swhub_http_filings_in_progress 2"));
  auto counted = request(hub.address(), "POST", "/v1/messages", exampleFiling("BOUND-2"), filer("express"));
  EXPECT_EQ(counted.status, 503) << counted.body;
  EXPECT_EQ(counted.headers["Retry-After"], "1");
  // Once the held filings are cut by their body deadline, the same filing goes through.
  ASSERT_TRUE(big.readUntilClosed(milliseconds(5000)));
  ASSERT_TRUE(small.readUntilClosed(milliseconds(5000)));
  EXPECT_EQ(request(hub.address(), "POST", "/v1/messages", exampleFiling("BOUND-2"), filer("express")).status, 202);
}

TEST(SlowClients, OneAddressWaitsWithAtMostItsPendingConnectionsAndGets503WithRetryAfterBeyond) {
  Hub hub("    max_pending_per_address: 5\n");
  std::vector<std::unique_ptr<RawClient>> silent;
  for (int i = 0; i < 5; ++i) silent.push_back(std::make_unique<RawClient>(hub.address()));
  RawClient extra(hub.address());
  ASSERT_TRUE(extra.readUntilClosed(milliseconds(3000)));
  EXPECT_EQ(extra.received().rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0u) << extra.received();
  EXPECT_NE(extra.received().find("Retry-After: 1\r\n"), std::string::npos) << extra.received();
  EXPECT_NE(extra.received().find("problem:too-many-connections\""), std::string::npos) << extra.received();
  // The places come back when the silent ones go.
  silent.clear();
  HttpResponse health;
  for (int i = 0; i < 50 && health.status != 200; ++i) {
    try {
      health = request(hub.address(), "GET", "/healthz");
    } catch (const std::exception&) {
      std::this_thread::sleep_for(milliseconds(20));
    }
  }
  EXPECT_EQ(health.status, 200);
}

TEST(SlowClients, RequestsBeyondTheQueueOfWaitingHeadsGet503WithRetryAfter) {
  // 4 workers held by trickled bodies (4 partners), 1 request may wait; the next is refused.
  Hub hub("    body_timeout_ms: 3000\n", 1);
  std::vector<std::unique_ptr<RawClient>> held;
  for (const char* partner : {"post", "express", "market", "broker"}) {
    // /metrics needs a worker too: it is read while one is still free.
    if (held.size() == 3) {
      ASSERT_TRUE(waitForMetric(hub.address(), "swhub_http_filings_in_progress 3"));
    }
    held.push_back(std::make_unique<RawClient>(hub.address()));
    ASSERT_TRUE(held.back()->send(trickledFilingHead(partner, 1000)));
  }
  // Two complete heads: one waits for a worker, the other (whichever the hub sees second) is refused.
  // Until a worker has taken the fourth filing it holds the one place in the queue and both are
  // refused: the client cannot see when that happens (/metrics needs a worker), so such a pair is
  // sent again, at once, until one of them waits.
  std::unique_ptr<RawClient> one, two;
  const std::string healthz = "GET /healthz HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n";
  auto refusedNow = [](const RawClient& c) { return c.received().rfind("HTTP/1.1 503", 0) == 0; };
  for (int pair = 0; pair < 100; ++pair) {
    one = std::make_unique<RawClient>(hub.address());
    two = std::make_unique<RawClient>(hub.address());
    ASSERT_TRUE(one->send(healthz));
    ASSERT_TRUE(two->send(healthz));
    ASSERT_TRUE(one->readUntilClosed(milliseconds(6000)));
    ASSERT_TRUE(two->readUntilClosed(milliseconds(6000)));
    if (!refusedNow(*one) || !refusedNow(*two)) break;
  }
  const bool oneRefused = refusedNow(*one);
  const RawClient& refused = oneRefused ? *one : *two;
  const RawClient& waited = oneRefused ? *two : *one;
  EXPECT_EQ(refused.received().rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0u) << refused.received();
  EXPECT_NE(refused.received().find("Retry-After: 1\r\n"), std::string::npos) << refused.received();
  EXPECT_NE(refused.received().find("problem:overloaded\""), std::string::npos) << refused.received();
  // The one that waited is answered once a worker is free (the bodies' deadline).
  EXPECT_EQ(waited.received().rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << waited.received();
}

// A kept-alive connection goes back to the gate after each request: the next one is served when
// its head arrives, two heads sent at once (pipelined) are both answered, in order, each response
// whole (its head and its body), and "Connection: close" closes it after its answer.
TEST(SlowClients, AKeptAliveConnectionIsServedRequestAfterRequestAndPipelinedRequestsInOrder) {
  Hub hub("");
  RawClient client(hub.address());
  ASSERT_TRUE(client.connected());
  const std::string whoami = "GET /v1/whoami HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer demo-post-token\r\n\r\n";
  const std::string metrics = "GET /metrics HTTP/1.1\r\nHost: hub\r\n\r\n";
  ASSERT_TRUE(client.send(whoami));
  ASSERT_TRUE(client.readUntilSeen("HTTP/1.1 200 OK\r\n", 1, milliseconds(5000))) << client.received();
  ASSERT_TRUE(client.send(whoami + metrics));  // pipelined: both heads in one write
  ASSERT_TRUE(client.readUntilSeen("HTTP/1.1 200 OK\r\n", 3, milliseconds(5000))) << client.received();
  ASSERT_TRUE(client.send("GET /healthz HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n"));
  ASSERT_TRUE(client.readUntilClosed(milliseconds(5000)));

  // Four responses, each a head with its Content-Length and a body of that length.
  std::vector<std::string> bodies;
  std::string_view rest = client.received();
  while (!rest.empty()) {
    ASSERT_EQ(rest.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << rest;
    const auto headEnd = rest.find("\r\n\r\n");
    ASSERT_NE(headEnd, std::string_view::npos);
    const std::string head(rest.substr(0, headEnd));
    const auto length = head.find("Content-Length: ");
    ASSERT_NE(length, std::string::npos) << head;
    const auto size = static_cast<std::size_t>(std::stoul(head.substr(length + 16)));
    ASSERT_GE(rest.size(), headEnd + 4 + size);
    bodies.emplace_back(rest.substr(headEnd + 4, size));
    rest.remove_prefix(headEnd + 4 + size);
  }
  ASSERT_EQ(bodies.size(), 4u);
  EXPECT_NE(bodies[0].find("\"demo-post\""), std::string::npos) << bodies[0];
  EXPECT_EQ(bodies[1], bodies[0]);
  EXPECT_NE(bodies[2].find("swhub_http_responses_total"), std::string::npos) << bodies[2].substr(0, 300);
  EXPECT_NE(bodies[3].find("\"status\""), std::string::npos) << bodies[3];
}

// A worker that served a request waits a moment (kLingerMs) for the connection's next head and
// serves it itself when it comes whole; the first bytes of a head that then trickles do not keep
// it: 8 such connections on 4 workers starve nobody and are cut within the header timeout.
TEST(SlowClients, AKeptAliveConnectionThatTricklesItsNextHeadHoldsNoWorker) {
  Hub hub("    header_timeout_ms: 3000\n");
  const std::string whoami = "GET /v1/whoami HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer demo-post-token\r\n\r\n";
  std::vector<std::unique_ptr<RawClient>> slow;
  for (int i = 0; i < 8; ++i) {
    slow.push_back(std::make_unique<RawClient>(hub.address()));
    ASSERT_TRUE(slow.back()->send(whoami));
    ASSERT_TRUE(slow.back()->readUntilSeen("HTTP/1.1 200 OK\r\n", 1, milliseconds(5000))) << slow.back()->received();
    ASSERT_TRUE(slow.back()->send("GET /healthz HTTP/1.1\r\n"));  // at once: within the worker's wait
  }
  const auto trickled = Clock::now();
  HttpResponse health;
  const auto healthMs = millisecondsOf([&] { health = request(hub.address(), "GET", "/healthz"); });
  EXPECT_EQ(health.status, 200) << health.body;
  EXPECT_LT(healthMs, 1000);
  for (auto& client : slow) {
    ASSERT_TRUE(client->readUntilClosed(milliseconds(6000)));
    EXPECT_LT(std::chrono::duration_cast<milliseconds>(client->closedAt() - trickled).count(), 4500);
    const auto second = client->received().find("HTTP/1.1 408 ");
    EXPECT_NE(second, std::string::npos) << client->received();
    EXPECT_NE(client->received().find("problem:request-head-timeout\"", second), std::string::npos);
  }
}

TEST(SlowClients, WithTlsATrickledHandshakeIsCutWithinTheHeaderTimeout) {
  // The gate cannot read an encrypted head: a worker reads handshake and head, under the same deadline.
  TempDir dir;
  TestCa ca(dir.path(), "pki");
  ca.issue("server", "127.0.0.1", false, "127.0.0.1");
  std::string yaml = configWith("    header_timeout_ms: 1500\n");
  yaml.replace(yaml.find("  threads: 4"), 0,
               "  tls: {cert: " + ca.pem("server") + ", key: " + ca.key("server") + "}\n");
  writeFile(dir.file("hub.yaml"), yaml);
  HubProcess hub({"serve", "--config", dir.file("hub.yaml"), "--listen", "127.0.0.1:0", "--journal",
                  "sqlite:" + dir.file("j.db")});
  std::vector<std::unique_ptr<RawClient>> slow;
  const auto opened = Clock::now();
  for (int i = 0; i < 4; ++i) {
    slow.push_back(std::make_unique<RawClient>(hub.address()));
    ASSERT_TRUE(slow.back()->send(std::string("\x16\x03\x01", 3)));  // the start of a ClientHello, no more
  }
  for (auto& client : slow) {
    ASSERT_TRUE(client->readUntilClosed(milliseconds(5000)));
    const auto ms = std::chrono::duration_cast<milliseconds>(client->closedAt() - opened).count();
    EXPECT_GE(ms, 1400);  // held (no answer is possible before the handshake) until the deadline
    EXPECT_LT(ms, 3000);
  }
}

}  // namespace
}  // namespace swhub::testing
