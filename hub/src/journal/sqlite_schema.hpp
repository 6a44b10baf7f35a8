#pragma once
// The SQLite journal's tables, created on open (idempotent), and the connection settings.

#include <string>

#include "journal/sqlite_db.hpp"

namespace swhub::journal::sqlite {

inline constexpr int kSchemaVersion = 8;

// The ordinal a case gets with its `role` party ('seller' or 'buyer') when a statement writes it
// naming the party `id` (an SQL expression: a json_extract of the consignment), for the message
// or amendment `token` (an SQL expression): how many times a case had come to name the party
// before that message, which the cases of one message share (the party's message_base). NULL
// without a party. The triggers (cases_party_*) then count the case in; read before they run.
std::string partyOrdinalSql(const std::string& role, const std::string& id, const std::string& token);

// The settings a connection reports after configureConnection.
struct ConnectionSettings {
  std::string journal_mode;    // "wal"
  int synchronous = 0;         // 2 = FULL
  int wal_autocheckpoint = -1; // 0 = off
  bool foreign_keys = false;
};

// WAL, synchronous=FULL, foreign keys, busy timeout, no automatic checkpoints; reads every
// setting back and throws StoreFailure when one did not take.
ConnectionSettings configureConnection(Db& db);

// Creates the tables and indexes if missing and records the schema version; refuses a journal
// written by a newer schema.
void ensureSchema(Db& db);

}  // namespace swhub::journal::sqlite
