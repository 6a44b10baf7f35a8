#pragma once
// Reading the members of POCO JSON objects into plain values, with every error as a JSON pointer
// (RFC 6901). POCO stays inside this plugin: nothing here crosses the SDK boundary.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/text.hpp"
#include "json/var.hpp"
#include "swhub/sdk/model.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::plugins::marketplace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// From the JSON plugins' support library (plugins/support/json).
using json::amountText;
using json::invalidUtf8At;
using json::pointerToken;
using json::typeOf;
inline void appendJsonString(std::string& out, std::string_view s) { json::appendString(out, s); }

/// The members of one JSON object. Unknown members are reported when it is built (with the
/// allowed names and the nearest one); known members are read on request, a missing required one
/// reported at its own pointer. null stands for an absent member.
class Fields {
 public:
  Fields(sdk::Errors& errors, const Object::Ptr& object, std::string path, std::vector<std::string_view> allowed);

  /// The pointer of member `name`.
  std::string at(std::string_view name) const { return path_ + "/" + std::string(name); }
  bool has(std::string_view name) const;

  /// A string; a required one must be present and not empty.
  std::string string(std::string_view name, bool required);
  std::optional<double> number(std::string_view name, bool required);
  std::optional<sdk::Decimal> amount(std::string_view name, bool required);
  Object::Ptr object(std::string_view name, bool required);
  Array::Ptr array(std::string_view name, bool required);

 private:
  const Var* get(std::string_view name, bool required);

  sdk::Errors& errors_;
  Object::Ptr object_;
  std::string path_;
  Var value_;  // keeps the value get() returned alive
};

}  // namespace swhub::plugins::marketplace
