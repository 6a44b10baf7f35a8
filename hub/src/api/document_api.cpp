#include "api/document_api.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/MediaType.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NameValueCollection.h>

#include <cctype>
#include <iterator>
#include <sstream>
#include <variant>

#include "api/case_views.hpp"
#include "common/ids.hpp"
#include "model/json_writer.hpp"
#include "release/document_json.hpp"

namespace swhub::api {
namespace {

// A multipart body's parts other than the file (type, id, code) and its headers: well below this.
constexpr std::int64_t kMultipartEnvelope = 65536;

bool isMultipart(const std::string& contentType) { return documents::essence(contentType) == "multipart/form-data"; }

// The document of an upload: its media type, bytes and names, whichever form the body took.
struct Parsed {
  std::string media_type;
  std::string bytes;
  std::string type, id, code;
};

// A multipart/form-data body: a `file` part (its own Content-Type is the document's media type) and
// the fields `type`, `id` and `code`; a field absent from the body is taken from the query.
std::variant<Parsed, HttpResult> parseMultipart(const DocumentUpload& upload) {
  Parsed parsed{"", "", upload.type, upload.id, upload.code};
  bool file = false;
  try {
    const Poco::Net::MediaType mediaType(upload.content_type);
    const std::string boundary = mediaType.hasParameter("boundary") ? mediaType.getParameter("boundary") : "";
    if (boundary.empty()) {
      return problem(400, "invalid-multipart", "Bad Request", "a multipart/form-data body needs a boundary",
                     {{"Content-Type", "no boundary parameter"}});
    }
    std::istringstream in(upload.body);
    Poco::Net::MultipartReader reader(in, boundary);
    while (reader.hasNextPart()) {
      Poco::Net::MessageHeader header;
      reader.nextPart(header);
      std::string disposition;
      Poco::Net::NameValueCollection params;
      Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition, params);
      const std::string name = params.get("name", "");
      std::string content((std::istreambuf_iterator<char>(reader.stream())), std::istreambuf_iterator<char>());
      if (name == "file") {
        if (file) return problem(400, "invalid-multipart", "Bad Request", "one document per upload", {{"file", "given twice"}});
        file = true;
        parsed.media_type = header.get("Content-Type", "");
        parsed.bytes = std::move(content);
      } else if (name == "type") {
        parsed.type = std::move(content);
      } else if (name == "id") {
        parsed.id = std::move(content);
      } else if (name == "code") {
        parsed.code = std::move(content);
      }
    }
  } catch (const Poco::Exception& e) {
    return problem(400, "invalid-multipart", "Bad Request", "the multipart/form-data body cannot be read: " + e.displayText(),
                   {{"body", e.displayText()}});
  } catch (const std::exception& e) {
    return problem(400, "invalid-multipart", "Bad Request", std::string("the multipart/form-data body cannot be read: ") + e.what(),
                   {{"body", e.what()}});
  }
  if (!file) {
    return problem(400, "invalid-multipart", "Bad Request", "the multipart/form-data body has no `file` part",
                   {{"file", "required part missing"}});
  }
  if (parsed.media_type.empty()) {
    return problem(415, "unsupported-media-type", "Unsupported Media Type", "the `file` part has no Content-Type",
                   {{"file", "Content-Type of the part missing"}});
  }
  return parsed;
}

HttpResult refused(const documents::Refusal& r, const std::string& path) {
  const char* title = r.status == 413 ? "Payload Too Large" : r.status == 415 ? "Unsupported Media Type" : "Bad Request";
  return problem(r.status, r.slug, title, r.detail, {{path, r.detail}});
}

// A file name for the download from the document's type and number: letters, digits, '-', '_', '.'.
std::string fileName(const journal::CaseDocument& d) {
  std::string name = d.type + "-" + d.id;
  for (char& c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '-' && c != '_' && c != '.') c = '_';
  }
  return name;
}

}  // namespace

void writeDocument(std::string& out, const journal::CaseDocument& d, bool withCase) {
  model::ObjectWriter o(out);
  writeDocumentFields(o, d, withCase);
}

void writeDocumentFields(model::ObjectWriter& o, const journal::CaseDocument& d, bool withCase) {
  if (withCase) o.string("case_id", d.case_id, true);
  release::writeDocumentFields(o, d);
}

std::int64_t DocumentApi::maxBodyBytes(const std::string& content_type) const {
  return rules_.max_bytes + (isMultipart(content_type) ? kMultipartEnvelope : 0);
}

