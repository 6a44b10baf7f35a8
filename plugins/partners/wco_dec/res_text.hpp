#pragma once
// XML text helpers of the RES encoder (res_encoder.cpp, tax_response.cpp).

#include <string>
#include <string_view>

namespace swhub::plugins::wco_dec {

// XML 1.0 text: markup escaped, control characters that XML cannot carry replaced by a space.
inline void appendText(std::string& out, std::string_view text) {
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '&') out += "&amp;";
    else if (ch == '<') out += "&lt;";
    else if (ch == '>') out += "&gt;";
    else if (ch == '"') out += "&quot;";
    else if (c < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') out += ' ';
    else out += ch;
  }
}

// At most `limit` bytes, cut on a UTF-8 character boundary.
inline std::string clip(std::string text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text;
}

inline void leaf(std::string& out, const char* name, std::string_view text) {
  out += '<';
  out += name;
  out += '>';
  appendText(out, text);
  out += "</";
  out += name;
  out += '>';
}

inline void dateTime(std::string& out, const char* name, const std::string& dms) {
  if (dms.empty()) return;
  // DateTimeString belongs to the data-set namespace of the RES schema (ds:).
  out += std::string("<") + name + "><ds:DateTimeString formatCode=\"304\">" + dms + "</ds:DateTimeString></" + name + ">";
}

}  // namespace swhub::plugins::wco_dec
