#include "s10.hpp"

namespace swhub::plugins::upu_post {

namespace {
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

bool isS10Shape(std::string_view id) {
  if (id.size() != 13) return false;
  for (std::size_t i = 0; i < 13; ++i) {
    const bool letter = i < 2 || i >= 11;
    if (letter ? !isUpper(id[i]) : !isDigit(id[i])) return false;
  }
  return true;
}

std::optional<int> s10CheckDigit(std::string_view serial) {
  static constexpr int kWeights[8] = {8, 6, 4, 2, 3, 5, 9, 7};
  if (serial.size() != 8) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    if (!isDigit(serial[i])) return std::nullopt;
    sum += (serial[i] - '0') * kWeights[i];
  }
  const int check = 11 - sum % 11;
  return check == 10 ? 0 : check == 11 ? 5 : check;
}

std::string s10Problem(std::string_view id) {
  if (!isS10Shape(id))
    return "'" + std::string(id) +
           "' is not a UPU S10 item identifier: 2 letters, 8 digits, a check digit and 2 letters expected";
  const int expected = *s10CheckDigit(id.substr(2, 8));
  const int actual = id[10] - '0';
  if (actual == expected) return {};
  return "'" + std::string(id) + "' has S10 check digit " + std::to_string(actual) + ", expected " +
         std::to_string(expected);
}

}  // namespace swhub::plugins::upu_post
