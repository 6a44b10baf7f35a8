#pragma once
// A notification's details in the canonical notification JSON (kNotificationJsonType).
//
// sdk::Notification::details is an ordered list of (key, text) pairs in which a key may repeat
// (one `revenue_line` per duty, tax or charge). In JSON, `details` is an object: a key given once
// is a string member, as always; a key given several times, and `revenue_line` even once, is one
// array member at the key's first place, one element per value, in order. A value that is a
// compact JSON object (a revenue_line: {"tax":"vat","item":1,...}) is written as that object, so
// that a reader gets the line's fields instead of an escaped string; any other value stays a
// string. Decoding turns each array element back into its own detail (an object into the same
// compact text), so that decode(encode(details)) == details whenever a repeated key's values are
// consecutive, as the hub writes them.

#include <string>
#include <utility>
#include <vector>

#include <Poco/Dynamic/Var.h>

#include "swhub/sdk/status.hpp"

namespace swhub::model {

using NotificationDetails = std::vector<std::pair<std::string, std::string>>;

/// Appends the `details` object.
void appendNotificationDetails(std::string& out, const NotificationDetails& details);

/// Reads one member of a `details` object (a string, or an array of strings and objects) into
/// `into`; errors carry `path` (the member's JSON pointer).
void readNotificationDetail(const std::string& name, const Poco::Dynamic::Var& value, const std::string& path,
                            NotificationDetails& into, sdk::Errors& errors);

}  // namespace swhub::model