std::optional<HttpResult> DocumentApi::mayUpload(const Identity& caller, const std::string& caseId) const {
  if (caller.kind == Identity::Kind::Admin) {
    return problem(403, "not-an-uploader", "Forbidden",
                   caller.actor() + " may read documents but not upload them: the case's partner or an agency it is "
                                    "routed to uploads");
  }
  auto record = journal_.getCase(caseId);
  if (!record) return caseNotFound(caseId);
  if (!maySeeCase(caller, *record, release::CaseStatus::fromJson(record->status_json))) return caseNotFound(caseId);
  return std::nullopt;
}

HttpResult DocumentApi::upload(const Identity& caller, const std::string& caseId, const DocumentUpload& upload) const {
  if (auto refusedCaller = mayUpload(caller, caseId)) return *refusedCaller;
  Parsed parsed{upload.content_type, upload.body, upload.type, upload.id, upload.code};
  std::string where = "body";
  if (isMultipart(upload.content_type)) {
    auto read = parseMultipart(upload);
    if (auto* bad = std::get_if<HttpResult>(&read)) return *bad;
    parsed = std::move(std::get<Parsed>(read));
    where = "file";
  }
  sdk::Errors errors;
  for (auto& [path, message] : documents::checkNames(parsed.type, parsed.id, parsed.code)) {
    errors.push_back({std::move(path), std::move(message)});
  }
  if (!errors.empty()) {
    return problem(400, "invalid-document", "Bad Request", "the document's type and number are needed", errors);
  }
  if (auto refusal = documents::checkDocument(rules_, parsed.media_type, parsed.bytes)) return refused(*refusal, where);
  journal::CaseDocument document;
  document.case_id = caseId;
  document.digest = "sha256:" + common::sha256Hex(parsed.bytes);
  document.type = parsed.type;
  document.code = parsed.code;
  document.id = parsed.id;
  document.media_type = documents::essence(parsed.media_type);
  document.bytes = std::move(parsed.bytes);
  const release::DocumentResult attached = coordinator_.attachDocument(std::move(document), caller.asActor());
  switch (attached.status) {
    case release::DocumentResult::Status::NotFound:
      return caseNotFound(caseId);
    case release::DocumentResult::Status::Unavailable: {
      HttpResult r = problem(503, "journal-unavailable", "Service Unavailable",
                             "the document was not stored: " + attached.detail, {{"body", attached.detail}});
      r.headers.push_back({"Retry-After", "1"});
      return r;
    }
    case release::DocumentResult::Status::Attached:
    case release::DocumentResult::Status::Duplicate:
      break;
  }
  std::string receipt;
  {
    model::ObjectWriter o(receipt);
    writeDocumentFields(o, attached.stored, true);
    o.string("case_state", toString(attached.state), true);
    o.strings("answers_request_of", attached.reopened);
    o.boolean("stored_before", attached.status == release::DocumentResult::Status::Duplicate);
  }
  HttpResult r = json(attached.status == release::DocumentResult::Status::Duplicate ? 200 : 201, std::move(receipt));
  r.headers.push_back({"Location", "/v1/cases/" + caseId + "/documents/" + attached.stored.digest});
  return r;
}

HttpResult DocumentApi::fetch(const Identity& caller, const std::string& caseId, const std::string& digest) const {
  auto record = journal_.getCase(caseId);
  if (!record || !maySeeCase(caller, *record, release::CaseStatus::fromJson(record->status_json))) {
    return caseNotFound(caseId);
  }
  const std::string key = digest.rfind("sha256:", 0) == 0 ? digest : "sha256:" + digest;
  auto document = journal_.caseDocument(caseId, key);
  if (!document) {
    return problem(404, "document-not-found", "Not Found", "case '" + caseId + "' holds no document '" + digest + "'");
  }
  HttpResult r;
  r.contentType = document->media_type;
  r.body = std::move(document->bytes);
  // Served as a download, never rendered by the browser as the hub's own page.
  r.headers.push_back({"Content-Disposition", "attachment; filename=\"" + fileName(*document) + "\""});
  r.headers.push_back({"X-Content-Type-Options", "nosniff"});
  r.headers.push_back({"Content-Security-Policy", "default-src 'none'; sandbox"});
  r.headers.push_back({"Cache-Control", "private, no-store"});
  r.headers.push_back({"ETag", "\"" + key + "\""});
  return r;
}

}  // namespace swhub::api
