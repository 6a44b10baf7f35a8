#pragma once
// A JSON document that the hub wrote itself (a stored consignment), copied into a view with some
// members of one of its top-level objects left out, without building a DOM: the case view writes
// a partner's consignment without the derived risk fields this way.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace swhub::api {

// Appends `json` (an object) to `out` without the members `drop` of its top-level member
// `object` (when that is an object). Whitespace outside strings is not copied. nullopt, and
// nothing appended, when `json` is not one well-formed JSON object.
std::optional<std::size_t> appendWithout(std::string& out, std::string_view json, std::string_view object,
                                         std::initializer_list<std::string_view> drop);

}  // namespace swhub::api
