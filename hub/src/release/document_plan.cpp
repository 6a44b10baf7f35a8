// Supporting documents in the release coordinator (README "Supporting documents"): a document is
// journaled with its case's trace event; the filer's document answers a request for information,
// which puts the case back under assessment by the agencies that asked.
#include "common/ids.hpp"
#include "model/json_writer.hpp"
#include "release/coordinator.hpp"
#include "release/document_json.hpp"

namespace swhub::release {
namespace {

std::string documentDetail(const journal::CaseDocument& d, const std::vector<std::string>& reopened) {
  std::string out;
  {
    model::ObjectWriter o(out);
    o.string("digest", d.digest, true);
    o.string("type", d.type, true);
    o.string("code", d.code);
    o.string("id", d.id, true);
    o.string("media_type", d.media_type, true);
    o.integer("size", d.size);
    if (!reopened.empty()) o.strings("answers_request_of", reopened);
  }
  return out;
}

// What the re-offered task lists: every document the case holds, the one that answered last, each
// as the case view shows it (fetch one with GET /v1/cases/{case_id}/documents/{digest}).
std::string documentsJson(std::vector<journal::CaseDocument> documents, const journal::CaseDocument& added) {
  documents.push_back(added);
  std::string out = "[";
  for (std::size_t i = 0; i < documents.size(); ++i) {
    const auto& d = documents[i];
    if (i > 0) out += ',';
    model::ObjectWriter o(out);
    writeDocumentFields(o, d);
  }
  return out + "]";
}

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

}  // namespace

DocumentResult Coordinator::attachDocument(journal::CaseDocument document, const Actor& actor) const {
  DocumentResult result;
  for (int attempt = 0; attempt < 8; ++attempt) {
    auto record = journal_.getCase(document.case_id);
    if (!record) {
      result.status = DocumentResult::Status::NotFound;
      return result;
    }
    const Instant now = common::nowInstant();
    document.uploaded_by = actor;
    document.uploaded_at = now;
    document.size = static_cast<std::int64_t>(document.bytes.size());
    CaseStatus status = CaseStatus::fromJson(record->status_json);
    journal::WriteBatch batch;
    const bool filer = actor.is(Actor::Kind::Partner) && actor.id == record->partner;
    const std::vector<std::string> reopened = filer ? answerRequests(status, now) : std::vector<std::string>{};
    batch.events.push_back({0, record->id, now, actor, "document", {}, {}, documentDetail(document, reopened), ""});
    batch.documents.push_back(document);
    CaseState state = record->state;
    if (!reopened.empty()) {
      state = deriveState(status);
      batch.case_updates.push_back({record->id, record->version, state, "", "", now, status.toJson()});
      // The agencies that asked get their task again, with the case as it is now.
      CaseStatus asked;
      for (const auto& agency : reopened) asked.agencies[agency] = status.agencies.at(agency);
      planTasks(batch, *record, record->consignment_json, asked, "assess", now,
                documentsJson(journal_.caseDocuments(record->id), document));
      planTransition(batch, *record, status, record->state, state, actor, now, "", "document-received",
                     "document " + document.type + " " + document.id + " received; " + joined(reopened) +
                         " to decide again",
                     {}, "",
                     {{"document_digest", document.digest}, {"document_type", document.type},
                      {"document_id", document.id}});
    }
    auto committed = journal_.commit(std::move(batch));
    if (committed.status == journal::CommitResult::Status::Stale) continue;  // the case changed: read again
    if (committed.status == journal::CommitResult::Status::Duplicate) {
      result.status = DocumentResult::Status::Duplicate;
      result.state = record->state;
      if (auto held = journal_.caseDocument(document.case_id, document.digest)) {
        result.stored = std::move(*held);
        result.stored.bytes.clear();
      }
      return result;
    }
    if (committed.status != journal::CommitResult::Status::Committed) {
      result.status = DocumentResult::Status::Unavailable;
      result.detail = committed.error;
      return result;
    }
    result.status = DocumentResult::Status::Attached;
    result.state = state;
    result.reopened = reopened;
    document.bytes.clear();
    result.stored = std::move(document);
    return result;
  }
  result.status = DocumentResult::Status::Unavailable;
  result.detail = "the case kept changing; try again";
  return result;
}

}  // namespace swhub::release
