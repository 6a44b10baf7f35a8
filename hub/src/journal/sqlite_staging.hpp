#pragma once
// The SQL of staged messages (Journal::beginStaged and the rest): rows kept in staged_* tables,
// apart from every reader, until one transaction moves them into the visible tables; and the
// piecewise blob I/O that keeps a large body or receipt out of memory.

#include <cstdint>
#include <optional>
#include <string>

#include "journal/journal.hpp"
#include "journal/sqlite_db.hpp"

namespace swhub::journal::sqlite {

// Inserts the message with status "staging", no idempotency key and a zero-filled body of
// `body_size` bytes. Throws BatchRejected (e.g. an id that exists) or StoreFailure.
void insertStagingMessage(Db& db, const MessageRecord& message, std::int64_t body_size);
// Writes `bytes` into the staging message's body at `offset`.
void writeStagingBody(Db& db, const std::string& message_id, std::int64_t offset, const std::string& bytes);
// Writes the new cases, events and outbox items of `batch` as rows of staging message `message_id`.
void stageBatch(Db& db, const std::string& message_id, const WriteBatch& batch);
// See Journal::finishStaged. Returns Duplicate (with a summary, no body or response), Conflict,
// ReferenceTaken or Stale without undoing anything (the caller rolls back its savepoint).
CommitResult finishStaging(Db& db, const MessageRecord& message, BlobSource& response, const WriteBatch& batch);
// Removes one staging message and its staged rows; staging_id "" = every one (at open).
void dropStaging(Db& db, const std::string& message_id);
// Deletes up to `limit` rows (-1: all) of each staged table of message `message_id`; true when
// rows may be left. finishStaging leaves a finished message's staged rows, which nothing reads
// once the message is not staging, for this to delete after the message's answer.
bool sweepStagedRows(Db& db, const std::string& message_id, std::int64_t limit);

bool referenceTaken(Db& db, const std::string& partner, const std::string& reference, const std::string& staging_id);
std::optional<MessageRecord> messageSummaryByKey(Db& db, const std::string& partner, const std::string& key);
std::size_t readMessagePart(Db& db, const std::string& message_id, MessagePart part, std::int64_t offset, char* buffer,
                            std::size_t capacity);
std::int64_t messagePartSize(Db& db, const std::string& message_id, MessagePart part);

}  // namespace swhub::journal::sqlite
