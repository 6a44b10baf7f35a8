#pragma once
// GET /v1/whoami: who the caller is to this hub ({kind: partner|agency|admin, id}), so that the
// console shows only what the identity may use (the API refuses the rest in any case).

#include <string_view>

#include "api/http_result.hpp"
#include "api/identity.hpp"

namespace swhub::api {

std::string_view kindName(Identity::Kind kind);
HttpResult whoami(const Identity& caller);

}  // namespace swhub::api
