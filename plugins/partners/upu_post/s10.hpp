#pragma once
// UPU S10 item identifiers: 2 letters (service indicator), 8 digits (serial number), a check
// digit, 2 letters (the country of the post that assigned it), e.g. RR123456785CH.

#include <optional>
#include <string>
#include <string_view>

namespace swhub::plugins::upu_post {

/// True for the S10 shape: [A-Z]{2}[0-9]{9}[A-Z]{2}. The check digit is not looked at.
bool isS10Shape(std::string_view id);

/// The check digit of an 8-digit serial number: weights 8 6 4 2 3 5 9 7, then
/// 11 - (sum mod 11), where 10 becomes 0 and 11 becomes 5. nullopt unless 8 digits.
std::optional<int> s10CheckDigit(std::string_view serial);

/// Why `id` is not a valid S10 identifier ("" when it is): the shape, or the check digit with
/// the digit expected.
std::string s10Problem(std::string_view id);

}  // namespace swhub::plugins::upu_post
