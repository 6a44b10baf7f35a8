// Every reason a supporting document is refused, and what passes (README "Supporting documents").
#include <gtest/gtest.h>

#include <string>

#include "documents/document_check.hpp"

namespace swhub::documents {
namespace {

using namespace std::string_literals;

const std::string kPdf = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
const std::string kPng = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s;
const std::string kJpeg = "\xff\xd8\xff\xe0\0\x10JFIF"s;
const std::string kZip = "PK\x03\x04\x14\0\0\0\x08\0"s;

std::optional<Refusal> check(const std::string& type, const std::string& bytes, DocumentRules rules = {}) {
  return checkDocument(rules, type, bytes);
}

TEST(documents_check, EveryDefaultTypeWithItsOwnBytesPasses) {
  EXPECT_FALSE(check("application/pdf", kPdf));
  EXPECT_FALSE(check("image/png", kPng));
  EXPECT_FALSE(check("image/jpeg", kJpeg));
  EXPECT_FALSE(check("application/xml", "<?xml version=\"1.0\"?><invoice/>"));
  EXPECT_FALSE(check("text/xml", "\xef\xbb\xbf  <invoice/>"));
  EXPECT_FALSE(check("application/json", "{\"invoice\":\"INV-1\"}"));
  EXPECT_FALSE(check("text/plain", "Invoice INV-1: 2 x coffee"));
  // Parameters and case do not matter.
  EXPECT_FALSE(check("Application/PDF; name=x.pdf", kPdf));
}

TEST(documents_check, AnEmptyDocumentIsA400) {
  auto r = check("application/pdf", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->slug, "empty-document");
  EXPECT_EQ(r->detail, "the document is empty");
}

TEST(documents_check, AnOversizeDocumentIsA413NamingTheLimit) {
  DocumentRules rules;
  rules.max_bytes = 16;
  auto r = check("text/plain", std::string(17, 'a'), rules);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->slug, "document-too-large");
  EXPECT_EQ(r->detail, "a document is at most 16 bytes (hub.documents.max_bytes)");
  EXPECT_FALSE(check("text/plain", std::string(16, 'a'), rules));
  EXPECT_TRUE(checkSize(rules, 17));
  EXPECT_FALSE(checkSize(rules, 16));
}

TEST(documents_check, ATypeOffTheAllowListIsA415NamingTheAcceptedTypes) {
  auto r = check("image/svg+xml", "<svg/>");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 415);
  EXPECT_EQ(r->slug, "unsupported-media-type");
  EXPECT_EQ(r->detail,
            "'image/svg+xml' is not an accepted document type; accepted: application/pdf, image/png, image/jpeg, "
            "application/xml, text/xml, application/json, text/plain");
  auto none = check("", kPdf);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 415);
}

TEST(documents_check, AnAllowListOfTheSettingsIsTheOneApplied) {
  DocumentRules rules;
  rules.media_types = {"application/pdf"};
  EXPECT_FALSE(check("application/pdf", kPdf, rules));
  auto r = check("image/png", kPng, rules);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->detail, "'image/png' is not an accepted document type; accepted: application/pdf");
}

TEST(documents_check, DeclaredTypesWhoseBytesAreNotThatTypeAreRefusedWithWhatTheyAre) {
  auto pdf = check("application/pdf", "just text, no header");
  ASSERT_TRUE(pdf);
  EXPECT_EQ(pdf->status, 415);
  EXPECT_EQ(pdf->slug, "document-type-mismatch");
  EXPECT_EQ(pdf->detail, "the document is declared application/pdf but its content does not match: no %PDF- header");
  EXPECT_EQ(check("image/png", kJpeg)->detail,
            "the document is declared image/png but its content does not match: bytes of image/jpeg");
  EXPECT_EQ(check("image/jpeg", "not a jpeg")->detail,
            "the document is declared image/jpeg but its content does not match: no JPEG start-of-image marker");
  EXPECT_EQ(check("image/png", "not a png")->detail,
            "the document is declared image/png but its content does not match: no PNG signature");
  EXPECT_EQ(check("text/plain", kPdf)->detail,
            "the document is declared text/plain but its content does not match: bytes of application/pdf");
  EXPECT_EQ(check("text/plain", "a\0b"s)->detail,
            "the document is declared text/plain but its content does not match: binary bytes (NUL) in a text type");
  EXPECT_EQ(check("application/xml", "{\"a\":1}")->detail,
            "the document is declared application/xml but its content does not match: not XML (does not start with '<')");
  EXPECT_EQ(check("application/json", "<a/>")->detail,
            "the document is declared application/json but its content does not match: not a JSON object or array");
  EXPECT_EQ(check("text/plain", "\x7f" "ELF\x02\x01"s)->detail,
            "the document is declared text/plain but its content does not match: bytes of application/x-executable");
}

