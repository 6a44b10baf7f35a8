#pragma once
// Turns a buyer's word ("headphones") into an HS subheading of the nomenclature file
// (hub.public_estimate.nomenclature), never by guessing: one subheading, the candidates when the
// word fits several, or none.
//
// Matching: lower case; every run of characters other than ASCII letters and digits is one
// space; a word of more than three letters loses a trailing "s" unless it ends in "ss"
// ("headphones" = "headphone", "dress" stays). A query equal to a keyword wins (every subheading
// with such a keyword); else the subheadings where every word of the query is a word of their
// keywords.

#include <string>
#include <string_view>
#include <vector>

#include "config/public_estimate_config.hpp"

namespace swhub::estimate {

class HeadingSearch {
 public:
  explicit HeadingSearch(std::vector<config::Heading> headings);

  // The subheadings `query` fits, in file order (none, one, or the candidates).
  std::vector<const config::Heading*> search(std::string_view query) const;
  // The subheading an HS code falls under (the longest code that starts it), or nullptr.
  const config::Heading* of(const std::string& hs) const;
  bool empty() const { return headings_.empty(); }

  // The normal form of a text: its words, as above.
  static std::vector<std::string> words(std::string_view text);

 private:
  struct Entry {
    std::vector<std::vector<std::string>> keywords;  // each keyword's words
  };
  std::vector<config::Heading> headings_;
  std::vector<Entry> entries_;
};

}  // namespace swhub::estimate
