#include "api/whoami.hpp"

#include <string>

#include "model/json_writer.hpp"

namespace swhub::api {

std::string_view kindName(Identity::Kind kind) {
  switch (kind) {
    case Identity::Kind::Partner:
      return "partner";
    case Identity::Kind::Agency:
      return "agency";
    case Identity::Kind::Admin:
      return "admin";
  }
  return "partner";
}

HttpResult whoami(const Identity& caller) {
  std::string body;
  {
    model::ObjectWriter w(body);
    w.string("kind", kindName(caller.kind), true);
    w.string("id", caller.id, true);
  }
  return json(200, std::move(body));
}

}  // namespace swhub::api
