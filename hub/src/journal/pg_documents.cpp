// Supporting documents (documents.hpp) in the PostgreSQL journal: the SQL of migration 4's tables
// (pg_schema.cpp), as sqlite_documents.cpp is for SQLite.
#include "journal/audit_chain.hpp"
#include "journal/pg_store.hpp"

namespace swhub::journal::pg {
namespace {

constexpr const char* kDocumentColumns =
    "case_id, digest, type, code, id, media_type, size, uploaded_by, uploaded_at";

CaseDocument readDocument(const Result& r, int row) {
  CaseDocument d;
  d.case_id = r.text(row, 0);
  d.digest = r.text(row, 1);
  d.type = r.text(row, 2);
  d.code = r.text(row, 3);
  d.id = r.text(row, 4);
  d.media_type = r.text(row, 5);
  d.size = r.integer(row, 6);
  d.uploaded_by = sqlite::storedActor(r.text(row, 7));
  d.uploaded_at = instantText(r.text(row, 8));
  return d;
}

}  // namespace

std::optional<std::string> insertDocuments(Conn& db, const std::vector<CaseDocument>& documents) {
  for (const auto& d : documents) {
    // The writer holds the chain's head (the batch has events): no other writer links meanwhile;
    // the unique constraint stays the backstop.
    if (db.exec("SELECT 1 FROM case_documents WHERE case_id = $1 AND digest = $2", Params().text(d.case_id).text(d.digest))
            .rows()) {
      return "case " + d.case_id + " holds document " + d.digest + " already";
    }
    const auto size = static_cast<std::int64_t>(d.bytes.size());
    db.exec("INSERT INTO document_blobs (digest, size, bytes, stored_at) VALUES ($1, $2, $3, $4)"
            " ON CONFLICT (digest) DO NOTHING",
            Params().text(d.digest).integer(size).bytes(d.bytes).text(common::toString(d.uploaded_at)));
    db.exec("INSERT INTO case_documents (case_id, digest, type, code, id, media_type, size, uploaded_by, uploaded_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            Params().text(d.case_id).text(d.digest).text(d.type).text(d.code).text(d.id).text(d.media_type)
                .integer(size).text(common::toString(d.uploaded_by)).text(common::toString(d.uploaded_at)));
  }
  return std::nullopt;
}

std::vector<CaseDocument> documentsOf(Conn& db, const std::string& case_id) {
  auto r = db.exec(std::string("SELECT ") + kDocumentColumns + " FROM case_documents WHERE case_id = $1 ORDER BY seq",
                   Params().text(case_id));
  std::vector<CaseDocument> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(readDocument(r, i));
  return out;
}

std::optional<CaseDocument> documentOf(Conn& db, const std::string& case_id, const std::string& digest) {
  auto r = db.exec(
      "SELECT l.case_id, l.digest, l.type, l.code, l.id, l.media_type, l.size, l.uploaded_by, l.uploaded_at, b.bytes"
      " FROM case_documents l JOIN document_blobs b ON b.digest = l.digest WHERE l.case_id = $1 AND l.digest = $2",
      Params().text(case_id).text(digest));
  if (r.rows() == 0) return std::nullopt;
  CaseDocument d = readDocument(r, 0);
  d.bytes = r.bytes(0, 9);
  return d;
}

}  // namespace swhub::journal::pg
