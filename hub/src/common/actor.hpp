#pragma once
// Who did something to a case: the hub itself, a partner, an agency (through the API), an
// administrator, or a plugin working for an agency. Written "hub", "partner:demo-post",
// "agency:customs", "admin:ops", "plugin:rules@food-safety" in the journal and the trace.

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "common/names.hpp"

namespace swhub::common {

struct Actor {
  enum class Kind { Hub, Partner, Agency, Admin, Plugin };
  Kind kind = Kind::Hub;
  std::string id;  // "" for the hub

  static Actor hub() { return {}; }
  static Actor partner(std::string id) { return {Kind::Partner, std::move(id)}; }
  static Actor agency(std::string id) { return {Kind::Agency, std::move(id)}; }
  static Actor admin(std::string id) { return {Kind::Admin, std::move(id)}; }
  static Actor plugin(std::string id) { return {Kind::Plugin, std::move(id)}; }

  bool is(Kind k) const { return kind == k; }
  bool operator==(const Actor&) const = default;
};

inline constexpr NameTable<Actor::Kind, 5> kActorKindNames{{
    {Actor::Kind::Hub, "hub"},
    {Actor::Kind::Partner, "partner"},
    {Actor::Kind::Agency, "agency"},
    {Actor::Kind::Admin, "admin"},
    {Actor::Kind::Plugin, "plugin"},
}};

// "hub", or "<kind>:<id>".
std::string toString(const Actor& actor);
// The actor a text names; nullopt for an unknown kind, a hub with an id or another kind without.
std::optional<Actor> parseActor(std::string_view text);
inline std::ostream& operator<<(std::ostream& out, const Actor& actor) { return out << toString(actor); }

}  // namespace swhub::common
