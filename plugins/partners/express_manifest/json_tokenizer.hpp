#pragma once
// A strict, bounded, streaming JSON tokenizer (RFC 8259): it checks the grammar (commas, colons,
// nesting) itself and hands over one token at a time, holding at most one string of
// max_string_bytes (a longer one is consumed and flagged truncated) and a nesting stack of
// kMaxDepth.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "chunk_reader.hpp"

namespace swhub::plugins::express_manifest {

class JsonTokenizer {
 public:
  enum class Token { BeginObject, EndObject, BeginArray, EndArray, Key, String, Number, True, False, Null, End, Error };
  static constexpr std::size_t kMaxDepth = 16;
  static constexpr std::size_t kMaxNumberBytes = 64;

  JsonTokenizer(sdk::ByteSource& source, std::size_t maxStringBytes) : input_(source), maxString_(maxStringBytes) {}

  Token next();
  /// The text of the last Key, String (unescaped) or Number (as written).
  const std::string& text() const { return text_; }
  /// True when the last string was longer than max_string_bytes: text() holds its beginning.
  bool truncated() const { return truncated_; }
  /// Containers open after the last token.
  std::size_t depth() const { return stack_.size(); }
  /// After Error: what is wrong and where ("line 3, column 17: expected ':'").
  const std::string& error() const { return error_; }

  /// The words used in messages: "object", "string", "number", ...
  static const char* describe(Token token);

 private:
  enum class State { Value, FirstValueOrEnd, FirstKeyOrEnd, Key, CommaOrEnd, Done };

  int get();
  void skipSpace();
  Token fail(const std::string& message);
  Token value(int c);
  Token afterValue(Token token);
  bool readString();
  bool readHex(unsigned& out);
  bool readNumber(int first);
  bool readLiteral(const char* rest);
  void put(char c);
  void putUtf8(unsigned code);

  ChunkReader input_;
  std::size_t maxString_;
  State state_ = State::Value;
  std::vector<char> stack_;  // 'o' or 'a'
  std::string text_;
  bool truncated_ = false;
  std::string error_;
  std::uint64_t line_ = 1;
  std::uint64_t column_ = 0;
};

}  // namespace swhub::plugins::express_manifest
