#include "xml/parsing.hpp"

namespace swhub::plugins::xml {

std::string trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(kSpace) - first + 1));
}

std::string validationMessage(std::string_view xercesMessage) {
  static constexpr std::string_view kMarker = "Message:";
  if (xercesMessage.starts_with("datatype error"))
    if (const auto at = xercesMessage.find(kMarker); at != std::string_view::npos)
      xercesMessage.remove_prefix(at + kMarker.size());
  return trim(xercesMessage);
}

}  // namespace swhub::plugins::xml
