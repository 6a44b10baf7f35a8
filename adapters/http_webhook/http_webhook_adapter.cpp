// http_webhook: pushes one outbox item (notification or agency task) as an HTTP POST to the
// endpoint's URL. Settings are checked once by the factory; deliver() does no parsing of them.

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "swhub/sdk/plugin.hpp"

namespace swhub::adapters::http_webhook {
namespace {

constexpr std::int64_t kDefaultTimeoutMs = 5000;
constexpr std::size_t kDetailBytes = 200;  // of a refusing receiver's body, in the error detail
// A receiver asking for more than a day is treated as asking for a day.
constexpr std::int64_t kMaxRetryAfterSeconds = 86400;

sdk::Schema settingsSchema() {
  sdk::Schema schema = sdk::Schema::object("HTTP webhook: POSTs each notification or task to one URL");
  schema.required("url", sdk::Schema::string("http:// or https:// URL that receives the POSTs").nonEmpty());
  schema.optional("token", sdk::Schema::string("sent as 'Authorization: Bearer <token>'").nonEmpty());
  schema.optional("timeout_ms",
                  sdk::Schema::integer("connect, send and receive timeout of one delivery, in ms (default 5000)",
                                       100, 60000));
  schema.optional("ca_file",
                  sdk::Schema::string("PEM file of the CAs that sign the receiver's certificate (https only; "
                                      "default: the system's CAs)")
                      .nonEmpty());
  return schema;
}

struct Settings {
  bool https = false;
  std::string host;
  std::uint16_t port = 0;
  std::string target;  // path and query, "/" at least
  std::string token;
  Poco::Timespan timeout;
  std::int64_t timeout_ms = kDefaultTimeoutMs;
  Poco::Net::Context::Ptr context;  // https only
};

std::string at(const std::string& base, const std::string& key) { return base.empty() ? key : base + "." + key; }

// Printable ASCII only, so that a receiver's bytes stay readable text in the journal and in JSON.
std::string printable(const std::string& bytes) {
  std::string out = bytes;
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) c = (u == '\n' || u == '\r' || u == '\t') ? ' ' : '?';
  }
  return out;
}

bool headerSafe(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f;
  });
}

// Seconds ("120") or an HTTP date; nullopt when absent or unreadable.
std::optional<std::chrono::milliseconds> parseRetryAfter(const std::string& value) {
  std::string text = value;
  text.erase(0, text.find_first_not_of(" \t"));
  text.erase(text.find_last_not_of(" \t") + 1);
  if (text.empty()) return std::nullopt;
  if (std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    const std::int64_t seconds = text.size() > 6 ? kMaxRetryAfterSeconds
                                                 : std::min<std::int64_t>(std::stoll(text), kMaxRetryAfterSeconds);
    return std::chrono::seconds(seconds);
  }
  Poco::DateTime date;
  int tz = 0;
  if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT, text, date, tz)) return std::nullopt;
  const Poco::Timestamp when = date.timestamp() - static_cast<Poco::Timestamp::TimeDiff>(tz) * Poco::Timespan::SECONDS;
  const std::int64_t ms = std::clamp<std::int64_t>((when - Poco::Timestamp()) / 1000, 0, kMaxRetryAfterSeconds * 1000);
  return std::chrono::milliseconds(ms);
}

bool retryable(int status) { return status == 408 || status == 425 || status == 429 || status >= 500; }

class HttpWebhookAdapter final : public sdk::Adapter {
 public:
  explicit HttpWebhookAdapter(Settings settings) : settings_(std::move(settings)) {}

  sdk::DeliveryOutcome deliver(const sdk::DeliveryItem& item) const noexcept override {
    try {
      return post(item);
    } catch (const Poco::TimeoutException& e) {
      return retryLater("no answer within " + std::to_string(settings_.timeout_ms) + " ms: " + e.displayText());
    } catch (const Poco::Exception& e) {
      return retryLater(e.displayText());
    } catch (const std::exception& e) {
      return retryLater(e.what());
    } catch (...) {
      return retryLater("unknown error");
    }
  }

 private:
  static sdk::DeliveryOutcome retryLater(std::string detail) {
    sdk::DeliveryOutcome outcome;
    outcome.status = sdk::DeliveryOutcome::Status::RetryLater;
    outcome.detail = "POST failed: " + printable(detail);
    return outcome;
  }