TEST(documents_check, ArchivesAreRefusedWhateverTheirLabel) {
  auto zipAsPdf = check("application/pdf", kZip);
  ASSERT_TRUE(zipAsPdf);
  EXPECT_EQ(zipAsPdf->status, 415);
  EXPECT_EQ(zipAsPdf->slug, "archive-refused");
  EXPECT_EQ(zipAsPdf->detail,
            "the document is a zip archive (declared application/pdf): archives are refused; upload each document itself");
  EXPECT_EQ(check("text/plain", "\x1f\x8b\x08\0"s)->slug, "archive-refused");
  EXPECT_EQ(check("application/pdf", "7z\xbc\xaf\x27\x1c\0\x04"s)->slug, "archive-refused");
  EXPECT_EQ(check("application/pdf", "Rar!\x1a\x07\x01\0"s)->slug, "archive-refused");
  EXPECT_EQ(check("application/pdf", "\xfd" "7zXZ\0\0"s)->slug, "archive-refused");
  EXPECT_EQ(check("application/pdf", "BZh91AY&SY\0"s)->slug, "archive-refused");
  std::string tar(512, '\0');
  tar.replace(0, 9, "invoice.p");
  tar.replace(257, 6, "ustar\0"s);
  EXPECT_EQ(check("application/pdf", tar)->detail,
            "the document is a tar archive (declared application/pdf): archives are refused; upload each document itself");
  // A text that merely starts like bzip2's name is text.
  EXPECT_FALSE(check("text/plain", "BZh is how bzip2 files start"));
}

TEST(documents_check, SniffNamesKnownMagicAndNothingElse) {
  EXPECT_EQ(sniff(kPdf).what, "application/pdf");
  EXPECT_FALSE(sniff(kPdf).archive);
  EXPECT_EQ(sniff(kZip).what, "zip");
  EXPECT_TRUE(sniff(kZip).archive);
  EXPECT_EQ(sniff("hello").what, "");
}

TEST(documents_check, AnUploadNamesItsTypeAndNumberAndMayCarryACode) {
  EXPECT_TRUE(checkNames("invoice", "INV-1", "").empty());
  EXPECT_TRUE(checkNames("certificate", "VET-2026-1", "C640").empty());
  for (const char* type : {"licence", "proof-of-export", "other"}) EXPECT_TRUE(checkNames(type, "X", "").empty());
  using Errors = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(checkNames("", "", ""),
            (Errors{{"type", "required: one of invoice, certificate, licence, proof-of-export, other"},
                    {"id", "required: the document's own number"}}));
  EXPECT_EQ(checkNames("receipt", "R-1", ""),
            (Errors{{"type", "'receipt' is not one of: invoice, certificate, licence, proof-of-export, other"}}));
  EXPECT_EQ(checkNames("invoice", std::string(129, 'x'), ""), (Errors{{"id", "at most 128 printable characters"}}));
  EXPECT_EQ(checkNames("invoice", "a\nb", ""), (Errors{{"id", "at most 128 printable characters"}}));
  EXPECT_EQ(checkNames("certificate", "C-1", "C 640"),
            (Errors{{"code", "at most 16 letters, digits, '-', '_' or '.' (a document code, e.g. C640)"}}));
}

}  // namespace
}  // namespace swhub::documents
