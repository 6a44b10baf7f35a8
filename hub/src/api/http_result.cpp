#include "api/http_result.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

namespace swhub::api {

HttpResult problem(int status, const std::string& slug, const std::string& title, const std::string& detail,
                   const sdk::Errors& errors) {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("type", "urn:swhub:problem:" + slug);
  body.set("title", title);
  body.set("status", status);
  body.set("detail", detail);
  Poco::JSON::Array list;
  for (const auto& e : errors) {
    Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
    item.set("path", e.path);
    item.set("message", e.message);
    list.add(item);
  }
  body.set("errors", list);
  return HttpResult{status, kProblemJson, stringify(body), {}};
}

std::string stringify(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

HttpResult json(int status, std::string body) { return HttpResult{status, "application/json", std::move(body), {}}; }

}  // namespace swhub::api
