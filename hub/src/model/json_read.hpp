#pragma once
// Reading the hub's own JSON (a case's status, its returns) with RapidJSON: lenient accessors over
// a parsed document that answer the fallback where a member is absent, null or of another type.
// Partner input is never read with these: it goes through the codecs, which name every error.

#include <rapidjson/document.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "model/text_util.hpp"

namespace swhub::model::json {

using Value = rapidjson::Value;

// Parses `text` into `document`; throws std::runtime_error naming `what` unless it is an object.
inline const Value& parseObject(rapidjson::Document& document, const std::string& text, const char* what) {
  document.Parse(text.data(), text.size());  // default precision: see canonical_json_decode.cpp
  if (document.HasParseError() || !document.IsObject())
    throw std::runtime_error(std::string(what) + ": not a JSON object (at byte " +
                             std::to_string(document.GetErrorOffset()) + ")");
  return document;
}

// The member `key` of object `o`, or nullptr (absent, or `o` no object).
inline const Value* member(const Value& o, std::string_view key) {
  if (!o.IsObject()) return nullptr;
  const auto found = o.FindMember(Value(rapidjson::StringRef(key.data(), key.size())));
  return found == o.MemberEnd() ? nullptr : &found->value;
}

// A value as text: a string as it is, an integer or a number as written back; "" for the rest.
inline std::string text(const Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsNumber()) return detail::formatDouble(v.GetDouble());
  return {};
}
inline std::string text(const Value& o, std::string_view key) {
  const Value* v = member(o, key);
  return v ? text(*v) : std::string();
}

inline std::optional<int> integer(const Value& o, std::string_view key) {
  const Value* v = member(o, key);
  if (v && v->IsInt()) return v->GetInt();
  return std::nullopt;
}
inline int integer(const Value& o, std::string_view key, int fallback) { return integer(o, key).value_or(fallback); }

inline double number(const Value& o, std::string_view key, double fallback) {
  const Value* v = member(o, key);
  return v && v->IsNumber() ? v->GetDouble() : fallback;
}

inline bool boolean(const Value& o, std::string_view key, bool fallback) {
  const Value* v = member(o, key);
  return v && v->IsBool() ? v->GetBool() : fallback;
}

// The member if it is an object (or an array), else nullptr.
inline const Value* object(const Value& o, std::string_view key) {
  const Value* v = member(o, key);
  return v && v->IsObject() ? v : nullptr;
}
inline const Value* array(const Value& o, std::string_view key) {
  const Value* v = member(o, key);
  return v && v->IsArray() ? v : nullptr;
}

// Each object element of the array `key`, in order (other elements are skipped).
template <typename Read>
void eachObject(const Value& o, std::string_view key, Read read) {
  if (const Value* a = array(o, key)) {
    for (const auto& element : a->GetArray()) {
      if (element.IsObject()) read(element);
    }
  }
}

inline std::vector<std::string> strings(const Value& o, std::string_view key) {
  std::vector<std::string> out;
  if (const Value* a = array(o, key)) {
    for (const auto& element : a->GetArray()) out.push_back(text(element));
  }
  return out;
}

inline std::vector<int> ints(const Value& o, std::string_view key) {
  std::vector<int> out;
  if (const Value* a = array(o, key)) {
    for (const auto& element : a->GetArray()) out.push_back(element.IsInt() ? element.GetInt() : 0);
  }
  return out;
}

}  // namespace swhub::model::json
