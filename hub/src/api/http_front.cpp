#include "api/http_front.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/String.h>

#include <algorithm>
#include <istream>
#include <optional>
#include <variant>
#include <vector>

#include "api/body_spool.hpp"
#include "api/hub_services.hpp"
#include "api/read_deadlines.hpp"
#include "api/request_target.hpp"

namespace swhub::api {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr const char* kCasesPrefix = "/v1/cases/";
constexpr std::int64_t kMaxDecisionBytes = 65536;
constexpr std::int64_t kMaxLicenceBytes = 65536;
const std::string kLicences = "/v1/admin/licences";

// The status with its own reason phrase: POCO's setStatus keeps the default "OK" ("403 OK").
void setStatus(HTTPServerResponse& response, int status) {
  const auto code = static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status);
  response.setStatusAndReason(code, Poco::Net::HTTPResponse::getReasonForStatus(code));
}

void send(HTTPServerResponse& response, const HttpResult& result, metrics::HubMetrics& metrics) {
  setStatus(response, result.status);
  response.setContentType(result.contentType);
  for (const auto& [name, value] : result.headers) response.set(name, value);
  response.setContentLength64(static_cast<Poco::Int64>(result.body.size()));
  metrics.httpResponses.increment(std::to_string(result.status));
  response.send().write(result.body.data(), static_cast<std::streamsize>(result.body.size()));
}

// A body whose bytes come from a stream (a large receipt), sent without holding it whole.
void sendStreamed(HTTPServerResponse& response, const HttpResult& result, const StreamedBody& body,
                  metrics::HubMetrics& metrics) {
  setStatus(response, result.status);
  response.setContentType(result.contentType);
  for (const auto& [name, value] : result.headers) response.set(name, value);
  response.setContentLength64(static_cast<Poco::Int64>(body.size));
  metrics.httpResponses.increment(std::to_string(result.status));
  std::ostream& out = response.send();
  std::vector<char> buffer(65536);
  std::int64_t left = body.size;
  while (left > 0 && out) {
    const std::size_t n = body.read(buffer.data(), static_cast<std::size_t>(std::min<std::int64_t>(left, 65536)));
    if (n == 0) break;  // cannot happen short of a bug: the client sees a short body and the connection closes
    out.write(buffer.data(), static_cast<std::streamsize>(n));
    left -= static_cast<std::int64_t>(n);
  }
  if (left > 0) response.setKeepAlive(false);
}

// A body past the limit is read and dropped up to this many times the limit, so that the client
// gets its 413 instead of a connection reset; beyond that the connection is closed unread.
constexpr std::int64_t kDrainFactor = 16;

void drain(std::istream& in, std::int64_t atMost) {
  char buffer[16384];
  while (atMost > 0 && (in.read(buffer, sizeof buffer) || in.gcount() > 0)) atMost -= in.gcount();
}

// Reads the body, at most `limit` bytes; nullopt when it is larger.
std::optional<std::string> readBody(HTTPServerRequest& request, std::int64_t limit) {
  if (request.hasContentLength() && request.getContentLength64() > limit) {
    if (request.getContentLength64() <= limit * kDrainFactor) drain(request.stream(), request.getContentLength64());
    return std::nullopt;
  }
  std::string body;
  if (request.hasContentLength()) body.reserve(static_cast<std::size_t>(request.getContentLength64()));
  std::istream& in = request.stream();
  char buffer[16384];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    body.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (static_cast<std::int64_t>(body.size()) > limit) {
      drain(in, limit * kDrainFactor);
      return std::nullopt;
    }
  }
  return body;
}

// The body's deadline (armed by the connection when the head was read) ends once the body is in,
// or at once when there is none; nullptr outside a gated connection (a unit test's server).
void bodyRead() {
  if (ReadWatch* watch = ReadWatch::current()) watch->clear();
}

bool bodyCut() {
  const ReadWatch* watch = ReadWatch::current();
  return watch != nullptr && watch->fired();
}

HttpResult bodyTimeout(std::int64_t ms) {
  return problem(408, "request-body-timeout", "Request Timeout",
                 "the request body did not arrive whole within " + std::to_string(ms) + " ms; nothing was done",
                 {{"body", "cut after " + std::to_string(ms) + " ms"}});
}

