#include "api/gated_connection.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "api/connection_gate.hpp"
#include "api/http_result.hpp"

namespace swhub::api {
namespace {

using Poco::Net::HTTPResponse;

// POCO's session, with the count of bytes read ahead (POCO keeps it to itself) and the writes of
// a response gathered into one send: POCO writes a response's head, then its body 4 KiB at a time,
// each a system call and a TCP segment of its own (an 8 KiB case view went out in three).
class Session : public Poco::Net::HTTPServerSession {
 public:
  using HTTPServerSession::HTTPServerSession;
  using HTTPServerSession::buffered;

  // From here on writes wait here (up to kGathered bytes) until sendGathered().
  void gather() { gathering_ = true; }
  // Sends what waits, in one system call, and writes straight through again.
  void sendGathered() {
    gathering_ = false;
    sendWaiting();
  }

  int write(const char* buffer, std::streamsize length) override {
    if (!gathering_) return HTTPServerSession::write(buffer, length);
    const auto n = static_cast<std::size_t>(length);
    if (gathered_.size() + n > kGathered) {
      // A large body (a streamed receipt): what waits goes now, and the rest in sends this large.
      sendWaiting();
      if (n > kGathered) return HTTPServerSession::write(buffer, length);
    }
    gathered_.append(buffer, n);
    return static_cast<int>(length);
  }

 private:
  void sendWaiting() {
    if (gathered_.empty()) return;
    std::string out;
    out.swap(gathered_);  // empty again even if the send throws
    HTTPServerSession::write(out.data(), static_cast<std::streamsize>(out.size()));
  }

  static constexpr std::size_t kGathered = 65536;
  bool gathering_ = false;
  std::string gathered_;
};

class GatedConnection : public Poco::Net::TCPServerConnection {
 public:
  GatedConnection(const Poco::Net::StreamSocket& socket, ConnectionGate& gate, Poco::Net::HTTPServerParams::Ptr params,
                  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers)
      : TCPServerConnection(socket), gate_(gate), params_(std::move(params)), handlers_(std::move(handlers)) {}

  void run() override {
    const auto& limits = gate_.options().limits;
    const bool tls = gate_.options().tls;
    std::string address;
    if (tls) {
      try {
        address = socket().peerAddress().host().toString();
      } catch (const Poco::Exception&) {
        // Gone already; still served (and failed) below, so that its slot is given back.
      }
    }
    bool holdsAddress = tls;  // a TLS connection's head is read here, so it counts until then
    Session session(socket(), params_);
    ReadWatch watch(gate_.deadlines(), socket().impl()->sockfd());  // after the session: disarmed before it closes
    ReadWatch::current() = &watch;
    bool keep = false;
    try {
      // A plain connection comes from the gate with a whole head waiting (it peeked at it), and a
      // later turn of the loop has the next head's bytes read already: only a TLS connection's
      // first request is polled for (POCO's poll costs four system calls, an epoll set made and
      // closed).
      bool first = true;
      for (;;) {
        watch.head(GateClock::now() + std::chrono::milliseconds(limits.header_timeout_ms));
        if (std::exchange(first, false) && tls && !session.hasMoreRequests()) break;
        keep = serveOne(session, watch, holdsAddress, address);
        watch.clear();
        // Bytes of the next request already read (pipelined): serve it here, they cannot go back.
        // Else the next head, when it comes whole at once.
        if (!keep || (session.buffered() == 0 && !gate_.nextHeadWithinLinger(socket().impl()->sockfd()))) break;
      }
    } catch (...) {
      keep = false;  // the peer went, or a read was cut: nothing more to say on this connection
    }
    watch.clear();
    ReadWatch::current() = nullptr;
    if (holdsAddress) gate_.releaseAddress(address);
    if (keep) gate_.readmit(session.detachSocket());
  }

 private:
  // One request, as POCO's HTTPServerConnection serves it; true when the connection stays open.
  bool serveOne(Session& session, ReadWatch& watch, bool& holdsAddress, const std::string& address) {
    Poco::Net::HTTPServerResponseImpl response(session);
    try {
      Poco::Net::HTTPServerRequestImpl request(response, session, params_.get());
      watch.clear();
      // POCO takes "-1" as a length; it throws on "abc" (below). Both are refused, named.
      if (badContentLength(request)) {
        sendProblem(session, 400, "malformed-request", kBadContentLength);
        return false;
      }
      if (holdsAddress) {
        holdsAddress = false;
        gate_.releaseAddress(address);
      }
      response.setDate(Poco::Timestamp());
      response.setVersion(request.getVersion());
      // Kept alive without a count of requests (hub.http: unlimited); POCO's session.canKeepAlive()
      // is not asked: it counts requests in hasMoreRequests(), which a plain connection skips.
      response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive());
      response.set("Server", "swhub");
      std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(handlers_->createRequestHandler(request));
      if (request.getExpectContinue() && response.getStatus() == HTTPResponse::HTTP_OK) response.sendContinue();
      // The handler clears it once it has the body (or at once when there is none).
      watch.body(GateClock::now() + std::chrono::milliseconds(gate_.options().limits.body_timeout_ms));
      session.gather();
      try {
        handler->handleRequest(request, response);
      } catch (...) {
        try {
          session.sendGathered();  // what the handler wrote before it failed, as it would have gone
        } catch (...) {
        }
        throw;
      }
      session.sendGathered();
      watch.clear();
      session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive());
      return session.getKeepAlive() && !watch.fired();
    } catch (const Poco::Net::NoMessageException&) {
      return false;
    } catch (const Poco::SyntaxException&) {
      // The only number POCO parses while reading a head: Content-Length ("abc", "1e3", too long).
      if (!response.sent() && !watch.fired()) sendProblem(session, 400, "malformed-request", kBadContentLength);
      return false;
    } catch (const Poco::Net::MessageException& e) {
      if (!response.sent() && !watch.fired()) sendProblem(session, 400, "malformed-request", e.message());
      return false;
    }
  }

  static constexpr const char* kBadContentLength = "the Content-Length header is not a number of bytes";

  // Whether the request has a Content-Length that is not plain digits (a sign, a fraction).
  static bool badContentLength(const Poco::Net::HTTPServerRequest& request) {
    if (!request.has("Content-Length")) return false;
    const std::string& value = request.get("Content-Length");
    return value.empty() || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
  }

  static void sendProblem(Session& session, int status, const std::string& slug, const std::string& detail) {
    const std::string raw = rawProblemResponse(status, slug, "head", detail, 0);
    session.socket().sendBytes(raw.data(), static_cast<int>(raw.size()));
  }

  ConnectionGate& gate_;
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
};

}  // namespace

std::string rawProblemResponse(int status, const std::string& slug, const std::string& where, const std::string& detail,
                               int retryAfter) {
  const auto code = static_cast<HTTPResponse::HTTPStatus>(status);
  const std::string reason = HTTPResponse::getReasonForStatus(code);
  const HttpResult r = problem(status, slug, reason, detail, {{where, detail}});
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Type: " + r.contentType +
                    "\r\nContent-Length: " + std::to_string(r.body.size()) + "\r\nConnection: close\r\n";
  if (retryAfter > 0) out += "Retry-After: " + std::to_string(retryAfter) + "\r\n";
  return out + "Server: swhub\r\n\r\n" + r.body;
}

Poco::Net::TCPServerConnection* GatedConnectionFactory::createConnection(const Poco::Net::StreamSocket& socket) {
  return new GatedConnection(socket, gate_, params_, handlers_);
}

}  // namespace swhub::api
