#include "documents/document_check.hpp"

#include <algorithm>
#include <cctype>

namespace swhub::documents {
namespace {

bool startsWith(std::string_view bytes, std::string_view magic) { return bytes.substr(0, magic.size()) == magic; }

using namespace std::string_view_literals;

// Archives first: a zip under a "PDF" label is an archive, whatever else it claims.
struct Magic {
  std::string_view bytes;
  std::string_view what;
  bool archive;
};
constexpr Magic kMagics[] = {
    {"PK\x03\x04"sv, "zip", true},
    {"PK\x05\x06"sv, "zip", true},
    {"PK\x07\x08"sv, "zip", true},
    {"\x1f\x8b"sv, "gzip", true},
    {"7z\xbc\xaf\x27\x1c"sv, "7z", true},
    {"Rar!\x1a\x07"sv, "rar", true},
    {"\xfd" "7zXZ\x00"sv, "xz", true},
    {"%PDF-"sv, "application/pdf", false},
    {"\x89PNG\r\n\x1a\n"sv, "image/png", false},
    {"\xff\xd8\xff"sv, "image/jpeg", false},
    {"GIF87a"sv, "image/gif", false},
    {"GIF89a"sv, "image/gif", false},
    {"\x7f" "ELF"sv, "application/x-executable", false},
};

bool isTar(std::string_view bytes) { return bytes.size() >= 262 && bytes.substr(257, 5) == "ustar"; }

// "BZh" + block size 1-9 + the first block's magic (pi): not merely a text that starts "BZh".
bool isBzip2(std::string_view bytes) {
  return bytes.size() >= 10 && startsWith(bytes, "BZh") && bytes[3] >= '1' && bytes[3] <= '9' &&
         bytes.substr(4, 6) == "1AY&SY";
}

// The first character after a byte order mark and white space ('\0' when none).
char firstSignificant(std::string_view bytes) {
  if (startsWith(bytes, "\xef\xbb\xbf")) bytes.remove_prefix(3);
  for (char c : bytes) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c;
  }
  return '\0';
}

bool isText(std::string_view bytes) { return bytes.find('\0') == std::string_view::npos; }

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

// Whether the bytes can be what `type` says; "" when they can, else what they are instead.
std::string mismatch(const std::string& type, std::string_view bytes, const Sniffed& sniffed) {
  // A known magic answers for itself: it must be the declared type.
  if (!sniffed.what.empty()) return sniffed.what == type ? "" : "bytes of " + sniffed.what;
  if (type == "application/pdf") return "no %PDF- header";
  if (type == "image/png") return "no PNG signature";
  if (type == "image/jpeg") return "no JPEG start-of-image marker";
  if (type == "image/gif") return "no GIF signature";
  const bool xml = type == "application/xml" || type == "text/xml" || (type.size() > 4 && type.ends_with("+xml"));
  const bool json = type == "application/json" || (type.size() > 5 && type.ends_with("+json"));
  if ((xml || json || type.starts_with("text/")) && !isText(bytes)) return "binary bytes (NUL) in a text type";
  if (xml && firstSignificant(bytes) != '<') return "not XML (does not start with '<')";
  if (json && firstSignificant(bytes) != '{' && firstSignificant(bytes) != '[') {
    return "not a JSON object or array";
  }
  return "";
}

}  // namespace

std::string essence(std::string_view media_type) {
  std::string out(media_type.substr(0, media_type.find(';')));
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
  while (!out.empty() && (out.front() == ' ' || out.front() == '\t')) out.erase(out.begin());
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Sniffed sniff(std::string_view bytes) {
  for (const auto& m : kMagics) {
    if (startsWith(bytes, m.bytes)) return {std::string(m.what), m.archive};
  }
  if (isTar(bytes)) return {"tar", true};
  if (isBzip2(bytes)) return {"bzip2", true};
  return {};
}

std::optional<Refusal> checkSize(const DocumentRules& rules, std::int64_t size) {
  if (size <= rules.max_bytes) return std::nullopt;
  return Refusal{413, "document-too-large",
                 "a document is at most " + std::to_string(rules.max_bytes) + " bytes (hub.documents.max_bytes)"};
}

std::optional<Refusal> checkDocument(const DocumentRules& rules, std::string_view declared, std::string_view bytes) {
  if (bytes.empty()) return Refusal{400, "empty-document", "the document is empty"};
  if (auto large = checkSize(rules, static_cast<std::int64_t>(bytes.size()))) return large;
  const std::string type = essence(declared);
  if (type.empty()) return Refusal{415, "unsupported-media-type", "the document has no media type; accepted: " + joined(rules.media_types)};
  if (std::find(rules.media_types.begin(), rules.media_types.end(), type) == rules.media_types.end()) {
    return Refusal{415, "unsupported-media-type", "'" + type + "' is not an accepted document type; accepted: " +
                                                      joined(rules.media_types)};
  }
  const Sniffed sniffed = sniff(bytes);
  if (sniffed.archive) {
    return Refusal{415, "archive-refused", "the document is a " + sniffed.what + " archive (declared " + type +
                                               "): archives are refused; upload each document itself"};
  }
  if (auto wrong = mismatch(type, bytes, sniffed); !wrong.empty()) {
    return Refusal{415, "document-type-mismatch",
                   "the document is declared " + type + " but its content does not match: " + wrong};
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> checkNames(const std::string& type, const std::string& id,
                                                             const std::string& code) {
  std::vector<std::pair<std::string, std::string>> errors;
  if (type.empty()) {
    errors.push_back({"type", "required: one of invoice, certificate, licence, proof-of-export, other"});
  } else if (std::find(std::begin(kDocumentTypes), std::end(kDocumentTypes), type) == std::end(kDocumentTypes)) {
    errors.push_back({"type", "'" + type + "' is not one of: invoice, certificate, licence, proof-of-export, other"});
  }
  auto printable = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= 0x20 && c != 0x7f; });
  };
  if (id.empty()) {
    errors.push_back({"id", "required: the document's own number"});
  } else if (id.size() > 128 || !printable(id)) {
    errors.push_back({"id", "at most 128 printable characters"});
  }
  const bool codeOk = code.size() <= 16 && std::all_of(code.begin(), code.end(), [](unsigned char c) {
                        return std::isalnum(c) || c == '-' || c == '_' || c == '.';
                      });
  if (!codeOk) errors.push_back({"code", "at most 16 letters, digits, '-', '_' or '.' (a document code, e.g. C640)"});
  return errors;
}

}  // namespace swhub::documents
