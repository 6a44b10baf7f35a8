#include "json_tokenizer.hpp"

#include <cstdio>

namespace swhub::plugins::express_manifest {

namespace {

bool isDigit(int c) { return c >= '0' && c <= '9'; }

std::string shown(int c) {
  if (c == ChunkReader::kEnd) return "the end of the input";
  if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "byte 0x%02X", c);
  return buffer;
}

}  // namespace

const char* JsonTokenizer::describe(Token t) {
  switch (t) {
    case Token::BeginObject: case Token::EndObject: return "object";
    case Token::BeginArray: case Token::EndArray: return "array";
    case Token::Key: case Token::String: return "string";
    case Token::Number: return "number";
    case Token::True: case Token::False: return "boolean";
    case Token::Null: return "null";
    case Token::End: return "the end of the input";
    case Token::Error: break;
  }
  return "an error";
}

int JsonTokenizer::get() {
  const int c = input_.get();
  if (c == '\n') {
    ++line_;
    column_ = 0;
  } else {
    ++column_;
  }
  return c;
}

void JsonTokenizer::skipSpace() {
  for (int c = input_.peek(); c == ' ' || c == '\t' || c == '\n' || c == '\r'; c = input_.peek()) get();
}

JsonTokenizer::Token JsonTokenizer::fail(const std::string& message) {
  error_ = "line " + std::to_string(line_) + ", column " + std::to_string(column_) + ": " + message;
  state_ = State::Done;
  stack_.clear();
  return Token::Error;
}

JsonTokenizer::Token JsonTokenizer::next() {
  if (!error_.empty()) return Token::Error;
  for (;;) {
    skipSpace();
    const int c = get();
    switch (state_) {
      case State::Done:
        if (c == ChunkReader::kEnd) return Token::End;
        return fail("unexpected " + shown(c) + " after the end of the document");
      case State::Value:
        return value(c);
      case State::FirstValueOrEnd:
        if (c == ']') {
          stack_.pop_back();
          return afterValue(Token::EndArray);
        }
        return value(c);
      case State::FirstKeyOrEnd:
      case State::Key:
        if (c == '}' && state_ == State::FirstKeyOrEnd) {
          stack_.pop_back();
          return afterValue(Token::EndObject);
        }
        if (c != '"') return fail("expected a string key, got " + shown(c));
        if (!readString()) return Token::Error;
        skipSpace();
        if (const int colon = get(); colon != ':') return fail("expected ':' after a key, got " + shown(colon));
        state_ = State::Value;
        return Token::Key;
      case State::CommaOrEnd: {
        const char open = stack_.back();
        if (c == ',') {
          state_ = open == 'o' ? State::Key : State::Value;
          continue;
        }
        if (c == (open == 'o' ? '}' : ']')) {
          stack_.pop_back();
          return afterValue(open == 'o' ? Token::EndObject : Token::EndArray);
        }
        return fail(std::string("expected ',' or '") + (open == 'o' ? '}' : ']') + "', got " + shown(c));
      }
    }
  }
}

JsonTokenizer::Token JsonTokenizer::afterValue(Token token) {
  state_ = stack_.empty() ? State::Done : State::CommaOrEnd;
  return token;
}

JsonTokenizer::Token JsonTokenizer::value(int c) {
  if (c == '{' || c == '[') {
    if (stack_.size() == kMaxDepth) return fail("nesting deeper than " + std::to_string(kMaxDepth));
    stack_.push_back(c == '{' ? 'o' : 'a');
    state_ = c == '{' ? State::FirstKeyOrEnd : State::FirstValueOrEnd;
    return c == '{' ? Token::BeginObject : Token::BeginArray;
  }
  if (c == '"') return readString() ? afterValue(Token::String) : Token::Error;
  if (c == '-' || isDigit(c)) return readNumber(c) ? afterValue(Token::Number) : Token::Error;
  if (c == 't') return readLiteral("rue") ? afterValue(Token::True) : Token::Error;
  if (c == 'f') return readLiteral("alse") ? afterValue(Token::False) : Token::Error;
  if (c == 'n') return readLiteral("ull") ? afterValue(Token::Null) : Token::Error;
  return fail("expected a value, got " + shown(c));
}

