#pragma once
// `swhub audit verify`: walks the audit chain (audit_chain.hpp) and its signed checkpoints
// (audit_checkpoint.hpp) in one read transaction, beside a serving hub, and names the first entry
// that is not as it was written.

#include <cstdint>
#include <functional>
#include <string>

#include "journal/sqlite_db.hpp"

namespace swhub::journal::sqlite {

struct AuditVerdict {
  bool intact = false;
  std::int64_t entries = 0;      // chain entries checked (all of them when intact)
  std::int64_t checkpoints = 0;  // checkpoints in the journal
  // What is wrong, first bad entry first, e.g. "case_events seq 4711: hash does not match its
  // content (edited?)"; "" when intact.
  std::string problem;
};

// True when `signature` (base64) is the receipt key's signature over `text`.
using CheckpointCheck = std::function<bool(const std::string& text, const std::string& signature)>;

// Reads only. Throws StoreFailure when the journal cannot be read at all.
AuditVerdict verifyAuditChain(Db& db, const CheckpointCheck& check);

// The same on the journal `url` names (sqlite:PATH[?vfs=NAME]), opened read-only beside a hub.
// Throws JournalError when there is no journal there or it cannot be read.
AuditVerdict verifyAuditJournal(const std::string& url, const CheckpointCheck& check);

}  // namespace swhub::journal::sqlite
