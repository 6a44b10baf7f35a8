#pragma once
/// @file schema.hpp
/// Declarative schema for YAML settings, used by the hub for its own configuration and by every
/// plugin for its settings, so that all errors look alike and come out together:
///
///   partners.demo-post.settings.max_lines: 0 is out of range [1, 1000000]
///   hub.lisen: unknown key 'lisen'; allowed keys: journal, listen, plugin_dir; did you mean 'listen'?
///
/// Every key carries a description (shown by `swhub check-config --describe`). References
/// between parts of a document (a route naming an agency) are declared with defines()/refersTo()
/// and checked after the whole tree, so a dangling one is reported with its path and the nearest
/// defined name.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "swhub/sdk/status.hpp"
#include "swhub/sdk/value.hpp"

namespace swhub::sdk {

class Schema {
 public:
  enum class Kind { Any, Bool, Int, Number, String, List, Map, Object };

  /// Scalars. Int and Number take an inclusive range; String may take a closed set of values.
  static Schema boolean(std::string description);
  static Schema integer(std::string description, std::int64_t min, std::int64_t max);
  static Schema number(std::string description, double min, double max);
  static Schema string(std::string description);
  static Schema oneOf(std::string description, std::vector<std::string> allowed);
  static Schema any(std::string description);
  /// A list whose every item matches `item`.
  static Schema list(std::string description, Schema item, std::size_t minItems = 0);
  /// A map with free keys (ids) whose every value matches `value`.
  static Schema map(std::string description, Schema value);
  /// An object with declared keys; any other key is an error.
  static Schema object(std::string description);

  /// Object keys (only on object()).
  Schema& required(std::string key, Schema schema);
  Schema& optional(std::string key, Schema schema);

  /// On a map(): its keys define names in `space` (e.g. "agency"). On a string: the value does.
  Schema& defines(std::string space);
  /// On a string or a list of strings: the value must be a name defined in `space`.
  Schema& refersTo(std::string space);
  /// On a string: the value must not be empty.
  Schema& nonEmpty();

  Kind kind() const { return kind_; }
  const std::string& description() const { return description_; }

  /// Validates `value` found at `path` (dotted, "" for the root). Returns every error, in
  /// document order, references included. `extraNames` adds names defined elsewhere (e.g. the
  /// plugins a library registered) to the reference spaces.
  Errors validate(const Value& value, const std::string& path = "",
                  const std::map<std::string, std::set<std::string>>& extraNames = {}) const;

  /// A readable outline of every key and its description, indented.
  std::string describe() const;

  struct Field;
  struct State;

 private:
  void check(const Value& value, const std::string& path, State& state) const;
  void describeInto(std::string& out, int indent) const;

  Kind kind_ = Kind::Any;
  std::string description_;
  std::int64_t intMin_ = 0, intMax_ = 0;
  double numMin_ = 0, numMax_ = 0;
  std::vector<std::string> allowed_;
  std::shared_ptr<const Schema> element_;  // list item or map value
  std::vector<Field> fields_;             // object keys, in declaration order
  std::string defines_;
  std::string refersTo_;
  std::size_t minItems_ = 0;
  bool nonEmpty_ = false;
};

struct Schema::Field {
  std::string key;
  bool required = false;
  std::shared_ptr<const Schema> schema;
};

/// The name in `candidates` nearest to `name` (edit distance at most max(2, |name|/3)), or "".
std::string nearestName(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace swhub::sdk
