#include "journal/sqlite_documents.hpp"

#include "journal/audit_chain.hpp"
#include "journal/sqlite_journal.hpp"
#include "journal/sqlite_journal_reader.hpp"

namespace swhub::journal::sqlite {
namespace {

// The bytes once per digest (the same invoice attached to two cases is stored once); which case
// holds which digest, once per case, in the order attached (rowid).
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS document_blobs (
  digest TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  stored_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS case_documents (
  case_id TEXT NOT NULL,
  digest TEXT NOT NULL REFERENCES document_blobs (digest),
  type TEXT NOT NULL,
  code TEXT NOT NULL,
  id TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL,
  UNIQUE (case_id, digest)
);
)sql";

// Db::prepare caches by the literal's address: each query is one literal.
#define SWHUB_DOCUMENT_COLUMNS \
  "SELECT case_id, digest, type, code, id, media_type, size, uploaded_by, uploaded_at FROM case_documents "

CaseDocument readDocument(const Stmt& row) {
  CaseDocument d;
  d.case_id = row.text(0);
  d.digest = row.text(1);
  d.type = row.text(2);
  d.code = row.text(3);
  d.id = row.text(4);
  d.media_type = row.text(5);
  d.size = row.integer(6);
  d.uploaded_by = storedActor(row.text(7));
  d.uploaded_at = common::parseInstant(row.text(8)).value_or(common::Instant{});
  return d;
}

}  // namespace

const char* documentsSchema() { return kSchema; }

std::optional<std::string> insertDocuments(Db& db, const std::vector<CaseDocument>& documents) {
  for (const auto& d : documents) {
    {
      auto held = db.prepare("SELECT 1 FROM case_documents WHERE case_id = ? AND digest = ?");
      held->bind(1, d.case_id).bind(2, d.digest);
      if (held->step()) return "case " + d.case_id + " holds document " + d.digest + " already";
    }
    auto blob = db.prepare(
        "INSERT INTO document_blobs (digest, size, bytes, stored_at) VALUES (?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING");
    blob->bind(1, d.digest).bind(2, static_cast<std::int64_t>(d.bytes.size())).bindBlob(3, d.bytes);
    blob->bind(4, common::toString(d.uploaded_at)).step();
    auto link = db.prepare(
        "INSERT INTO case_documents (case_id, digest, type, code, id, media_type, size, uploaded_by, uploaded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    link->bind(1, d.case_id).bind(2, d.digest).bind(3, d.type).bind(4, d.code).bind(5, d.id).bind(6, d.media_type);
    link->bind(7, static_cast<std::int64_t>(d.bytes.size())).bind(8, common::toString(d.uploaded_by));
    link->bind(9, common::toString(d.uploaded_at)).step();
  }
  return std::nullopt;
}

std::vector<CaseDocument> documentsOf(Db& db, const std::string& case_id) {
  auto stmt = db.prepare(SWHUB_DOCUMENT_COLUMNS "WHERE case_id = ? ORDER BY rowid");
  stmt->bind(1, case_id);
  std::vector<CaseDocument> out;
  while (stmt->step()) out.push_back(readDocument(*stmt));
  return out;
}

std::optional<CaseDocument> documentOf(Db& db, const std::string& case_id, const std::string& digest) {
  // One statement: the link and its bytes in one snapshot.
  auto stmt = db.prepare(
      "SELECT l.case_id, l.digest, l.type, l.code, l.id, l.media_type, l.size, l.uploaded_by, l.uploaded_at, b.bytes"
      " FROM case_documents l JOIN document_blobs b ON b.digest = l.digest WHERE l.case_id = ? AND l.digest = ?");
  stmt->bind(1, case_id).bind(2, digest);
  if (!stmt->step()) return std::nullopt;
  CaseDocument d = readDocument(*stmt);
  d.bytes = stmt->text(9);
  return d;
}

std::vector<CaseDocument> SqliteJournal::caseDocuments(const std::string& case_id) {
  return withReader([&](Db& db) { return documentsOf(db, case_id); });
}

std::optional<CaseDocument> SqliteJournal::caseDocument(const std::string& case_id, const std::string& digest) {
  return withReader([&](Db& db) { return documentOf(db, case_id, digest); });
}

}  // namespace swhub::journal::sqlite
