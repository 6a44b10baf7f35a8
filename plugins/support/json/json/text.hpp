#pragma once
// JSON text helpers for the partner plugins that read or write JSON by hand.

#include <cstddef>
#include <string>
#include <string_view>

namespace swhub::plugins::json {

// Appends `s` as a JSON string literal: quotes, backslashes and control characters escaped
// (\n, \r, \t by name, the others as \u00XX); everything else, UTF-8 included, as is.
void appendString(std::string& out, std::string_view s);

// The byte offset of the first ill-formed UTF-8 sequence in `s` (overlong forms, surrogates and
// values above U+10FFFF included), or npos when all of it is well-formed.
std::size_t invalidUtf8At(std::string_view s);

// A member name as a JSON pointer token (RFC 6901: "~" -> "~0", "/" -> "~1").
std::string pointerToken(std::string_view name);

}  // namespace swhub::plugins::json
