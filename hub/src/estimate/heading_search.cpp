#include "estimate/heading_search.hpp"

#include <algorithm>

namespace swhub::estimate {

HeadingSearch::HeadingSearch(std::vector<config::Heading> headings) : headings_(std::move(headings)) {
  for (const auto& heading : headings_) {
    Entry entry;
    for (const auto& keyword : heading.keywords) entry.keywords.push_back(words(keyword));
    entries_.push_back(std::move(entry));
  }
}

std::vector<std::string> HeadingSearch::words(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  auto finish = [&] {
    if (word.empty()) return;
    if (word.size() > 3 && word.back() == 's' && word[word.size() - 2] != 's') word.pop_back();
    out.push_back(std::move(word));
    word.clear();
  };
  for (char c : text) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c >= 'A' && c <= 'Z') {
      word += static_cast<char>(c - 'A' + 'a');
    } else if (letter) {
      word += c;
    } else {
      finish();
    }
  }
  finish();
  return out;
}

std::vector<const config::Heading*> HeadingSearch::search(std::string_view query) const {
  const auto wanted = words(query);
  std::vector<const config::Heading*> exact, covering;
  if (wanted.empty()) return exact;
  for (std::size_t i = 0; i < headings_.size(); ++i) {
    const auto& keywords = entries_[i].keywords;
    if (std::find(keywords.begin(), keywords.end(), wanted) != keywords.end()) {
      exact.push_back(&headings_[i]);
      continue;
    }
    const bool covered = std::all_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
      return std::any_of(keywords.begin(), keywords.end(),
                         [&](const std::vector<std::string>& k) { return std::find(k.begin(), k.end(), w) != k.end(); });
    });
    if (covered) covering.push_back(&headings_[i]);
  }
  return exact.empty() ? covering : exact;
}

const config::Heading* HeadingSearch::of(const std::string& hs) const {
  const config::Heading* best = nullptr;
  for (const auto& heading : headings_) {
    if (hs.rfind(heading.hs, 0) == 0 && (best == nullptr || heading.hs.size() > best->hs.size())) best = &heading;
  }
  return best;
}

}  // namespace swhub::estimate
