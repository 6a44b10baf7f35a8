#pragma once
/// @file status.hpp
/// Errors and results that cross the plugin boundary. Plugin calls never throw across it: they
/// return a Result. Every error names where it is (a dotted config path, a JSON pointer, an
/// XPath-like path or "line L, column C") and what is wrong.

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace swhub::sdk {

/// One error with its location. `path` is empty only when the error concerns the whole input.
struct Error {
  std::string path;
  std::string message;

  bool operator==(const Error&) const = default;
};

using Errors = std::vector<Error>;

/// "path: message", or just the message when the path is empty.
std::string formatError(const Error& error);
/// Every error on its own line, in order.
std::string formatErrors(const Errors& errors);

/// A value or the non-empty list of errors that prevented it.
template <class T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Errors errors) : state_(std::move(errors)) {}  // NOLINT(google-explicit-constructor)
  static Result failure(std::string path, std::string message) {
    return Result(Errors{Error{std::move(path), std::move(message)}});
  }

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(state_); }
  const T& value() const { return std::get<0>(state_); }
  const Errors& errors() const { return std::get<1>(state_); }
  T take() { return std::move(std::get<0>(state_)); }

 private:
  std::variant<T, Errors> state_;
};

}  // namespace swhub::sdk