bool JsonTokenizer::readLiteral(const char* rest) {
  for (const char* p = rest; *p != '\0'; ++p) {
    const int c = get();
    if (c != *p) return fail("expected a value, got " + shown(c)), false;
  }
  return true;
}

bool JsonTokenizer::readNumber(int first) {
  text_.assign(1, static_cast<char>(first));
  for (int c = input_.peek(); isDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'; c = input_.peek()) {
    if (text_.size() == kMaxNumberBytes) return fail("a number longer than " + std::to_string(kMaxNumberBytes) + " characters"), false;
    text_.push_back(static_cast<char>(get()));
  }
  // -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
  std::size_t i = text_[0] == '-' ? 1 : 0;
  auto digits = [&] {
    const std::size_t from = i;
    while (i < text_.size() && isDigit(text_[i])) ++i;
    return i - from;
  };
  const std::size_t intStart = i;
  const std::size_t intDigits = digits();
  bool ok = intDigits > 0 && !(intDigits > 1 && text_[intStart] == '0');
  if (ok && i < text_.size() && text_[i] == '.') {
    ++i;
    ok = digits() > 0;
  }
  if (ok && i < text_.size() && (text_[i] == 'e' || text_[i] == 'E')) {
    ++i;
    if (i < text_.size() && (text_[i] == '+' || text_[i] == '-')) ++i;
    ok = digits() > 0;
  }
  if (!ok || i != text_.size()) return fail("'" + text_ + "' is not a JSON number"), false;
  return true;
}

void JsonTokenizer::put(char c) {
  if (text_.size() >= maxString_) truncated_ = true;
  else text_.push_back(c);
}

void JsonTokenizer::putUtf8(unsigned code) {
  if (code < 0x80) {
    put(static_cast<char>(code));
  } else if (code < 0x800) {
    put(static_cast<char>(0xC0 | (code >> 6)));
    put(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    put(static_cast<char>(0xE0 | (code >> 12)));
    put(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    put(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    put(static_cast<char>(0xF0 | (code >> 18)));
    put(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    put(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    put(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

bool JsonTokenizer::readHex(unsigned& out) {
  out = 0;
  for (int k = 0; k < 4; ++k) {
    const int c = get();
    unsigned digit = 0;
    if (isDigit(c)) digit = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') digit = static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') digit = static_cast<unsigned>(c - 'A' + 10);
    else return fail("expected a hex digit in a \\u escape, got " + shown(c)), false;
    out = out * 16 + digit;
  }
  return true;
}

bool JsonTokenizer::readString() {
  text_.clear();
  truncated_ = false;
  for (;;) {
    const int c = get();
    if (c == '"') return true;
    if (c == ChunkReader::kEnd) return fail("a string is not closed before the end of the input"), false;
    if (c < 0x20) return fail("a control character (" + shown(c) + ") inside a string: escape it"), false;
    if (c != '\\') {
      put(static_cast<char>(c));
      continue;
    }
    const int e = get();
    switch (e) {
      case '"': put('"'); break;
      case '\\': put('\\'); break;
      case '/': put('/'); break;
      case 'b': put('\b'); break;
      case 'f': put('\f'); break;
      case 'n': put('\n'); break;
      case 'r': put('\r'); break;
      case 't': put('\t'); break;
      case 'u': {
        unsigned code = 0;
        if (!readHex(code)) return false;
        if (code >= 0xD800 && code < 0xDC00) {
          unsigned low = 0;
          if (get() != '\\' || get() != 'u' || !readHex(low) || low < 0xDC00 || low > 0xDFFF)
            return error_.empty() ? (fail("a high surrogate \\u escape without its low surrogate"), false) : false;
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        } else if (code >= 0xDC00 && code < 0xE000) {
          return fail("a low surrogate \\u escape without its high surrogate"), false;
        }
        putUtf8(code);
        break;
      }
      default:
        return fail("'\\' followed by " + shown(e) + " is not a JSON escape"), false;
    }
  }
}

}  // namespace swhub::plugins::express_manifest