  sdk::DeliveryOutcome post(const sdk::DeliveryItem& item) const {
    // A session per delivery: no state shared between threads, nothing stale to reuse.
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (settings_.https) {
      session = std::make_unique<Poco::Net::HTTPSClientSession>(settings_.host, settings_.port, settings_.context);
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(settings_.host, settings_.port);
    }
    session->setTimeout(settings_.timeout);
    session->setKeepAlive(false);

    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, settings_.target,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType(item.content_type);
    request.setContentLength(static_cast<std::streamsize>(item.body.size()));
    request.set("X-Swhub-Delivery-Id", item.id);
    request.set("X-Swhub-Attempt", std::to_string(item.attempt));
    request.set("X-Swhub-Kind", item.kind);
    if (!settings_.token.empty()) request.set("Authorization", "Bearer " + settings_.token);

    std::ostream& out = session->sendRequest(request);
    out.write(item.body.data(), static_cast<std::streamsize>(item.body.size()));
    out.flush();
    if (!out.good()) return retryLater("the connection broke while sending the body");

    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    const int status = static_cast<int>(response.getStatus());
    sdk::DeliveryOutcome outcome;
    std::string detail = "HTTP " + std::to_string(status) + " " + response.getReason();
    if (status >= 200 && status < 300) {
      outcome.status = sdk::DeliveryOutcome::Status::Delivered;
      outcome.detail = printable(detail);
      return outcome;
    }
    const std::string body = readHead(in);
    if (!body.empty()) detail += ": " + body;
    outcome.detail = printable(detail);
    if (retryable(status)) {
      outcome.status = sdk::DeliveryOutcome::Status::RetryLater;
      if (response.has("Retry-After")) outcome.retry_after = parseRetryAfter(response.get("Retry-After"));
    } else {
      // Other 4xx, and 1xx/3xx (redirects are not followed): the request itself is wrong or the
      // url points elsewhere; a retry would not help. Replay after fixing it.
      outcome.status = sdk::DeliveryOutcome::Status::FailedForGood;
    }
    return outcome;
  }

  // The first bytes of a response body; whatever arrived when the receiver stalls or closes.
  static std::string readHead(std::istream& in) {
    std::string head(kDetailBytes, '\0');
    std::size_t got = 0;
    try {
      while (got < head.size() && in) {
        in.read(head.data() + got, static_cast<std::streamsize>(head.size() - got));
        got += static_cast<std::size_t>(in.gcount());
      }
    } catch (...) {
      // The status line already decided the outcome; the body is only for the detail.
    }
    head.resize(got);
    return head;
  }

  const Settings settings_;
};

sdk::Result<std::unique_ptr<sdk::Adapter>> make(const sdk::InstanceContext& ctx) {
  // The hub validated against the schema already; repeating it keeps the factory safe on its own.
  sdk::Errors errors = settingsSchema().validate(ctx.settings, ctx.path);
  if (!errors.empty()) return errors;

  Settings settings;
  const std::string url = ctx.settings.find("url")->asString();
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    errors.push_back({at(ctx.path, "url"), "'" + url + "' is not a valid URL: " + e.displayText()});
  }
  if (errors.empty()) {
    const std::string scheme = Poco::toLower(uri.getScheme());
    if (scheme != "http" && scheme != "https") {
      errors.push_back({at(ctx.path, "url"), "scheme '" + uri.getScheme() + "' of '" + url +
                                                 "' is not supported; use http:// or https://"});
    } else if (uri.getHost().empty()) {
      errors.push_back({at(ctx.path, "url"), "'" + url + "' names no host"});
    } else if (!uri.getUserInfo().empty()) {
      errors.push_back({at(ctx.path, "url"), "'" + url + "' carries credentials; use the token setting"});
    } else if (!uri.getFragment().empty()) {
      errors.push_back({at(ctx.path, "url"), "'" + url + "' has a fragment (#...), which is never sent"});
    }
    settings.https = scheme == "https";
    settings.host = uri.getHost();
    settings.port = uri.getPort();
    settings.target = uri.getPathAndQuery();
    if (settings.target.empty()) settings.target = "/";
  }
  if (const sdk::Value* token = ctx.settings.find("token")) {
    settings.token = token->asString();
    if (!headerSafe(settings.token)) {
      errors.push_back({at(ctx.path, "token"), "must be printable ASCII without line breaks"});
    }
  }
  if (const sdk::Value* timeout = ctx.settings.find("timeout_ms")) settings.timeout_ms = timeout->asInt();
  settings.timeout = Poco::Timespan(settings.timeout_ms * 1000);

  const sdk::Value* ca_file = ctx.settings.find("ca_file");
  if (ca_file && errors.empty() && !settings.https) {
    errors.push_back({at(ctx.path, "ca_file"), "is only used with an https:// url"});
  }
  if (errors.empty() && settings.https) {
    const std::string ca = ca_file ? ca_file->asString() : std::string();
    try {
      // The receiver's certificate is verified (chain and host name) against ca_file, or the
      // system's CAs when none is given. TLS 1.2 at least, as everywhere in the hub.
      settings.context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", ca,
                                                Poco::Net::Context::VERIFY_RELAXED, 9, ca.empty());
      settings.context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    } catch (const Poco::Exception& e) {
      errors.push_back({at(ctx.path, ca.empty() ? "url" : "ca_file"),
                        (ca.empty() ? "cannot set up TLS: " : "cannot load '" + ca + "': ") + e.displayText()});
    }
  }
  if (!errors.empty()) return errors;
  return std::unique_ptr<sdk::Adapter>(std::make_unique<HttpWebhookAdapter>(std::move(settings)));
}

}  // namespace
}  // namespace swhub::adapters::http_webhook

SWHUB_PLUGIN(Adapter, "http_webhook", "1.0.0", "Pushes notifications and tasks as HTTP(S) POSTs to a URL",
             swhub::adapters::http_webhook::settingsSchema, swhub::adapters::http_webhook::make)
