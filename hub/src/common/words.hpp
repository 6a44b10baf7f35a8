#pragma once
// Words in messages people read.

#include <string>
#include <string_view>

namespace swhub::common {

// "an amendment", "an agency", "a cancellation", "a partner": the article by the word's first
// letter (the hub's words have no silent h or long u).
inline std::string withArticle(std::string_view word) {
  const bool vowel = !word.empty() && std::string_view("aeiouAEIOU").find(word.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(word);
}

}  // namespace swhub::common
