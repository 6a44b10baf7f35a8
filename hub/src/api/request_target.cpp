#include "api/request_target.hpp"

#include <Poco/Exception.h>
#include <Poco/String.h>

namespace swhub::api {

std::string Target::value(const std::string& name) const {
  for (const auto& [key, v] : query) {
    if (key == name) return v;
  }
  return "";
}

std::variant<Target, HttpResult> parseTarget(const std::string& raw) {
  Target target;
  const auto queryAt = raw.find('?');
  try {
    const Poco::URI uri(raw);
    target.path = uri.getPath();
  } catch (const Poco::Exception& e) {
    return problem(400, "invalid-target", "Bad Request", "the request target is not a valid URI",
                   {{"path", "'" + raw.substr(0, queryAt) + "': " + e.message()}});
  }
  if (queryAt != std::string::npos) {
    try {
      target.query = Poco::URI(raw).getQueryParameters();
    } catch (const Poco::Exception& e) {
      return problem(400, "invalid-query", "Bad Request", "the query string is not valid",
                     {{"query", "'" + raw.substr(queryAt + 1) + "': " + e.message()}});
    }
  }
  return target;
}

std::optional<std::string> bearerToken(const std::string& authorization) {
  static const std::string kScheme = "bearer";
  if (authorization.size() <= kScheme.size() || Poco::icompare(authorization.substr(0, kScheme.size()), kScheme) != 0 ||
      authorization[kScheme.size()] != ' ') {
    return std::nullopt;
  }
  const auto start = authorization.find_first_not_of(' ', kScheme.size());
  if (start == std::string::npos) return std::nullopt;
  return authorization.substr(start);
}

}  // namespace swhub::api
