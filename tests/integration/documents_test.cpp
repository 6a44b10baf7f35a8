// Supporting documents end to end (issue 14, item 3): a real hub, uploads as a raw body and as
// multipart/form-data, the bytes served back to whoever may read the case and to no one else,
// hostile files refused with the reason, and a request for information answered by a document.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <openssl/sha.h>

#include <cstdio>

#include "hub_process.hpp"
#include "receiver.hpp"
#include "test_json.hpp"

namespace swhub::testing {
namespace {

using namespace std::string_literals;
using Poco::JSON::Object;

constexpr int kMaxBytes = 4096;

const std::string kPdf = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\xe2\xe3\xcf\xd3\n%%EOF\n";
const std::string kPng = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0"s;
const std::string kZip = "PK\x03\x04\x14\0\0\0\x08\0invoice.pdf"s;

std::string sha256(const std::string& bytes) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), md);
  std::string out = "sha256:";
  char hex[3];
  for (unsigned char c : md) {
    std::snprintf(hex, sizeof hex, "%02x", c);
    out += hex;
  }
  return out;
}

// Customs external (it pulls tasks and posts decisions), documents at most kMaxBytes.
std::string config() {
  std::string yaml = withExternalCustoms(exampleConfigText());
  replaceOnce(yaml, "  max_queued: 256\n",
              "  max_queued: 256\n  plugin_dir: " + std::string(SWHUB_PLUGIN_DIR) +
                  "\n  documents: {max_bytes: " + std::to_string(kMaxBytes) + "}\n");
  return yaml;
}

// A toy: customs and product safety (both external) decide on it.
std::string toyFiling(const std::string& reference) {
  return R"({"reference":")" + reference + R"(","filing":"pre-arrival",)"
         R"("parties":{"seller":{"name":"Shop","country":"CN","id":"CN-S1"},"buyer":{"name":"Ana","country":"PT"}},)"
         R"("items":[{"sequence":1,"description":"Wooden toy train","hs":"950300","quantity":1,"unit":"pce",)"
         R"("value":20.00,"currency":"EUR","origin":"CN","nature":"sale","documents":[]}]})";
}

std::string multipart(const std::string& boundary, const std::string& mediaType, const std::string& bytes,
                      const std::map<std::string, std::string>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
  }
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"doc\"\r\nContent-Type: " +
          mediaType + "\r\n\r\n" + bytes + "\r\n--" + boundary + "--\r\n";
  return body;
}

class Documents : public ::testing::Test {
 protected:
  void SetUp() override {
    writeFile(dir_.file("hub.yaml"), config());
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{
        "serve", "--config", dir_.file("hub.yaml"), "--listen", "127.0.0.1:0", "--journal", "sqlite:" + dir_.file("j.db")});
    const auto filed = request(hub_->address(), "POST", "/v1/messages", toyFiling("DOC-1"),
                               {{"Authorization", "Bearer demo-shop-token"},
                                {"Content-Type", "application/vnd.swhub.consignment+json"}});
    ASSERT_EQ(filed.status, 202) << filed.body;
    caseId_ = parse(filed.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
  }

  HttpResponse as(const std::string& who, const std::string& method, const std::string& path,
                  const std::string& body = "", const std::string& contentType = "") {
    std::map<std::string, std::string> headers{{"Authorization", "Bearer demo-" + who + "-token"}};
    if (!contentType.empty()) headers["Content-Type"] = contentType;
    return request(hub_->address(), method, path, body, headers);
  }

  HttpResponse uploadRaw(const std::string& who, const std::string& mediaType, const std::string& bytes,
                         const std::string& query = "type=invoice&id=INV-1") {
    return as(who, "POST", "/v1/cases/" + caseId_ + "/documents?" + query, bytes, mediaType);
  }

  Object::Ptr caseView() {
    const auto r = as("admin", "GET", "/v1/cases/" + caseId_);
    EXPECT_EQ(r.status, 200) << r.body;
    return parse(r.body);
  }

  // The problem's type slug and its first error's message.
  static std::pair<std::string, std::string> refusal(const HttpResponse& r) {
    auto p = parse(r.body);
    std::string slug = p->getValue<std::string>("type");
    slug = slug.substr(slug.rfind(':') + 1);
    auto errors = p->getArray("errors");
    return {slug, errors->size() ? errors->getObject(0)->getValue<std::string>("message") : ""};
  }

