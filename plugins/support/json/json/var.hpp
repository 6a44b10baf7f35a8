#pragma once
// Helpers over POCO JSON values for the plugins that parse with Poco::JSON.

#include <Poco/Dynamic/Var.h>

#include <optional>
#include <string>

namespace swhub::plugins::json {

// "null", "object", "array", "string", "boolean", "number" (or "unknown"), for error messages.
std::string typeOf(const Poco::Dynamic::Var& v);

// The text of an amount given as a JSON string or number: strings as written, integers as
// written, other numbers as the shortest fixed-notation text that reads back as the same double
// (POCO keeps no number text). nullopt for anything else (booleans, objects, non-finite).
std::optional<std::string> amountText(const Poco::Dynamic::Var& v);

}  // namespace swhub::plugins::json
