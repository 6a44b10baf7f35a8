#pragma once
// The SQL of supporting documents (documents.hpp) in the SQLite journal: their tables, created
// with the rest of the schema, and one function per statement.

#include <optional>
#include <string>
#include <vector>

#include "journal/journal.hpp"
#include "journal/sqlite_db.hpp"

namespace swhub::journal::sqlite {

// CREATE ... IF NOT EXISTS of the document tables, run by ensureSchema in its transaction.
const char* documentsSchema();

// Inside the writer's savepoint: the bytes once per digest, the case's link to them. A case that
// holds the digest already: what it holds (nothing of this batch is to be written).
std::optional<std::string> insertDocuments(Db& db, const std::vector<CaseDocument>& documents);
std::vector<CaseDocument> documentsOf(Db& db, const std::string& case_id);
std::optional<CaseDocument> documentOf(Db& db, const std::string& case_id, const std::string& digest);

}  // namespace swhub::journal::sqlite
