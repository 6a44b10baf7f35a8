#pragma once
// Enums whose names cross an edge (HTTP, journal columns, plugins). Inside the hub a state, a
// decision or a channel is a value and is compared as one; its name is written and read only at
// the edge, through one table per enum, so that a name and its value can never drift apart.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace swhub::common {

template <typename E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

// The name of `value` in `table` ("" for a value the table does not list: none does).
template <typename E, std::size_t N>
constexpr std::string_view nameIn(const NameTable<E, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return {};
}

// The value named `text` exactly; nullopt for any other text.
template <typename E, std::size_t N>
constexpr std::optional<E> parseIn(const NameTable<E, N>& table, std::string_view text) {
  for (const auto& [v, name] : table) {
    if (name == text) return v;
  }
  return std::nullopt;
}

}  // namespace swhub::common
