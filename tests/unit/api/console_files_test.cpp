// The console's static files (api/console_files.hpp): served from the table compiled into the
// hub with their media types and the console's security headers; a name that is not in the table
// (a folder, dots, an encoded traversal) is a 404 problem and never a file from disk.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <variant>

#include "api/console_files.hpp"
#include "api/request_target.hpp"
#include "api/routes.hpp"

namespace swhub::api {
namespace {

std::string header(const HttpResult& r, const std::string& name) {
  for (const auto& [key, value] : r.headers) {
    if (key == name) return value;
  }
  return "";
}

TEST(api_console, TheIndexIsServedAtTheFolderWithItsTypeAndSecurityHeaders) {
  const HttpResult index = consoleFile("");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.contentType, "text/html; charset=utf-8");
  EXPECT_NE(index.body.find("<title>swhub console</title>"), std::string::npos);
  EXPECT_EQ(consoleFile("index.html").body, index.body);
  const std::string csp = header(index, "Content-Security-Policy");
  EXPECT_EQ(csp.rfind("default-src 'self'; script-src 'self'; style-src 'self';", 0), 0u) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(header(index, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(header(index, "Referrer-Policy"), "no-referrer");
}

TEST(api_console, EachFileHasTheMediaTypeOfItsKind) {
  EXPECT_EQ(consoleFile("app.js").contentType, "text/javascript; charset=utf-8");
  EXPECT_EQ(consoleFile("style.css").contentType, "text/css; charset=utf-8");
  EXPECT_EQ(consoleMediaType("chart.svg"), "image/svg+xml");
  EXPECT_EQ(consoleMediaType("README"), "");
  // Every file compiled in is of a kind the console serves, and is served.
  ASSERT_GE(consoleFiles().size(), 3u);
  for (const auto& file : consoleFiles()) {
    EXPECT_NE(consoleMediaType(file.name), "") << file.name;
    EXPECT_EQ(consoleFile(file.name).status, 200) << file.name;
    EXPECT_EQ(header(consoleFile(file.name), "X-Content-Type-Options"), "nosniff") << file.name;
  }
}

TEST(api_console, ANameNotInTheTableIsA404ProblemNeverAFile) {
  for (const char* name : {"missing.js", "..", "../CMakeLists.txt", "..%2fCMakeLists.txt", "%2e%2e", "app.js/",
                           "./app.js", "APP.JS", "app.js%00", "/etc/passwd"}) {
    const HttpResult r = consoleFile(name);
    EXPECT_EQ(r.status, 404) << name;
    EXPECT_EQ(r.contentType, "application/problem+json") << name;
    EXPECT_NE(r.body.find("\"errors\":[{\"path\":\"file\""), std::string::npos) << r.body;
    EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff") << name;
  }
}

// What the router makes of traversals before a name reaches consoleFile: a path with more
// segments under /console/ is no console route at all (the front answers its own 404).
TEST(api_console, TheRouterGivesTheConsoleOneSegmentAndNoMore) {
  auto routeOf = [](const std::string& raw) {
    auto parsed = parseTarget(raw);
    EXPECT_TRUE(std::holds_alternative<Target>(parsed)) << raw;
    return findRoute("GET", std::get<Target>(parsed).path);
  };
  RouteLookup file = routeOf("/console/app.js");
  ASSERT_NE(file.route, nullptr);
  EXPECT_EQ(file.route->endpoint, Endpoint::ConsoleFile);
  EXPECT_EQ(file.params, std::vector<std::string>{"app.js"});
  ASSERT_NE(routeOf("/console/").route, nullptr);
  EXPECT_EQ(routeOf("/console/").route->endpoint, Endpoint::ConsoleFile);
  ASSERT_NE(routeOf("/console").route, nullptr);
  EXPECT_EQ(routeOf("/console").route->endpoint, Endpoint::ConsoleRedirect);
  EXPECT_EQ(routeOf("/console/").access, Access::Public);
  for (const char* raw : {"/console/../hub.yaml", "/console/%2e%2e/%2e%2e/etc/passwd", "/console/a/b.js", "/console//app.js"}) {
    EXPECT_FALSE(routeOf(raw).pathKnown) << raw;
  }
  // An encoded slash is decoded into the one segment: a name with a slash, in no table.
  RouteLookup encoded = routeOf("/console/..%2fhub.yaml");
  if (encoded.route != nullptr) {
    EXPECT_EQ(consoleFile(encoded.params.at(0)).status, 404);
  }
  EXPECT_EQ(findRoute("POST", "/console/app.js").route, nullptr);
  EXPECT_EQ(findRoute("POST", "/console/app.js").allowed, "GET, HEAD");
}

TEST(api_console, ARedirectTakesConsoleToItsFolder) {
  const HttpResult r = consoleRedirect();
  EXPECT_EQ(r.status, 301);
  EXPECT_EQ(header(r, "Location"), "/console/");
}

// The policy forbids inline script and style: the page has none, and every file it loads is in
// the table.
TEST(api_console, ThePageHasNoInlineScriptOrStyleAndLoadsOnlyItsOwnFiles) {
  const std::string index(consoleFile("").body);
  EXPECT_FALSE(std::regex_search(index, std::regex("<script(?![^>]*\\bsrc=)[^>]*>"))) << "an inline script";
  EXPECT_FALSE(std::regex_search(index, std::regex("\\son[a-z]+\\s*="))) << "an inline event handler";
  EXPECT_FALSE(std::regex_search(index, std::regex("\\sstyle\\s*="))) << "an inline style";
  EXPECT_EQ(index.find("<style"), std::string::npos);
  const std::regex reference("(?:src|href)=\"([^\"#:]+)\"");
  std::set<std::string> loaded;
  for (auto it = std::sregex_iterator(index.begin(), index.end(), reference); it != std::sregex_iterator(); ++it) {
    loaded.insert((*it)[1]);
  }
  EXPECT_EQ(loaded, (std::set<std::string>{"app.js", "style.css"}));
  for (const auto& name : loaded) EXPECT_EQ(consoleFile(name).status, 200) << name;
  // The script writes API text as text: no innerHTML, no eval.
  const std::string app(consoleFile("app.js").body);
  EXPECT_EQ(app.find("innerHTML"), std::string::npos);
  EXPECT_EQ(app.find("eval("), std::string::npos);
  EXPECT_NE(app.find("sessionStorage"), std::string::npos);
  EXPECT_EQ(app.find("localStorage"), std::string::npos);
}

}  // namespace
}  // namespace swhub::api