  TempDir dir_;
  std::unique_ptr<HubProcess> hub_;
  std::string caseId_;
};

TEST_F(Documents, ARawUploadIsStoredByDigestListedInTheCaseAndTraceAndServedBack) {
  const auto r = uploadRaw("shop", "application/pdf", kPdf);
  ASSERT_EQ(r.status, 201) << r.body;
  auto receipt = parse(r.body);
  EXPECT_EQ(receipt->getValue<std::string>("case_id"), caseId_);
  EXPECT_EQ(receipt->getValue<std::string>("digest"), sha256(kPdf));
  EXPECT_EQ(receipt->getValue<std::string>("type"), "invoice");
  EXPECT_EQ(receipt->getValue<std::string>("id"), "INV-1");
  EXPECT_EQ(receipt->getValue<std::string>("media_type"), "application/pdf");
  EXPECT_EQ(receipt->getValue<std::int64_t>("size"), static_cast<std::int64_t>(kPdf.size()));
  EXPECT_EQ(receipt->getValue<std::string>("uploaded_by"), "partner:demo-shop");
  EXPECT_FALSE(receipt->getValue<std::string>("uploaded_at").empty());
  EXPECT_EQ(r.headers.at("Location"), "/v1/cases/" + caseId_ + "/documents/" + sha256(kPdf));

  auto documents = caseView()->getArray("documents");
  ASSERT_EQ(documents->size(), 1u);
  EXPECT_EQ(documents->getObject(0)->getValue<std::string>("digest"), sha256(kPdf));
  EXPECT_EQ(documents->getObject(0)->getValue<std::string>("id"), "INV-1");

  const auto fetched = as("shop", "GET", "/v1/cases/" + caseId_ + "/documents/" + sha256(kPdf));
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  EXPECT_EQ(fetched.body, kPdf);
  EXPECT_EQ(fetched.headers.at("Content-Type"), "application/pdf");
  EXPECT_EQ(fetched.headers.at("Content-Disposition"), "attachment; filename=\"invoice-INV-1\"");
  EXPECT_EQ(fetched.headers.at("X-Content-Type-Options"), "nosniff");

  const auto trace = as("admin", "GET", "/v1/admin/cases/" + caseId_ + "/trace");
  ASSERT_EQ(trace.status, 200);
  bool seen = false;
  auto events = parse(trace.body)->getArray("events");
  for (std::size_t i = 0; i < events->size(); ++i) {
    auto e = events->getObject(i);
    if (e->getValue<std::string>("kind") != "document") continue;
    seen = true;
    EXPECT_EQ(e->getValue<std::string>("actor"), "partner:demo-shop");
    EXPECT_EQ(e->getObject("detail")->getValue<std::string>("digest"), sha256(kPdf));
  }
  EXPECT_TRUE(seen) << trace.body;

  // The same bytes again: the document as stored, nothing new.
  const auto again = uploadRaw("shop", "application/pdf", kPdf, "type=invoice&id=INV-1");
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(parse(again.body)->getValue<bool>("stored_before"));
  EXPECT_EQ(caseView()->getArray("documents")->size(), 1u);
}

TEST_F(Documents, AMultipartUploadCarriesItsTypeIdAndCertificateCode) {
  const std::string boundary = "swhub-test-boundary-1";
  const auto r = as("shop", "POST", "/v1/cases/" + caseId_ + "/documents",
                    multipart(boundary, "image/png", kPng, {{"type", "certificate"}, {"id", "VET-2026-7"}, {"code", "C640"}}),
                    "multipart/form-data; boundary=" + boundary);
  ASSERT_EQ(r.status, 201) << r.body;
  auto receipt = parse(r.body);
  EXPECT_EQ(receipt->getValue<std::string>("digest"), sha256(kPng));
  EXPECT_EQ(receipt->getValue<std::string>("type"), "certificate");
  EXPECT_EQ(receipt->getValue<std::string>("code"), "C640");
  EXPECT_EQ(receipt->getValue<std::string>("id"), "VET-2026-7");
  EXPECT_EQ(receipt->getValue<std::string>("media_type"), "image/png");
  auto listed = caseView()->getArray("documents")->getObject(0);
  EXPECT_EQ(listed->getValue<std::string>("code"), "C640");
  // The agency the case is routed to reads it too.
  const auto fetched = as("customs", "GET", "/v1/cases/" + caseId_ + "/documents/" + sha256(kPng));
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  EXPECT_EQ(fetched.body, kPng);
  EXPECT_EQ(fetched.headers.at("Content-Type"), "image/png");
}

