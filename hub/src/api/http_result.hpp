#pragma once
// What a handler answers, independent of POCO, so the filing logic is testable on its own.
// Every error is RFC 7807 problem JSON with an `errors` list of {path, message}.

#include <string>
#include <utility>
#include <vector>

#include "swhub/sdk/status.hpp"

namespace Poco::JSON {
class Object;
}

namespace swhub::api {

struct HttpResult {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

inline constexpr const char* kProblemJson = "application/problem+json";

// type is a short slug ("invalid-filing"), published as "urn:swhub:problem:<slug>".
HttpResult problem(int status, const std::string& slug, const std::string& title, const std::string& detail,
                   const sdk::Errors& errors = {});

HttpResult json(int status, std::string body);

// A POCO JSON object as text (the handlers that still build a DOM).
std::string stringify(const Poco::JSON::Object& object);

}  // namespace swhub::api
