#pragma once
// POST /v1/cases/{case_id}/documents and GET /v1/cases/{case_id}/documents/{digest} (README
// "Supporting documents"): a case's supporting documents, scoped like the case itself (whoever may
// not read the case gets the case's own 404), checked before they are stored (documents/).

#include <optional>
#include <string>

#include "api/http_result.hpp"
#include "api/identity.hpp"
#include "documents/document_check.hpp"
#include "journal/journal.hpp"
#include "model/json_writer.hpp"
#include "release/coordinator.hpp"

namespace swhub::api {

// An upload as the front received it: the request's Content-Type, its body, and the query's type,
// id and code (a multipart body names them in its own fields instead).
struct DocumentUpload {
  std::string content_type;
  std::string body;
  std::string type;
  std::string id;
  std::string code;
};

class DocumentApi {
 public:
  DocumentApi(journal::Journal& journal, const release::Coordinator& coordinator, documents::DocumentRules rules)
      : journal_(journal), coordinator_(coordinator), rules_(std::move(rules)) {}

  const documents::DocumentRules& rules() const { return rules_; }
  // The most a request body may hold: the document, and a multipart body's envelope around it.
  std::int64_t maxBodyBytes(const std::string& content_type) const;

  // Before the body is read: who may upload to the case (its partner, an agency it is routed to);
  // nullopt when the caller may, else the answer (404 as for the case, 403 for an admin).
  std::optional<HttpResult> mayUpload(const Identity& caller, const std::string& caseId) const;
  HttpResult upload(const Identity& caller, const std::string& caseId, const DocumentUpload& upload) const;
  HttpResult fetch(const Identity& caller, const std::string& caseId, const std::string& digest) const;

 private:
  journal::Journal& journal_;
  const release::Coordinator& coordinator_;
  const documents::DocumentRules rules_;
};

// The receipt of a document and its entry in the case view: {case_id, digest, type, code, id,
// media_type, size, uploaded_by, uploaded_at} (case_id only when `withCase`).
void writeDocument(std::string& out, const journal::CaseDocument& document, bool withCase);
void writeDocumentFields(model::ObjectWriter& out, const journal::CaseDocument& document, bool withCase);

}  // namespace swhub::api