TEST_F(Documents, WhoeverMayNotReadTheCaseGetsTheCasesOwn404) {
  ASSERT_EQ(uploadRaw("shop", "application/pdf", kPdf).status, 201);
  const std::string path = "/v1/cases/" + caseId_ + "/documents";
  // Another partner: as if the case did not exist, uploading or fetching.
  const auto other = uploadRaw("post", "application/pdf", kPdf);
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(refusal(other).first, "case-not-found");
  EXPECT_EQ(parse(other.body)->getValue<std::string>("detail"), "no case '" + caseId_ + "' for this caller");
  EXPECT_EQ(as("post", "GET", path + "/" + sha256(kPdf)).status, 404);
  // An agency the case is not routed to (food safety: no food here).
  EXPECT_EQ(as("food-safety", "GET", path + "/" + sha256(kPdf)).status, 404);
  EXPECT_EQ(uploadRaw("food-safety", "application/pdf", kPdf).status, 404);
  // A case that does not exist.
  EXPECT_EQ(as("shop", "POST", "/v1/cases/C-NOPE/documents?type=invoice&id=X", kPdf, "application/pdf").status, 404);
  // A digest the case does not hold.
  const auto missing = as("shop", "GET", path + "/sha256:" + std::string(64, '0'));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(refusal(missing).first, "document-not-found");
  // The admin reads, but does not upload.
  EXPECT_EQ(as("admin", "GET", path + "/" + sha256(kPdf)).status, 200);
  EXPECT_EQ(as("admin", "POST", path + "?type=invoice&id=X", kPdf, "application/pdf").status, 403);
}

TEST_F(Documents, HostileFilesAreRefusedWithTheReason) {
  const auto large = uploadRaw("shop", "text/plain", std::string(kMaxBytes + 1, 'a'));
  EXPECT_EQ(large.status, 413);
  EXPECT_EQ(refusal(large), (std::pair<std::string, std::string>{
                                "document-too-large", "a document is at most 4096 bytes (hub.documents.max_bytes)"}));
  const auto notPdf = uploadRaw("shop", "application/pdf", "plain text pretending");
  EXPECT_EQ(notPdf.status, 415);
  EXPECT_EQ(refusal(notPdf).first, "document-type-mismatch");
  const auto zip = uploadRaw("shop", "application/pdf", kZip);
  EXPECT_EQ(zip.status, 415);
  EXPECT_EQ(refusal(zip), (std::pair<std::string, std::string>{
                              "archive-refused", "the document is a zip archive (declared application/pdf): archives "
                                                 "are refused; upload each document itself"}));
  const auto exe = uploadRaw("shop", "application/x-msdownload", "MZ\x90\0"s);
  EXPECT_EQ(exe.status, 415);
  EXPECT_EQ(refusal(exe).first, "unsupported-media-type");
  const auto unnamed = uploadRaw("shop", "application/pdf", kPdf, "type=receipt");
  EXPECT_EQ(unnamed.status, 400);
  EXPECT_EQ(refusal(unnamed).first, "invalid-document");
  // A multipart body whose file part is a zip under a PDF label, and one with no file at all.
  const std::string boundary = "b0undary";
  const auto zipPart = as("shop", "POST", "/v1/cases/" + caseId_ + "/documents",
                          multipart(boundary, "application/pdf", kZip, {{"type", "invoice"}, {"id", "INV-Z"}}),
                          "multipart/form-data; boundary=" + boundary);
  EXPECT_EQ(zipPart.status, 415);
  EXPECT_EQ(refusal(zipPart).first, "archive-refused");
  const auto noFile = as("shop", "POST", "/v1/cases/" + caseId_ + "/documents",
                         "--" + boundary + "\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\ninvoice\r\n--" +
                             boundary + "--\r\n",
                         "multipart/form-data; boundary=" + boundary);
  EXPECT_EQ(noFile.status, 400);
  EXPECT_EQ(refusal(noFile), (std::pair<std::string, std::string>{"invalid-multipart", "required part missing"}));
  // Nothing of these was stored.
  EXPECT_EQ(caseView()->getArray("documents")->size(), 0u);
}

