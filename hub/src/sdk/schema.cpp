#include "swhub/sdk/schema.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <system_error>

namespace swhub::sdk {

// What a validation pass collects. References are kept in the same ordered list as errors and
// resolved once the whole tree (and so every definition) has been seen: that keeps the
// document order even though a route may name an agency defined further down.
struct Schema::State {
  struct Entry {
    Error error;
    std::string space;  // non-empty: a pending reference to `name` in `space`
    std::string name;
  };
  std::vector<Entry> entries;
  std::map<std::string, std::set<std::string>> defined;

  void fail(std::string path, std::string message) {
    entries.push_back({Error{std::move(path), std::move(message)}, {}, {}});
  }
};

namespace {

std::string childPath(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

std::string formatNumber(double v) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return ec == std::errc() ? std::string(buffer, end) : std::string("?");
}

std::string suggestion(const std::string& name, const std::vector<std::string>& candidates) {
  std::string nearest = nearestName(name, candidates);
  return nearest.empty() ? std::string() : "; did you mean '" + nearest + "'?";
}

std::size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace

std::string nearestName(const std::string& name, const std::vector<std::string>& candidates) {
  std::vector<std::string> sorted = candidates;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t limit = std::max<std::size_t>(2, name.size() / 3);
  std::string best;
  std::size_t bestDistance = limit + 1;
  for (const auto& candidate : sorted) {
    const std::size_t d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

// ---- construction ----

Schema Schema::boolean(std::string description) {
  Schema s;
  s.kind_ = Kind::Bool;
  s.description_ = std::move(description);
  return s;
}

Schema Schema::integer(std::string description, std::int64_t min, std::int64_t max) {
  Schema s;
  s.kind_ = Kind::Int;
  s.description_ = std::move(description);
  s.intMin_ = min;
  s.intMax_ = max;
  return s;
}

Schema Schema::number(std::string description, double min, double max) {
  Schema s;
  s.kind_ = Kind::Number;
  s.description_ = std::move(description);
  s.numMin_ = min;
  s.numMax_ = max;
  return s;
}

Schema Schema::string(std::string description) {
  Schema s;
  s.kind_ = Kind::String;
  s.description_ = std::move(description);
  return s;
}

Schema Schema::oneOf(std::string description, std::vector<std::string> allowed) {
  Schema s = string(std::move(description));
  s.allowed_ = std::move(allowed);
  return s;
}

Schema Schema::any(std::string description) {
  Schema s;
  s.kind_ = Kind::Any;
  s.description_ = std::move(description);
  return s;
}

Schema Schema::list(std::string description, Schema item, std::size_t minItems) {
  Schema s;
  s.kind_ = Kind::List;
  s.description_ = std::move(description);
  s.element_ = std::make_shared<const Schema>(std::move(item));
  s.minItems_ = minItems;
  return s;
}

Schema Schema::map(std::string description, Schema value) {
  Schema s;
  s.kind_ = Kind::Map;
  s.description_ = std::move(description);
  s.element_ = std::make_shared<const Schema>(std::move(value));
  return s;
}

Schema Schema::object(std::string description) {
  Schema s;
  s.kind_ = Kind::Object;
  s.description_ = std::move(description);
  return s;
}

Schema& Schema::required(std::string key, Schema schema) {
  fields_.push_back(Field{std::move(key), true, std::make_shared<const Schema>(std::move(schema))});
  return *this;
}

Schema& Schema::optional(std::string key, Schema schema) {
  fields_.push_back(Field{std::move(key), false, std::make_shared<const Schema>(std::move(schema))});
  return *this;
}

namespace {
// A list of strings takes defines/refersTo/nonEmpty for its items.
void onItems(std::shared_ptr<const Schema>& element, const std::function<void(Schema&)>& change) {
  auto copy = std::make_shared<Schema>(*element);
  change(*copy);
  element = std::move(copy);
}
}  // namespace

Schema& Schema::defines(std::string space) {
  if (kind_ == Kind::List) {
    onItems(element_, [&](Schema& s) { s.defines(space); });
  } else {
    defines_ = std::move(space);
  }
  return *this;
}

Schema& Schema::refersTo(std::string space) {
  if (kind_ == Kind::List) {
    onItems(element_, [&](Schema& s) { s.refersTo(space); });
  } else {
    refersTo_ = std::move(space);
  }
  return *this;
}

Schema& Schema::nonEmpty() {
  if (kind_ == Kind::List) {
    onItems(element_, [](Schema& s) { s.nonEmpty(); });
  } else {
    nonEmpty_ = true;
  }
  return *this;
}

// ---- validation ----

Errors Schema::validate(const Value& value, const std::string& path,
                        const std::map<std::string, std::set<std::string>>& extraNames) const {
  State state;
  state.defined = extraNames;
  check(value, path, state);

  Errors errors;
  for (auto& entry : state.entries) {
    if (entry.space.empty()) {
      errors.push_back(std::move(entry.error));
      continue;
    }
    const auto& names = state.defined[entry.space];
    if (names.contains(entry.name)) continue;
    std::string message = "unknown " + entry.space + " '" + entry.name + "'; ";
    if (names.empty()) {
      message += "none is defined";
    } else {
      const std::vector<std::string> sorted(names.begin(), names.end());
      message += "defined: " + join(sorted) + suggestion(entry.name, sorted);
    }
    errors.push_back(Error{std::move(entry.error.path), std::move(message)});
  }
  return errors;
}

namespace {
std::string_view expectedWord(Schema::Kind kind) {
  switch (kind) {
    case Schema::Kind::Bool: return typeName(ValueType::Bool);
    case Schema::Kind::Int: return typeName(ValueType::Int);
    case Schema::Kind::Number: return typeName(ValueType::Double);
    case Schema::Kind::String: return typeName(ValueType::String);
    case Schema::Kind::List: return typeName(ValueType::List);
    case Schema::Kind::Map:
    case Schema::Kind::Object: return typeName(ValueType::Map);
    case Schema::Kind::Any: return "any";
  }
  return "any";
}

bool accepts(Schema::Kind kind, const Value& value) {
  switch (kind) {
    case Schema::Kind::Any: return true;
    case Schema::Kind::Bool: return value.type() == ValueType::Bool;
    case Schema::Kind::Int: return value.type() == ValueType::Int;
    case Schema::Kind::Number:
      return value.type() == ValueType::Int || value.type() == ValueType::Double;
    case Schema::Kind::String: return value.isScalar();
    // An empty `key:` in YAML is null: read it as an empty list or map.
    case Schema::Kind::List: return value.isList() || value.isNull();
    case Schema::Kind::Map:
    case Schema::Kind::Object: return value.isMap() || value.isNull();
  }
  return false;
}
}  // namespace

void Schema::check(const Value& value, const std::string& path, State& state) const {
  if (!accepts(kind_, value)) {
    state.fail(path, "expected " + std::string(expectedWord(kind_)) + ", got " +
                         std::string(typeName(value.type())));
    return;
  }
  switch (kind_) {
    case Kind::Any:
    case Kind::Bool:
      return;
    case Kind::Int:
      if (value.asInt() < intMin_ || value.asInt() > intMax_) {
        state.fail(path, value.asString() + " is out of range [" + std::to_string(intMin_) + ", " +
                             std::to_string(intMax_) + "]");
      }
      return;
    case Kind::Number:
      if (!(value.asDouble() >= numMin_ && value.asDouble() <= numMax_)) {
        state.fail(path, value.asString() + " is out of range [" + formatNumber(numMin_) + ", " +
                             formatNumber(numMax_) + "]");
      }
      return;
    case Kind::String: {
      const std::string& text = value.asString();
      if (nonEmpty_ && text.empty()) {
        state.fail(path, "must not be empty");
        return;
      }
      if (!allowed_.empty() && std::find(allowed_.begin(), allowed_.end(), text) == allowed_.end()) {
        state.fail(path, "'" + text + "' is not one of: " + join(allowed_) + suggestion(text, allowed_));
        return;
      }
      if (!defines_.empty()) state.defined[defines_].insert(text);
      if (!refersTo_.empty()) state.entries.push_back({Error{path, {}}, refersTo_, text});
      return;
    }
    case Kind::List: {
      const auto& items = value.items();
      if (items.size() < minItems_) {
        state.fail(path, "expected at least " + std::to_string(minItems_) + " item(s), got " +
                             std::to_string(items.size()));
      }
      for (std::size_t i = 0; i < items.size(); ++i) {
        element_->check(items[i], path + "[" + std::to_string(i) + "]", state);
      }
      return;
    }
    case Kind::Map:
      for (const auto& [key, item] : value.entries()) {
        if (!defines_.empty()) state.defined[defines_].insert(key);
        element_->check(item, childPath(path, key), state);
      }
      return;
    case Kind::Object: {
      for (const auto& [key, item] : value.entries()) {
        auto field = std::find_if(fields_.begin(), fields_.end(),
                                  [&](const Field& f) { return f.key == key; });
        if (field != fields_.end()) {
          field->schema->check(item, childPath(path, key), state);
          continue;
        }
        std::vector<std::string> keys;
        for (const auto& f : fields_) keys.push_back(f.key);
        std::sort(keys.begin(), keys.end());
        state.fail(childPath(path, key),
                   "unknown key '" + key + "'; " +
                       (keys.empty() ? "no keys are allowed"
                                     : "allowed keys: " + join(keys) + suggestion(key, keys)));
      }
      // Missing keys come after what the object does hold, in declaration order.
      for (const auto& f : fields_) {
        if (f.required && value.find(f.key) == nullptr) {
          state.fail(childPath(path, f.key), "required key missing: " + f.schema->description());
        }
      }
      return;
    }
  }
}

// ---- description ----

namespace {
std::string typeWord(const Schema& schema, const Schema* element) {
  switch (schema.kind()) {
    case Schema::Kind::List: return "list of " + (element ? typeWord(*element, nullptr) : "any");
    case Schema::Kind::Any: return "any";
    default: return std::string(expectedWord(schema.kind()));
  }
}
}  // namespace

std::string Schema::describe() const {
  std::string out;
  if (kind_ == Kind::Object) {
    describeInto(out, 0);
  } else {
    out += "(" + typeWord(*this, element_.get()) + "): " + description_ + "\n";
    describeInto(out, 1);
  }
  return out;
}

void Schema::describeInto(std::string& out, int indent) const {
  auto line = [&](const std::string& key, const Schema& s, const std::string& flag) {
    std::string details;
    if (s.kind_ == Kind::Int) {
      details += "; range [" + std::to_string(s.intMin_) + ", " + std::to_string(s.intMax_) + "]";
    }
    if (s.kind_ == Kind::Number) {
      details += "; range [" + formatNumber(s.numMin_) + ", " + formatNumber(s.numMax_) + "]";
    }
    const bool isList = s.kind_ == Kind::List;
    const Schema& leaf = isList ? *s.element_ : s;
    if (!leaf.allowed_.empty()) details += (isList ? "; each one of: " : "; one of: ") + join(leaf.allowed_);
    if (!leaf.refersTo_.empty()) details += (isList ? "; each refers to: " : "; refers to: ") + leaf.refersTo_;
    if (leaf.nonEmpty_) details += isList ? "; no empty item" : "; not empty";
    if (!s.defines_.empty()) details += (s.kind_ == Kind::Map ? "; keys define: " : "; defines: ") + s.defines_;
    if (s.minItems_ > 0) details += "; at least " + std::to_string(s.minItems_) + " item(s)";
    out += std::string(2 * indent, ' ') + key + " (" + typeWord(s, s.element_.get()) + flag +
           "): " + s.description_ + details + "\n";
    s.describeInto(out, indent + 1);
  };
  switch (kind_) {
    case Kind::Object:
      for (const auto& f : fields_) line(f.key, *f.schema, f.required ? ", required" : ", optional");
      return;
    case Kind::Map:
      line("<name>", *element_, "");
      return;
    case Kind::List:
      if (element_->kind_ == Kind::Object || element_->kind_ == Kind::Map) line("[]", *element_, "");
      return;
    default:
      return;
  }
}

}  // namespace swhub::sdk
