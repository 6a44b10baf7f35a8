#include "api/json_members.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace swhub::api {
namespace {

// A cursor over JSON text that copies what it passes: enough of a scanner for text the hub
// wrote, and strict enough to refuse anything else.
class Scanner {
 public:
  Scanner(std::string_view text, std::string& out) : text_(text), out_(out) {}

  bool ok() const { return ok_; }
  bool atEnd() {
    space();
    return at_ == text_.size();
  }

  // The next non-space character, not consumed ('\0' at the end).
  char peek() {
    space();
    return at_ < text_.size() ? text_[at_] : '\0';
  }
  bool expect(char c) {
    if (peek() != c) return fail();
    ++at_;
    return true;
  }
  void emit(char c) { out_ += c; }

  // A string token, its text (quotes and escapes as written) appended to `into` when given.
  bool string(std::string* raw) {
    if (peek() != '"') return fail();
    const std::size_t start = at_++;
    while (at_ < text_.size() && text_[at_] != '"') {
      if (static_cast<unsigned char>(text_[at_]) < 0x20) return fail();
      at_ += text_[at_] == '\\' ? 2 : 1;
    }
    if (at_ >= text_.size()) return fail();
    ++at_;
    if (raw) raw->append(text_.substr(start, at_ - start));
    return true;
  }

  // Any value, copied to the output when `copy`.
  bool value(bool copy) {
    const char c = peek();
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++at_;
      if (copy) emit(c);
      if (peek() == close) {
        ++at_;
        if (copy) emit(close);
        return true;
      }
      for (bool first = true;; first = false) {
        if (!first) {
          if (peek() == close) break;
          if (!expect(',')) return false;
          if (copy) emit(',');
        }
        if (c == '{') {
          if (!string(copy ? &out_ : nullptr) || !expect(':')) return false;
          if (copy) emit(':');
        }
        if (!value(copy)) return false;
      }
      ++at_;
      if (copy) emit(close);
      return true;
    }
    if (c == '"') return string(copy ? &out_ : nullptr);
    // A number or a literal: everything up to the next structural character.
    const std::size_t start = at_;
    while (at_ < text_.size() && !std::strchr(",}] \t\r\n", text_[at_])) ++at_;
    if (at_ == start) return fail();
    const std::string_view token = text_.substr(start, at_ - start);
    const bool literal = token == "true" || token == "false" || token == "null";
    const bool number = token.find_first_not_of("0123456789+-.eE") == std::string_view::npos &&
                        (std::isdigit(static_cast<unsigned char>(token.front())) || token.front() == '-');
    if (!literal && !number) return fail();
    if (copy) out_.append(token);
    return true;
  }

  // The members of the object at the cursor, each handed to `member(key)` (the key's raw text,
  // quotes included), which consumes the value; the separators are written here.
  template <class Member>
  bool members(Member member) {
    if (!expect('{')) return false;
    emit('{');
    bool first = true, wroteAny = false;
    while (peek() != '}') {
      if (!first && !expect(',')) return false;
      first = false;
      std::string key;
      if (!string(&key) || !expect(':')) return false;
      if (!member(key, wroteAny)) return false;
    }
    ++at_;
    emit('}');
    return true;
  }

  std::string& out() { return out_; }

 private:
  void space() {
    while (at_ < text_.size() && std::strchr(" \t\r\n", text_[at_]) && text_[at_] != '\0') ++at_;
  }
  bool fail() {
    ok_ = false;
    return false;
  }

  std::string_view text_;
  std::string& out_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

}  // namespace

std::optional<std::size_t> appendWithout(std::string& out, std::string_view json, std::string_view object,
                                         std::initializer_list<std::string_view> drop) {
  const std::size_t before = out.size();
  Scanner s(json, out);
  auto key = [](std::string_view raw) { return raw.substr(1, raw.size() - 2); };  // no escapes in our names
  // A member kept: its key, then its value as `write` copies it.
  auto keep = [&s](const std::string& rawKey, bool& wroteAny, auto write) {
    if (wroteAny) s.emit(',');
    wroteAny = true;
    s.out() += rawKey;
    s.emit(':');
    return write();
  };
  const bool ok = s.members([&](const std::string& rawKey, bool& wroteAny) {
    if (key(rawKey) != object || s.peek() != '{') return keep(rawKey, wroteAny, [&] { return s.value(true); });
    return keep(rawKey, wroteAny, [&] {
      return s.members([&](const std::string& innerKey, bool& innerWrote) {
        if (std::find(drop.begin(), drop.end(), key(innerKey)) != drop.end()) return s.value(false);
        return keep(innerKey, innerWrote, [&] { return s.value(true); });
      });
    });
  });
  if (!ok || !s.ok() || !s.atEnd()) {
    out.resize(before);
    return std::nullopt;
  }
  return out.size() - before;
}

}  // namespace swhub::api
