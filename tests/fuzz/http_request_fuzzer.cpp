// libFuzzer target for what the HTTP front reads from a request before routing it: the request
// line and headers as POCO's server parses them (HTTPRequest::read, what HTTPServerRequestImpl
// does on the socket), then the hub's own pure functions on them: the target's path and query
// (parseTarget), the bearer token (bearerToken), the headers handed to a plugin. A request POCO
// cannot parse is answered 400 by POCO itself; once parsed, the hub's functions must neither throw
// (Handler::handleRequest would answer 500) nor crash, and a refused target is a 400.

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/String.h>

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "api/request_target.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace swhub;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  Poco::Net::HTTPRequest request;
  try {
    request.read(in);
  } catch (const Poco::Exception&) {
    return 0;  // POCO answers 400 before the hub sees the request
  }

  auto target = api::parseTarget(request.getURI());
  if (const auto* refused = std::get_if<api::HttpResult>(&target)) {
    if (refused->status != 400) fuzz::fail("parseTarget refused with status " + std::to_string(refused->status));
  } else {
    const auto& parsed = std::get<api::Target>(target);
    for (const char* name : {"after", "limit", "reference", "partner"}) (void)parsed.value(name);
  }

  if (auto token = api::bearerToken(request.get("Authorization", ""))) {
    if (token->empty() || (*token)[0] == ' ') fuzz::fail("bearerToken returned '" + *token + "'");
  }

  // As fileMessage hands the headers to a partner plugin (MessageContext::headers).
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, value] : request) headers.emplace_back(Poco::toLower(name), value);
  (void)request.get("Idempotency-Key", "");
  (void)request.getContentType();
  return 0;
}
