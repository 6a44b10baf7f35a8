#pragma once
// What the HTTP front reads from a request before routing it: the target (path and query) and a
// bearer token. Pure functions, apart from any socket, so that they are unit-tested and fuzzed
// (tests/fuzz/http_request_fuzzer.cpp) on their own.

#include <optional>
#include <string>
#include <variant>

#include <Poco/URI.h>

#include "api/http_result.hpp"

namespace swhub::api {

// The request target, decoded once: its path and its query parameters.
struct Target {
  std::string path;
  Poco::URI::QueryParameters query;

  // The first value of query parameter `name`, or "".
  std::string value(const std::string& name) const;
};

// A client's bad percent-encoding ("/v1/cases/%zz", "?reference=%4") is a 400 naming where it is,
// never a 500: the target, or the problem to answer. Never throws.
std::variant<Target, HttpResult> parseTarget(const std::string& raw);

// The token of "Bearer <token>": the scheme in any case and one or more spaces before the token
// (RFC 9110, 11.4); nullopt for another scheme or no token.
std::optional<std::string> bearerToken(const std::string& authorization);

}  // namespace swhub::api
