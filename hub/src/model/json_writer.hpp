#pragma once
// Compact JSON written straight into a string, for the hot paths (the canonical encoders, the
// coordinator's case status, tasks and event details): no DOM, no stream. Readers parse it with
// any JSON parser.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/text_util.hpp"
#include "swhub/sdk/model.hpp"

namespace swhub::model {

// Writes the members of one object; empty strings and absent optionals are left out.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_ += '{'; }
  ~ObjectWriter() { out_ += '}'; }
  ObjectWriter(const ObjectWriter&) = delete;
  ObjectWriter& operator=(const ObjectWriter&) = delete;

  std::string& key(std::string_view name) {
    if (!first_) out_ += ',';
    first_ = false;
    detail::appendJsonString(out_, name);
    out_ += ':';
    return out_;
  }
  void string(std::string_view name, std::string_view value, bool always = false) {
    if (value.empty() && !always) return;
    detail::appendJsonString(key(name), value);
  }
  void raw(std::string_view name, const std::string& text) { key(name) += text; }
  void number(std::string_view name, const std::optional<double>& v) {
    if (v) raw(name, detail::formatDouble(*v));
  }
  void decimal(std::string_view name, const std::optional<sdk::Decimal>& v) {
    if (v) raw(name, v->toString());
  }
  void boolean(std::string_view name, bool value) { key(name) += value ? "true" : "false"; }
  void integer(std::string_view name, long long value) { key(name) += std::to_string(value); }
  void integers(std::string_view name, const std::vector<int>& values) {
    std::string& out = key(name);
    out += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) out += ',';
      out += std::to_string(values[i]);
    }
    out += ']';
  }
  void strings(std::string_view name, const std::vector<std::string>& values) {
    std::string& out = key(name);
    out += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) out += ',';
      detail::appendJsonString(out, values[i]);
    }
    out += ']';
  }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace swhub::model
