#pragma once
// Supporting documents of cases in the journal (README "Supporting documents"): the bytes once per
// content digest (document_blobs), and which case holds which document under what type and number
// (case_documents), so that every node sharing the journal serves them and a backup holds them.

#include <cstdint>
#include <string>

#include "common/actor.hpp"
#include "common/instant.hpp"

namespace swhub::journal {

struct CaseDocument {
  std::string case_id;
  std::string digest;      // "sha256:<hex>" of the bytes: the document's key
  std::string type;        // invoice | certificate | licence | proof-of-export | other
  std::string code;        // the document code a rule names it by ("C640"); "" when none
  std::string id;          // the document's own number ("INV-1")
  std::string media_type;  // as uploaded and checked against the bytes ("application/pdf")
  std::int64_t size = 0;   // bytes
  common::Actor uploaded_by;
  common::Instant uploaded_at;
  // Written with the document; read back only by Journal::caseDocument (a list leaves it empty).
  std::string bytes;
};

}  // namespace swhub::journal
