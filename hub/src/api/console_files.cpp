#include "api/console_files.hpp"

#include <string>

namespace swhub::api {
namespace {

// Scripts, styles, images and API calls from the hub only; no inline script or style, no plugin,
// no frame, no form posted elsewhere.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

void secure(HttpResult& result) {
  result.headers.push_back({"Content-Security-Policy", kContentSecurityPolicy});
  result.headers.push_back({"X-Content-Type-Options", "nosniff"});
  result.headers.push_back({"Referrer-Policy", "no-referrer"});
  result.headers.push_back({"X-Frame-Options", "DENY"});
}

bool endsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

std::string_view consoleMediaType(std::string_view name) {
  if (endsWith(name, ".html")) return "text/html; charset=utf-8";
  if (endsWith(name, ".css")) return "text/css; charset=utf-8";
  if (endsWith(name, ".js")) return "text/javascript; charset=utf-8";
  if (endsWith(name, ".svg")) return "image/svg+xml";
  if (endsWith(name, ".json")) return "application/json";
  return "";
}

HttpResult consoleFile(std::string_view name) {
  if (name.empty()) name = "index.html";
  for (const ConsoleFile& file : consoleFiles()) {
    const std::string_view type = consoleMediaType(file.name);
    if (file.name != name || type.empty()) continue;
    HttpResult r;
    r.contentType = std::string(type);
    r.body = std::string(file.body);
    // The console changes with the hub: revalidated, never served stale after an upgrade.
    r.headers.push_back({"Cache-Control", "no-cache"});
    secure(r);
    return r;
  }
  HttpResult r = problem(404, "not-found", "Not Found", "the console has no file '" + std::string(name) + "'",
                         {{"file", "not a file of the console"}});
  secure(r);
  return r;
}

HttpResult consoleRedirect() {
  HttpResult r;
  r.status = 301;
  r.contentType = "text/plain; charset=utf-8";
  r.body = "/console/\n";
  r.headers.push_back({"Location", "/console/"});
  secure(r);
  return r;
}

}  // namespace swhub::api
