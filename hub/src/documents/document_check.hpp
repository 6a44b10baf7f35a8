#pragma once
// What a supporting document must be before the hub stores it (README "Supporting documents"):
// not empty, within the size limit, of a media type on the allow-list, whose bytes are what the
// declared type says (its magic bytes), and never an archive (zip, gzip, 7z, rar, tar, bzip2,
// xz), whatever its label: an archive hides what it holds from the officer who opens it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace swhub::documents {

// hub.documents, validated at start.
struct DocumentRules {
  std::int64_t max_bytes = 10LL << 20;
  std::vector<std::string> media_types{"application/pdf", "image/png",  "image/jpeg", "application/xml",
                                       "text/xml",        "application/json", "text/plain"};
};

// The document types a case may hold.
inline constexpr std::string_view kDocumentTypes[] = {"invoice", "certificate", "licence", "proof-of-export", "other"};

// Why a document is refused: the HTTP status (400, 413, 415), the problem's slug, and the reason.
struct Refusal {
  int status = 400;
  std::string slug;
  std::string detail;
};

// "Application/PDF; charset=x" -> "application/pdf".
std::string essence(std::string_view media_type);

// What the bytes are by their magic (the media type or the archive kind, "zip", "gzip", ...), or
// "" when nothing known: `archive` says which of the two it is.
struct Sniffed {
  std::string what;
  bool archive = false;
};
Sniffed sniff(std::string_view bytes);

// Checks of a whole document. `declared`: its media type as uploaded (parameters allowed).
std::optional<Refusal> checkDocument(const DocumentRules& rules, std::string_view declared, std::string_view bytes);
// The size alone, before the bytes are read (Content-Length): 413 naming the limit.
std::optional<Refusal> checkSize(const DocumentRules& rules, std::int64_t size);
// The document's type, its own number and its code: what the upload names it by.
std::vector<std::pair<std::string, std::string>> checkNames(const std::string& type, const std::string& id,
                                                             const std::string& code);

}  // namespace swhub::documents
