#include "common/actor.hpp"

namespace swhub::common {

std::string toString(const Actor& actor) {
  if (actor.kind == Actor::Kind::Hub) return "hub";
  return std::string(nameIn(kActorKindNames, actor.kind)) + ":" + actor.id;
}

std::optional<Actor> parseActor(std::string_view text) {
  if (text == "hub") return Actor::hub();
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon + 1 == text.size()) return std::nullopt;
  const auto kind = parseIn(kActorKindNames, text.substr(0, colon));
  if (!kind || *kind == Actor::Kind::Hub) return std::nullopt;
  return Actor{*kind, std::string(text.substr(colon + 1))};
}

}  // namespace swhub::common
