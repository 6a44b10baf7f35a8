#pragma once
/// @file value.hpp
/// A plain tree of settings (what a YAML document holds) that crosses the plugin boundary in
/// place of any parser's own node type. Immutable once built; safe to read from any thread.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace swhub::sdk {

enum class ValueType { Null, Bool, Int, Double, String, List, Map };

/// "null", "boolean", "integer", "number", "string", "list", "map": the words used in errors.
std::string_view typeName(ValueType type);

class Value {
 public:
  using Entry = std::pair<std::string, Value>;

  Value() = default;  ///< null
  static Value boolean(bool v);
  static Value integer(std::int64_t v);
  static Value number(double v);
  static Value string(std::string v);
  static Value list(std::vector<Value> items = {});
  static Value map(std::vector<Entry> entries = {});
  /// A plain (unquoted) YAML scalar, typed as the YAML 1.2 core schema does: null, ~ or empty
  /// -> Null; true/false -> Bool; an integer -> Int; a decimal -> Double; anything else ->
  /// String. asString() keeps `text` exactly as written (an HS code "0101" stays "0101").
  static Value plain(std::string text);

  ValueType type() const { return type_; }
  bool isNull() const { return type_ == ValueType::Null; }
  bool isMap() const { return type_ == ValueType::Map; }
  bool isList() const { return type_ == ValueType::List; }
  /// True for Bool, Int, Double and String.
  bool isScalar() const;

  bool asBool() const { return bool_; }
  std::int64_t asInt() const { return int_; }
  /// Int or Double as a double.
  double asDouble() const;
  /// The scalar as written (for Int, Double and Bool too); empty for null, list and map.
  const std::string& asString() const { return text_; }

  const std::vector<Value>& items() const { return items_; }
  /// Map entries in document order.
  const std::vector<Entry>& entries() const { return entries_; }
  /// The entry with this key, or nullptr (also when this is not a map).
  const Value* find(std::string_view key) const;

  /// Builders, used while a tree is made.
  void push(Value v) { items_.push_back(std::move(v)); }
  void set(std::string key, Value v);

  /// 1-based line and column in the source document, 0 when unknown.
  int line = 0;
  int column = 0;

 private:
  ValueType type_ = ValueType::Null;
  bool bool_ = false;
  std::int64_t int_ = 0;
  double double_ = 0;
  std::string text_;
  std::vector<Value> items_;
  std::vector<Entry> entries_;
};

}  // namespace swhub::sdk