TEST_F(Documents, AnUploadAnsweringARequestForInformationPutsTheCaseBackUnderAssessment) {
  const auto asked = as("customs", "POST", "/v1/agency/decisions",
                        R"({"case_id":")" + caseId_ +
                            R"(","decision":"request-info","reason":"send the invoice","decided_at":"2026-11-28T09:00:00Z"})",
                        "application/json");
  ASSERT_EQ(asked.status, 200) << asked.body;
  ASSERT_EQ(caseView()->getValue<std::string>("state"), "info-requested");
  const auto tasksBefore = parse(as("customs", "GET", "/v1/agency/tasks?after=0").body)->getArray("tasks")->size();

  const auto r = uploadRaw("shop", "application/pdf", kPdf);
  ASSERT_EQ(r.status, 201) << r.body;
  auto receipt = parse(r.body);
  EXPECT_EQ(receipt->getValue<std::string>("case_state"), "under-assessment");
  EXPECT_EQ(receipt->getArray("answers_request_of")->getElement<std::string>(0), "customs");

  auto view = caseView();
  EXPECT_EQ(view->getValue<std::string>("state"), "under-assessment");
  EXPECT_EQ(view->getObject("decisions")->getObject("customs")->getValue<std::string>("outcome"), "pending");
  // Customs is offered the case again.
  auto tasks = parse(as("customs", "GET", "/v1/agency/tasks?after=0").body)->getArray("tasks");
  ASSERT_EQ(tasks->size(), tasksBefore + 1);
  auto task = tasks->getObject(tasks->size() - 1)->getObject("message");
  EXPECT_EQ(task->getValue<std::string>("case_id"), caseId_);
  EXPECT_EQ(task->getValue<std::string>("action"), "assess");
  // The task lists the case's documents, the answer among them, as the case view shows them.
  auto documents = task->getArray("documents");
  ASSERT_TRUE(documents) << "no documents in the re-offered task";
  ASSERT_EQ(documents->size(), 1u);
  EXPECT_EQ(documents->getObject(0)->getValue<std::string>("digest"), receipt->getValue<std::string>("digest"));
  EXPECT_EQ(documents->getObject(0)->getValue<std::string>("media_type"), "application/pdf");
  EXPECT_EQ(documents->getObject(0)->getValue<std::string>("uploaded_by"), "partner:demo-shop");
  // The first offer had none.
  EXPECT_FALSE(tasks->getObject(0)->getObject("message")->has("documents"));
  // The partner is told the document was received.
  const auto pulled = as("shop", "GET", "/v1/notifications?after=0");
  ASSERT_EQ(pulled.status, 200);
  auto list = parse(pulled.body)->getArray("notifications");
  auto last = list->getObject(list->size() - 1)->getObject("message")->getArray("notifications")->getObject(0);
  EXPECT_EQ(last->getValue<std::string>("event"), "document-received");
  EXPECT_EQ(last->getValue<std::string>("state"), "under-assessment");

  // Customs decides again: the case moves on from there.
  const auto cleared = as("customs", "POST", "/v1/agency/decisions",
                          R"({"case_id":")" + caseId_ +
                              R"(","decision":"clear","reason":"invoice seen","decided_at":"2026-11-28T10:00:00Z"})",
                          "application/json");
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_EQ(caseView()->getObject("decisions")->getObject("customs")->getValue<std::string>("outcome"), "clear");
  // A second document answers nothing: no request stands.
  const auto more = uploadRaw("shop", "image/png", kPng, "type=other&id=PHOTO-1");
  ASSERT_EQ(more.status, 201) << more.body;
  EXPECT_EQ(parse(more.body)->getArray("answers_request_of")->size(), 0u);
}

}  // namespace
}  // namespace swhub::testing