HttpResult retryLater(int status, const std::string& slug, const std::string& detail, const std::string& where) {
  HttpResult r = problem(status, slug, status == 429 ? "Too Many Requests" : "Service Unavailable", detail,
                         {{where, detail}});
  r.headers.push_back({"Retry-After", "1"});
  return r;
}

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(HubServices& hub) : hub_(hub) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    ++hub_.metrics().inFlight;
    const bool hasBody = (request.hasContentLength() && request.getContentLength64() > 0) || request.getChunkedTransferEncoding();
    if (!hasBody) bodyRead();
    HttpResult result;
    try {
      result = route(request, response);
    } catch (const std::exception& e) {
      // A bug must not take the connection down silently: answer, and keep serving.
      result = problem(500, "internal-error", "Internal Server Error", e.what());
    }
    // A body left unread would be parsed as the next request on a kept-alive connection.
    if (hasBody && (!bodyConsumed_ || bodyCut())) response.setKeepAlive(false);
    bodyRead();
    if (!response.sent()) send(response, result, hub_.metrics());
    --hub_.metrics().inFlight;
  }

 private:
  HttpResult route(HTTPServerRequest& request, HTTPServerResponse& response) {
    auto parsed = parseTarget(request.getURI());
    if (auto* bad = std::get_if<HttpResult>(&parsed)) return *bad;
    const Target& uri = std::get<Target>(parsed);
    const std::string& path = uri.path;
    const std::string& method = request.getMethod();

    // The public probes read, like every other endpoint refuses a method it does not serve.
    const bool probe = path == "/healthz" || path == "/readyz" || path == "/metrics";
    if (probe && method != "GET" && method != "HEAD") return methodNotAllowed("GET, HEAD");
    if (path == "/healthz") return json(200, "{\"status\":\"ok\"}");
    if (path == "/readyz") {
      if (hub_.ready()) return json(200, "{\"status\":\"ready\",\"journal\":\"writable\"}");
      HttpResult r = problem(503, "not-ready", "Service Unavailable", "the journal cannot write");
      r.headers.push_back({"Retry-After", "30"});
      return r;
    }
    if (path == "/metrics") {
      HttpResult r;
      r.contentType = "text/plain; version=0.0.4";
      r.body = hub_.renderMetrics();
      return r;
    }
    if (path.rfind("/v1/", 0) != 0) return problem(404, "not-found", "Not Found", "no resource at '" + path + "'");
    // Public: whoever holds a receipt verifies it with this certificate.
    if (path == "/v1/receipts/certificate") {
      if (method != "GET" && method != "HEAD") return methodNotAllowed("GET, HEAD");
      if (!hub_.hasReceipts()) return problem(404, "no-receipt-certificate", "Not Found", "this hub signs no receipts");
      HttpResult r;
      r.contentType = "application/x-pem-file";
      r.body = hub_.receipts().certificatePem();
      return r;
    }

    auto caller = authenticate(request);
    if (!caller) {
      HttpResult r = problem(401, "unauthenticated", "Unauthorized",
                             "a bearer token or a client certificate known to this hub is required");
      r.headers.push_back({"WWW-Authenticate", "Bearer realm=\"swhub\""});
      return r;
    }
    // One caller may hold this many workers at once (a partner that trickles its bodies holds
    // its own places, not everyone's).
    identitySlot_ = hub_.limits().enterIdentity(caller->actor());
    if (!identitySlot_) {
      return retryLater(429, "too-many-requests",
                        caller->actor() + " has " + std::to_string(hub_.config().http.max_requests_per_identity) +
                            " requests in progress already",
                        "Authorization");
    }

    if (path == "/v1/messages") {
      if (method != "POST") return methodNotAllowed("POST");
      HttpResult filed = fileMessage(request, response, *caller);
      if (filed.status == 202) hub_.wakeWorkers();
      return filed;
    }
    if (path == "/v1/notifications") {
      if (method != "GET") return methodNotAllowed("GET");
      return hub_.agencyApi().notifications(*caller, uri.value("after"), uri.value("limit"));
    }
    if (path == "/v1/agency/tasks") {
      if (method != "GET") return methodNotAllowed("GET");
      return hub_.agencyApi().tasks(*caller, uri.value("after"), uri.value("limit"));
    }
    if (path == "/v1/agency/decisions") {
      if (method != "POST") return methodNotAllowed("POST");
      auto body = readBody(request, kMaxDecisionBytes);
      bodyRead();
      if (bodyCut()) return bodyTimeout(hub_.config().http.body_timeout_ms);
      bodyConsumed_ = body.has_value();
      if (!body) {
        response.setKeepAlive(false);
        return problem(413, "payload-too-large", "Payload Too Large",
                       "a decision is at most " + std::to_string(kMaxDecisionBytes) + " bytes");
      }
      HttpResult decided = hub_.agencyApi().decide(*caller, *body);
      if (decided.status == 200) hub_.wakeWorkers();
      return decided;
    }
    if (path.rfind("/v1/admin/", 0) == 0) {
      if (caller->kind != Identity::Kind::Admin) {
        return problem(403, "not-an-admin", "Forbidden", caller->actor() + " may not use the admin API");
      }
      if (path == kLicences || path.rfind(kLicences + "/", 0) == 0) return routeLicences(request, path, method, uri);
      return routeAdmin(path, method, uri);
    }
    if (auto statement = accountStatement(path)) {
      if (method != "GET") return methodNotAllowed("GET");
      if (uri.value("reconcile") == "true") {
        return hub_.accountApi().reconciliation(*caller, statement->first, statement->second);
      }
      return hub_.accountApi().statement(*caller, statement->first, statement->second, uri.value("format"));
    }
    if (path == "/v1/cases") {
      if (method != "GET") return methodNotAllowed("GET");
      return hub_.cases().byReference(*caller, uri.value("reference"), uri.value("partner"));
    }
    if (path.rfind(kCasesPrefix, 0) == 0 && path.size() > std::string(kCasesPrefix).size()) {
      if (method != "GET") return methodNotAllowed("GET");
      return hub_.cases().byId(*caller, path.substr(std::string(kCasesPrefix).size()));
    }
    return problem(404, "not-found", "Not Found", "no resource at '" + path + "'");
  }

  // /v1/admin/licences[/{agency}/{id}] (licence_api.hpp).
  HttpResult routeLicences(HTTPServerRequest& request, const std::string& path, const std::string& method,
                           const Target& uri) {
    const LicenceApi& licences = hub_.licenceApi();
    auto body = [&]() -> std::optional<std::string> {
      auto read = readBody(request, kMaxLicenceBytes);
      bodyRead();
      bodyConsumed_ = read.has_value();
      return read;
    };
    if (path == kLicences) {
      if (method == "GET") return licences.list(uri.value("agency"));
      if (method != "POST") return methodNotAllowed("GET, POST");
      auto text = body();
      if (bodyCut()) return bodyTimeout(hub_.config().http.body_timeout_ms);
      if (!text) return problem(413, "payload-too-large", "Payload Too Large", "a licence is at most 64 KiB");
      return licences.add(*text);
    }
    const std::string rest = path.substr(kLicences.size() + 1);
    const auto slash = rest.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size() ||
        rest.find('/', slash + 1) != std::string::npos) {
      return problem(404, "not-found", "Not Found", "no resource at '" + path + "'");
    }
    const std::string agency = rest.substr(0, slash);
    const std::string id = rest.substr(slash + 1);
    if (method == "GET") return licences.get(agency, id);
    if (method != "PUT") return methodNotAllowed("GET, PUT");
    auto text = body();
    if (bodyCut()) return bodyTimeout(hub_.config().http.body_timeout_ms);
    if (!text) return problem(413, "payload-too-large", "Payload Too Large", "a licence is at most 64 KiB");
    return licences.update(agency, id, *text);
  }

  HttpResult routeAdmin(const std::string& path, const std::string& method, const Target& uri) {
    const AdminApi& admin = hub_.adminApi();
    static const std::string kDeadLetters = "/v1/admin/dead-letters";
    static const std::string kCases = "/v1/admin/cases/";
    if (path == "/v1/admin/routes") return method == "GET" ? admin.routes() : methodNotAllowed("GET");
    if (path == "/v1/admin/reload") return method == "POST" ? admin.reload() : methodNotAllowed("POST");
    if (path == "/v1/admin/stats") return method == "GET" ? admin.stats() : methodNotAllowed("GET");
    if (path == kDeadLetters) {
      return method == "GET" ? admin.deadLetters(uri.value("after"), uri.value("limit"))
                             : methodNotAllowed("GET");
    }
    static const std::string kReplay = "/replay";
    if (path.rfind(kDeadLetters + "/", 0) == 0 && path.size() > kDeadLetters.size() + kReplay.size() + 1 &&
        path.compare(path.size() - kReplay.size(), kReplay.size(), kReplay) == 0) {
      if (method != "POST") return methodNotAllowed("POST");
      return admin.replay(path.substr(kDeadLetters.size() + 1, path.size() - kDeadLetters.size() - 1 - kReplay.size()));
    }
    static const std::string kTrace = "/trace";
    if (path.rfind(kCases, 0) == 0 && path.size() > kCases.size() + kTrace.size() &&
        path.compare(path.size() - kTrace.size(), kTrace.size(), kTrace) == 0) {
      if (method != "GET") return methodNotAllowed("GET");
      return admin.trace(path.substr(kCases.size(), path.size() - kCases.size() - kTrace.size()));
    }
    return problem(404, "not-found", "Not Found", "no resource at '" + path + "'");
  }

  // "/v1/accounts/{id}/statements/{period}" -> (id, period); nullopt for any other path.
  static std::optional<std::pair<std::string, std::string>> accountStatement(const std::string& path) {
    static const std::string kAccounts = "/v1/accounts/";
    static const std::string kStatements = "/statements/";
    if (path.rfind(kAccounts, 0) != 0) return std::nullopt;
    const std::string rest = path.substr(kAccounts.size());
    const auto slash = rest.find('/');
    if (slash == std::string::npos || slash == 0 || rest.compare(slash, kStatements.size(), kStatements) != 0) {
      return std::nullopt;
    }
    const std::string period = rest.substr(slash + kStatements.size());
    if (period.empty() || period.find('/') != std::string::npos) return std::nullopt;
    return std::make_pair(rest.substr(0, slash), period);
  }

  static HttpResult methodNotAllowed(const std::string& allowed) {
    HttpResult r = problem(405, "method-not-allowed", "Method Not Allowed", "use " + allowed);
    r.headers.push_back({"Allow", allowed});
    return r;
  }

  std::optional<Identity> authenticate(HTTPServerRequest& request) {
    const std::string authorization = request.get("Authorization", "");
    if (auto token = bearerToken(authorization)) return hub_.identities().byToken(*token);
    if (hub_.config().tls.enabled) {
      auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
      if (impl != nullptr) {
        Poco::Net::SecureStreamSocket socket(impl->socket());
        if (socket.havePeerCertificate()) return hub_.identities().byCertificate(socket.peerCertificate().commonName());
      }
    }
    return std::nullopt;
  }

  HttpResult fileMessage(HTTPServerRequest& request, HTTPServerResponse& response, const Identity& caller) {
    const PartnerRuntime* partner = hub_.filings().partner(caller.id);
    if (caller.kind != Identity::Kind::Partner || partner == nullptr) {
      return problem(403, "not-a-partner", "Forbidden", caller.actor() + " may not file messages");
    }
    if (!request.has("Content-Type")) {
      return problem(415, "unsupported-media-type", "Unsupported Media Type", "the request has no Content-Type",
                     {{"Content-Type", "header missing"}});
    }
    // The bounds of what all filings together may hold: checked before a byte of the body is read.
    const std::int64_t declared = request.hasContentLength() ? request.getContentLength64() : partner->maxBodyBytes;
    auto filingSlot = hub_.limits().admitFiling(std::min(declared, partner->maxBodyBytes));
    if (!filingSlot) {
      response.setKeepAlive(false);
      const auto& http = hub_.config().http;
      return retryLater(503, "overloaded",
                        "the hub is receiving " + std::to_string(http.max_filings) + " filings or " +
                            std::to_string(http.max_filing_bytes) + " bytes of filings already; nothing was filed",
                        "body");
    }
    // Small bodies stay in memory (the fast path); larger ones are spooled to a file as they come.
    const auto spool = spoolFolder(hub_.config().journal);
    ReceivedBody body = receiveBody(request.stream(), request.hasContentLength() ? request.getContentLength64() : -1,
                                    partner->maxBodyBytes, kSpoolThreshold, spool);
    bodyRead();
    if (bodyCut()) {
      hub_.metrics().filingsRejected.increment(caller.id);
      return bodyTimeout(hub_.config().http.body_timeout_ms);
    }
    bodyConsumed_ = body.status == ReceivedBody::Status::Ok;
    if (body.status == ReceivedBody::Status::Failed) {
      response.setKeepAlive(false);
      HttpResult r = problem(503, "spool-unavailable", "Service Unavailable", body.error + "; nothing was filed");
      r.headers.push_back({"Retry-After", "30"});
      return r;
    }
    if (body.status == ReceivedBody::Status::TooLarge) {
      hub_.metrics().filingsRejected.increment(caller.id);
      // The rest of the body is not read: close the connection rather than resync it.
      response.setKeepAlive(false);
      return problem(413, "payload-too-large", "Payload Too Large",
                     "the body exceeds " + std::to_string(partner->maxBodyBytes) + " bytes for partner '" +
                         caller.id + "'");
    }
    std::vector<std::pair<std::string, std::string>> headers;
    for (const auto& [name, value] : request) headers.emplace_back(Poco::toLower(name), value);
    FilingOutcome outcome = hub_.filings().file(caller.id, request.getContentType(), body,
                                                request.get("Idempotency-Key", ""), headers, spool);
    if (outcome.stream) sendStreamed(response, outcome.result, *outcome.stream, hub_.metrics());
    return outcome.result;
  }

  HubServices& hub_;
  bool bodyConsumed_ = false;
  std::unique_ptr<RequestLimits::Slot> identitySlot_;  // released when the handler goes
};

}  // namespace

Poco::Net::HTTPRequestHandler* RequestRouter::createRequestHandler(const Poco::Net::HTTPServerRequest&) {
  return new Handler(hub_);
}

}  // namespace swhub::api
