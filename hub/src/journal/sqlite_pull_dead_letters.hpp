#pragma once
// Dead letters of the pull API: a 'pull' item that its partner's plugin cannot encode is
// dead-lettered when read, and a replay gives it back to the pull API under a fresh seq (past
// the cursor the partner already holds), never to a push worker.

#include <cstdint>
#include <string>

#include "journal/sqlite_db.hpp"

namespace swhub::journal::sqlite {

// 'pull' -> 'dead' with `reason` as last_error; true when the item was 'pull'.
bool deadLetterPulled(Db& db, std::int64_t seq, const std::string& reason);

// Dead pull items (`seq`, or every one when seq < 0) back to 'pull', each under a fresh seq, in
// their order; last_error kept for the record. Returns how many.
std::size_t replayPulledDead(Db& db, std::int64_t seq);

}  // namespace swhub::journal::sqlite
