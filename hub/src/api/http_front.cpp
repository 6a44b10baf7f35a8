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
#include "api/console_files.hpp"
#include "api/hub_services.hpp"
#include "api/openapi_document.hpp"
#include "api/read_deadlines.hpp"
#include "api/request_target.hpp"
#include "api/routes.hpp"
#include "api/whoami.hpp"

namespace swhub::api {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr std::int64_t kMaxDecisionBytes = 65536;
constexpr std::int64_t kMaxLicenceBytes = 65536;
constexpr std::int64_t kMaxDryRunBytes = 1 << 20;
constexpr std::int64_t kMaxEstimateBytes = 65536;

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
  // Flushed here, while the connection gathers the response's writes into one send (POCO's
  // stream would hand its last bytes over only when the response is destroyed: a second send).
  response.send().write(result.body.data(), static_cast<std::streamsize>(result.body.size())).flush();
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
  out.flush();
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
    // Every route is in the table (routes.cpp); the OpenAPI document is tested against it.
    RouteLookup found = findRoute(method, path);

    // The public routes answer before any identity is asked for, and refuse a method they do not serve.
    if (found.pathKnown && found.access == Access::Public) {
      if (found.route == nullptr) return methodNotAllowed(found.allowed);
      return serve(*found.route, found.params, request, response, uri, nullptr);
    }
    if (path.rfind("/v1/", 0) != 0) return notFound(path);

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
    // The admin API, known paths or not, is refused whole to everyone else.
    if (path.rfind("/v1/admin/", 0) == 0 && caller->kind != Identity::Kind::Admin) {
      return problem(403, "not-an-admin", "Forbidden", caller->actor() + " may not use the admin API");
    }
    if (!found.pathKnown) return notFound(path);
    if (found.route == nullptr) return methodNotAllowed(found.allowed);
    return serve(*found.route, found.params, request, response, uri, &*caller);
  }

  HttpResult serve(const Route& route, const std::vector<std::string>& params, HTTPServerRequest& request,
                   HTTPServerResponse& response, const Target& uri, const Identity* caller) {
    switch (route.endpoint) {
      case Endpoint::Healthz:
        return json(200, "{\"status\":\"ok\"}");
      case Endpoint::Readyz: {
        if (hub_.ready()) return json(200, "{\"status\":\"ready\",\"journal\":\"writable\"}");
        HttpResult r = problem(503, "not-ready", "Service Unavailable", "the journal cannot write");
        r.headers.push_back({"Retry-After", "30"});
        return r;
      }
      case Endpoint::Metrics: {
        HttpResult r;
        r.contentType = "text/plain; version=0.0.4";
        r.body = hub_.renderMetrics();
        return r;
      }
      case Endpoint::OpenApi: {
        HttpResult r;
        r.contentType = "application/yaml";
        r.body = std::string(openApiDocument());
        return r;
      }
      case Endpoint::ConsignmentSchema: {
        HttpResult r;
        r.contentType = "application/schema+json";
        r.body = std::string(consignmentJsonSchema());
        return r;
      }
      case Endpoint::ReceiptCertificate: {
        // Public: whoever holds a receipt verifies it with this certificate.
        if (!hub_.hasReceipts()) return problem(404, "no-receipt-certificate", "Not Found", "this hub signs no receipts");
        HttpResult r;
        r.contentType = "application/x-pem-file";
        r.body = hub_.receipts().certificatePem();
        return r;
      }
      case Endpoint::FileMessage: {
        HttpResult filed = fileMessage(request, response, *caller);
        if (filed.status == 202) hub_.wakeWorkers();
        return filed;
      }
      case Endpoint::Notifications:
        return hub_.agencyApi().notifications(*caller, uri.value("after"), uri.value("limit"));
      case Endpoint::AgencyTasks:
        return hub_.agencyApi().tasks(*caller, uri.value("after"), uri.value("limit"));
      case Endpoint::AgencyDecision:
        return decide(request, response, *caller);
      case Endpoint::AgencyStats:
        return hub_.agencyApi().stats(*caller, uri.value("from"), uri.value("to"));
      case Endpoint::CasesByReference:
        return hub_.cases().search(*caller, uri.query);
      case Endpoint::CaseById:
        return hub_.cases().byId(*caller, params.at(0));
      case Endpoint::CaseDocumentUpload: {
        HttpResult uploaded = uploadDocument(request, response, *caller, params.at(0), uri);
        if (uploaded.status == 201) hub_.wakeWorkers();  // an answered request offers tasks again
        return uploaded;
      }
      case Endpoint::CaseDocument:
        return hub_.documentApi().fetch(*caller, params.at(0), params.at(1));
      case Endpoint::AccountStatement:
        if (uri.value("reconcile") == "true") return hub_.accountApi().reconciliation(*caller, params.at(0), params.at(1));
        return hub_.accountApi().statement(*caller, params.at(0), params.at(1), uri.value("format"));
      case Endpoint::AdminRoutes:
        return hub_.adminApi().routes();
      case Endpoint::AdminReload:
        return hub_.adminApi().reload();
      case Endpoint::AdminStats:
        return hub_.adminApi().stats(uri.value("from"), uri.value("to"));
      case Endpoint::AdminDeadLetters:
        return hub_.adminApi().deadLetters(uri.value("after"), uri.value("limit"));
      case Endpoint::AdminReplay:
        return hub_.adminApi().replay(params.at(0));
      case Endpoint::AdminTrace:
        return hub_.adminApi().trace(params.at(0));
      case Endpoint::AdminLicences:
        return hub_.licenceApi().list(uri.value("agency"));
      case Endpoint::AdminLicenceAdd: {
        auto text = boundedBody(request, kMaxLicenceBytes);
        if (bodyCut()) return bodyTimeout(hub_.config().http.body_timeout_ms);
        if (!text) return problem(413, "payload-too-large", "Payload Too Large", "a licence is at most 64 KiB");
        return hub_.licenceApi().add(*text);
      }
      case Endpoint::AdminLicence:
        return hub_.licenceApi().get(params.at(0), params.at(1));
      case Endpoint::AdminLicenceUpdate: {
        auto text = boundedBody(request, kMaxLicenceBytes);
        if (bodyCut()) return bodyTimeout(hub_.config().http.body_timeout_ms);
        if (!text) return problem(413, "payload-too-large", "Payload Too Large", "a licence is at most 64 KiB");
        return hub_.licenceApi().update(params.at(0), params.at(1), *text);
      }
      case Endpoint::Whoami:
        return whoami(*caller);
      case Endpoint::ConsoleRedirect:
        return consoleRedirect();
      case Endpoint::ConsoleFile:
        return consoleFile(params.empty() ? std::string_view() : std::string_view(params.at(0)));
      case Endpoint::AdminRoutesDryRun: {
        auto text = boundedBody(request, kMaxDryRunBytes);
        if (bodyCut()) return bodyTimeout(hub_.config().http.body_timeout_ms);
        if (!text) return problem(413, "payload-too-large", "Payload Too Large", "a dry run is at most 1 MiB");
        return hub_.routeDryRun().run(*text);
      }
      case Endpoint::PublicEstimate:
        return hub_.estimates().get(request.clientAddress().host().toString(), uri.query);
      case Endpoint::PublicEstimateBody:
        return estimateBody(request, response);
    }
    return notFound(uri.path);
  }

  HttpResult decide(HTTPServerRequest& request, HTTPServerResponse& response, const Identity& caller) {
    auto body = boundedBody(request, kMaxDecisionBytes);
    if (bodyCut()) return bodyTimeout(hub_.config().http.body_timeout_ms);
    if (!body) {
      response.setKeepAlive(false);
      return problem(413, "payload-too-large", "Payload Too Large",
                     "a decision is at most " + std::to_string(kMaxDecisionBytes) + " bytes");
    }
    HttpResult decided = hub_.agencyApi().decide(caller, *body);
    if (decided.status == 200) hub_.wakeWorkers();
    return decided;
  }

  // A supporting document (document_api.hpp): who may upload is checked before a byte is read; the
  // body is read up to the document limit (and a multipart envelope), else 413 naming the limit.
  HttpResult uploadDocument(HTTPServerRequest& request, HTTPServerResponse& response, const Identity& caller,
                            const std::string& caseId, const Target& uri) {
    const DocumentApi& documents = hub_.documentApi();
    if (auto refused = documents.mayUpload(caller, caseId)) return *refused;
    const std::string contentType = request.get("Content-Type", "");
    auto body = boundedBody(request, documents.maxBodyBytes(contentType));
    if (bodyCut()) return bodyTimeout(hub_.config().http.body_timeout_ms);
    if (!body) {
      response.setKeepAlive(false);
      const std::string limit = "a document is at most " + std::to_string(documents.rules().max_bytes) +
                                " bytes (hub.documents.max_bytes)";
      return problem(413, "document-too-large", "Payload Too Large", limit, {{"body", limit}});
    }
    return documents.upload(caller, caseId, {contentType, std::move(*body), uri.value("type"), uri.value("id"),
                                              uri.value("code")});
  }

  HttpResult estimateBody(HTTPServerRequest& request, HTTPServerResponse& response) {
    // The address pays before its body is read: a refused one costs no read.
    if (auto refused = hub_.estimates().admit(request.clientAddress().host().toString())) return *refused;
    auto body = boundedBody(request, kMaxEstimateBytes);
    if (bodyCut()) return bodyTimeout(hub_.config().http.body_timeout_ms);
    if (!body) {
      response.setKeepAlive(false);
      return problem(413, "payload-too-large", "Payload Too Large",
                     "an estimate's body is at most " + std::to_string(kMaxEstimateBytes) + " bytes");
    }
    return hub_.estimates().answerBody(*body);
  }

  // The body up to `limit` bytes (nullopt past it), with the front's bookkeeping of what was read.
  std::optional<std::string> boundedBody(HTTPServerRequest& request, std::int64_t limit) {
    auto read = readBody(request, limit);
    bodyRead();
    bodyConsumed_ = read.has_value();
    return read;
  }

  static HttpResult notFound(const std::string& path) {
    return problem(404, "not-found", "Not Found", "no resource at '" + path + "'");
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
