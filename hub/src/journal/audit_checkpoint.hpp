#pragma once
// Signed checkpoints of the audit chain's head (audit_chain.hpp): a row of audit_checkpoints
// (seq, head_hash, at, signature) where signature is the receipt key's signature (base64, as for
// receipts) over checkpointText(seq, head_hash, at). A journal whose tail was cut off, or whose
// chain was recomputed after an edit, no longer matches its last checkpoint.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "journal/sqlite_db.hpp"

namespace swhub::journal::sqlite {

// "swhub audit checkpoint\nseq: 1000\nhead: <64 hex>\nat: 2026-12-06T08:00:00.000Z\n"
std::string checkpointText(std::int64_t seq, const std::string& head_hash, const std::string& at);

struct CheckpointPolicy {
  std::function<std::string(std::string_view)> sign;  // empty: no checkpoints are written
  std::int64_t every_entries = 1000;
  std::chrono::milliseconds every{60000};
};

// Run by the writer after a batch was applied, inside its transaction: writes a checkpoint of
// the current head when the policy asks for one (entries or time since the last) or `force` is
// set, and the head moved past the last checkpoint. `last` is the writer's time of the last one.
// Returns whether it wrote one.
bool maybeCheckpoint(Db& db, const CheckpointPolicy& policy, bool force, const std::string& now_text,
                     std::chrono::steady_clock::time_point& last);

}  // namespace swhub::journal::sqlite
