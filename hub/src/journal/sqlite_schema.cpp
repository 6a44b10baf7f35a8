#include "journal/sqlite_schema.hpp"

#include <string>

#include "journal/audit_chain.hpp"
#include "journal/sqlite_accounts.hpp"
#include "journal/sqlite_documents.hpp"
#include "journal/group_committer.hpp"

namespace swhub::journal::sqlite {
namespace {

// Timestamps are RFC 3339 UTC text with milliseconds, so they sort as text.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS messages (
  id TEXT PRIMARY KEY,
  partner TEXT NOT NULL,
  content_type TEXT NOT NULL,
  idempotency_key TEXT NOT NULL DEFAULT '',
  digest TEXT NOT NULL,
  received_at TEXT NOT NULL,
  body BLOB NOT NULL,
  status TEXT NOT NULL,
  response TEXT NOT NULL,
  http_status INTEGER NOT NULL,
  audit_seq INTEGER,  -- position in the audit chain (audit_chain.hpp); NULL while staging
  audit_hash TEXT
);
-- A key is unique per partner; messages without a key are not constrained.
CREATE UNIQUE INDEX IF NOT EXISTS messages_idempotency
  ON messages (partner, idempotency_key) WHERE idempotency_key <> '';

-- cases.seller_id, buyer_id (schema 5): the consignment's seller and buyer ids (json_extract of
-- consignment_json, NULL when absent), written with the row, so that Journal::partyHistory counts
-- from an index alone. cases.seller_ord, buyer_ord (schema 8): how many cases had come to name
-- that party before this case's message (partyOrdinalSql; NULL with the party), so that
-- Journal::partyHistory reads "before this case" without counting what was filed since.
-- (Comments stay outside the column list: ALTER TABLE DROP COLUMN edits it.)
-- cases.duplicate_of: empty for every case filed since schema 3. For a case that a journal of
-- schema 2 or older held under a (partner, reference) that an older case already had: the older
-- case id (the migration to 3 keeps both and says so in the later case events).
CREATE TABLE IF NOT EXISTS cases (
  id TEXT PRIMARY KEY,
  partner TEXT NOT NULL,
  reference TEXT NOT NULL,
  filing TEXT NOT NULL,
  state TEXT NOT NULL,
  version INTEGER NOT NULL,
  consignment_json TEXT NOT NULL,
  message_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  status_json TEXT NOT NULL DEFAULT '{}',
  duplicate_of TEXT NOT NULL DEFAULT '',
  seller_id TEXT,
  buyer_id TEXT,
  seller_ord INTEGER,
  buyer_ord INTEGER
);
CREATE INDEX IF NOT EXISTS cases_reference ON cases (partner, reference);
-- The case search (Journal::searchCases, newest first): by filing time alone, by partner, by
-- state, and by reference across partners (an agency's or an admin's search). The agency filter
-- reads outbox_pull.
CREATE INDEX IF NOT EXISTS cases_filed ON cases (created_at, id);
CREATE INDEX IF NOT EXISTS cases_partner_filed ON cases (partner, created_at, id);
CREATE INDEX IF NOT EXISTS cases_state_filed ON cases (state, created_at, id);
CREATE INDEX IF NOT EXISTS cases_by_reference ON cases (reference);

CREATE TABLE IF NOT EXISTS case_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id TEXT NOT NULL REFERENCES cases (id),
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  detail_json TEXT NOT NULL,
  message_id TEXT NOT NULL,
  audit_seq INTEGER,  -- position in the audit chain (audit_chain.hpp)
  audit_hash TEXT
);
CREATE INDEX IF NOT EXISTS case_events_case ON case_events (case_id);

CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  case_id TEXT NOT NULL,
  content_type TEXT NOT NULL,
  body BLOB NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT NOT NULL,
  created_at TEXT NOT NULL,
  lease_owner TEXT NOT NULL DEFAULT '',
  lease_until INTEGER NOT NULL DEFAULT 0,  -- ms since the Unix epoch; 0 = free
  batch TEXT NOT NULL DEFAULT ''  -- the delivery id that last carried it with others (schema 2)
);
CREATE INDEX IF NOT EXISTS outbox_pull ON outbox (recipient, channel, seq);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (channel, state, next_attempt_at);
-- Partial indexes: only pending (resp. dead) rows, so they stay small however long the outbox
-- grows. The claim's per-case order check and deadLetters() use them.
CREATE INDEX IF NOT EXISTS outbox_pending_case ON outbox (recipient, case_id, seq) WHERE state = 'pending';
-- The claim walks pending items of a channel in seq order and stops at its limit, however many
-- are pending (a 200,000-line manifest's notifications).
CREATE INDEX IF NOT EXISTS outbox_claim ON outbox (channel, seq) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS outbox_dead ON outbox (seq) WHERE state = 'dead';
CREATE INDEX IF NOT EXISTS outbox_case ON outbox (case_id, seq);
-- Dead letters that were pull items (their partner's plugin could not encode them when read): a
-- replay gives them back to the pull API, under a fresh seq past the partner's cursor, rather
-- than to a push worker. A table of its own, so that no outbox column changes.
CREATE TABLE IF NOT EXISTS pull_dead_letters (seq INTEGER PRIMARY KEY);

-- The body or response of a large message, written in pieces by incremental blob I/O. The blob
-- is the last column on purpose: SQLite then writes a zeroblob(N) without building it in
-- memory (it would in messages, where body and response are followed by other columns). The
-- messages row holds '' for a part stored here.
CREATE TABLE IF NOT EXISTS message_blobs (
  message_id TEXT NOT NULL,
  part TEXT NOT NULL,  -- 'body' | 'response'
  bytes BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS message_blobs_part ON message_blobs (message_id, part);

-- Rows of a staged message (Journal::beginStaged), apart from every reader until the message is
-- finished; staging_id is the message id. Same columns as their final tables.
CREATE TABLE IF NOT EXISTS staged_cases (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  staging_id TEXT NOT NULL,
  id TEXT NOT NULL,
  partner TEXT NOT NULL,
  reference TEXT NOT NULL,
  filing TEXT NOT NULL,
  state TEXT NOT NULL,
  version INTEGER NOT NULL,
  consignment_json TEXT NOT NULL,
  message_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  status_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS staged_cases_reference ON staged_cases (staging_id, reference);
CREATE TABLE IF NOT EXISTS staged_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  staging_id TEXT NOT NULL,
  case_id TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  detail_json TEXT NOT NULL,
  message_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS staged_events_staging ON staged_events (staging_id, seq);
CREATE TABLE IF NOT EXISTS staged_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  staging_id TEXT NOT NULL,
  id TEXT NOT NULL,
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  case_id TEXT NOT NULL,
  content_type TEXT NOT NULL,
  body BLOB NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS staged_outbox_staging ON staged_outbox (staging_id, seq);

-- The audit chain's last position and hash (one row, id 1), and its signed checkpoints: the
-- signature (receipt key, base64) is over checkpointText() of audit_checkpoint.hpp.
-- What the journal knows of each seller and buyer (schema 6): how many cases name it in that role
-- and how many of those are held or rejected now, kept by the triggers cases_party_* (created in
-- ensureSchema) in the transaction that changes a case, so that Journal::partyHistory reads a
-- row instead of counting every case of a busy seller at each assessment.
-- Schema 8: `joined` counts every time a case came to name the party (never less: a case that
-- leaves it is a row of party_departures), and the ordinal the cases of one message share
-- (`message_base`, handed to the cases of `last_message`): see partyOrdinalSql.
CREATE TABLE IF NOT EXISTS party_totals (
  role TEXT NOT NULL,  -- 'seller' or 'buyer'
  id TEXT NOT NULL,
  cases INTEGER NOT NULL,
  held INTEGER NOT NULL,
  joined INTEGER NOT NULL DEFAULT 0,
  last_message TEXT NOT NULL DEFAULT '',
  message_base INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (role, id)
) WITHOUT ROWID;
-- A case that stopped naming a party (an amendment named another): the ordinal it had there.
CREATE TABLE IF NOT EXISTS party_departures (
  role TEXT NOT NULL,
  id TEXT NOT NULL,
  ord INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS party_departures_ord ON party_departures (role, id, ord);

-- How many messages and cases the journal holds (schema 7): 'messages' and 'cases', kept by the
-- triggers journal_totals_* (created in ensureSchema) in the transaction that writes or removes a
-- row, so that GET /v1/admin/stats reads two rows instead of counting a million.
CREATE TABLE IF NOT EXISTS journal_totals (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
-- OGA licences (journal/licences.hpp): each agency's registry, and what cases use of it. The
-- store enforces "never more than granted": remaining cannot go below 0, and a write-down is a
-- conditional UPDATE in the same transaction as the decision that uses it.
CREATE TABLE IF NOT EXISTS licences (
  agency TEXT NOT NULL,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  holder TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity >= 0),
  remaining INTEGER NOT NULL CHECK (remaining >= 0 AND remaining <= quantity),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (agency, id)
);
CREATE TABLE IF NOT EXISTS licence_uses (
  case_id TEXT NOT NULL,
  agency TEXT NOT NULL,
  item INTEGER NOT NULL,
  licence_id TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  at TEXT NOT NULL,
  PRIMARY KEY (case_id, agency, item, licence_id)
);
CREATE INDEX IF NOT EXISTS licence_uses_licence ON licence_uses (agency, licence_id);
CREATE TABLE IF NOT EXISTS audit_checkpoints (
  seq INTEGER PRIMARY KEY,  -- the chain position it signs
  head_hash TEXT NOT NULL,
  at TEXT NOT NULL,
  signature TEXT NOT NULL
);
-- Statistics rollups (journal/stat_rollups.hpp): written in the transaction of what they count.
CREATE TABLE IF NOT EXISTS stat_rollups (
  scope TEXT NOT NULL,   -- '' the hub, 'agency:<id>' one agency's view
  hour INTEGER NOT NULL, -- hours since the epoch, UTC; -1 the running total
  family TEXT NOT NULL,
  key1 TEXT NOT NULL,
  key2 TEXT NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (scope, hour, family, key1, key2)
) WITHOUT ROWID;
-- One row once the rollups hold the rows journaled before them (stats/rollup_fill.hpp).
CREATE TABLE IF NOT EXISTS stat_fill (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  filled_at TEXT NOT NULL
);
)sql";

// Schema 3: a (partner, reference) names one case. Earlier journals could hold a later case under
// a taken reference (two filings that raced): nothing is deleted; each later one is marked
// duplicate_of the oldest and gets a 'duplicate-reference' event that the trace shows. The
// oldest keeps the reference: the unique index covers unmarked cases only.
void migrateTo3(Db& db, bool add_column) {
  if (add_column) db.exec("ALTER TABLE cases ADD COLUMN duplicate_of TEXT NOT NULL DEFAULT ''");
  db.exec(R"sql(
UPDATE cases SET duplicate_of = (
  SELECT o.id FROM cases o WHERE o.partner = cases.partner AND o.reference = cases.reference
  ORDER BY o.created_at, o.rowid LIMIT 1)
WHERE EXISTS (
  SELECT 1 FROM cases o WHERE o.partner = cases.partner AND o.reference = cases.reference
  AND (o.created_at < cases.created_at OR (o.created_at = cases.created_at AND o.rowid < cases.rowid)));
INSERT INTO case_events (case_id, at, actor, kind, from_state, to_state, detail_json, message_id)
  SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'hub', 'duplicate-reference', state, state,
         json_object('reference', reference, 'kept', duplicate_of,
                     'detail', 'journal schema 3: the reference names case ' || duplicate_of ||
                               ' from now on; this case stays readable by its id'),
         message_id
  FROM cases WHERE duplicate_of <> '' ORDER BY created_at, rowid;
)sql");
}

// True when `sql` (a literal: the statement cache keys by its address), a count, counts any:
// whether an older journal already has a column a migration adds.
bool countsAny(Db& db, const char* sql) {
  auto stmt = db.prepare(sql);
  const bool any = stmt->step() && stmt->integer(0) > 0;
  stmt->reset();
  return any;
}

// Schema 4: the audit chain. Rows written before it are chained now, in the order they were
// written, so that an old journal verifies from its first entry.
void migrateTo4(Db& db) {
  if (!countsAny(db, "SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'audit_seq'")) {
    db.exec("ALTER TABLE messages ADD COLUMN audit_seq INTEGER");
    db.exec("ALTER TABLE messages ADD COLUMN audit_hash TEXT");
  }
  if (!countsAny(db, "SELECT count(*) FROM pragma_table_info('case_events') WHERE name = 'audit_seq'")) {
    db.exec("ALTER TABLE case_events ADD COLUMN audit_seq INTEGER");
    db.exec("ALTER TABLE case_events ADD COLUMN audit_hash TEXT");
  }
  chainExisting(db);
}

// Schema 5: a party's history is counted from the covering indexes cases_<role>_history
// (id, created_at, state), read without touching the case rows. Before, an index on the
// json_extract expression found the cases and each row was read for created_at and state: with a
// busy seller, every assessment read all its earlier cases (36 % of the hub's CPU under load).
// Schema 8 drops those indexes: the party ordinals replace them.
void migrateTo5(Db& db) {
  if (!countsAny(db, "SELECT count(*) FROM pragma_table_info('cases') WHERE name = 'seller_id'")) {
    db.exec("ALTER TABLE cases ADD COLUMN seller_id TEXT");
    db.exec("ALTER TABLE cases ADD COLUMN buyer_id TEXT");
  }
  db.exec(
      "UPDATE cases SET seller_id = json_extract(consignment_json, '$.parties.seller.id'),"
      " buyer_id = json_extract(consignment_json, '$.parties.buyer.id')");
  db.exec("DROP INDEX IF EXISTS cases_seller");
  db.exec("DROP INDEX IF EXISTS cases_buyer");
}

// Schema 6: party_totals counted once from the cases already there (the triggers keep it after).
void migrateTo6(Db& db) {
  db.exec("DELETE FROM party_totals");
  for (const char* role : {"seller", "buyer"}) {
    const std::string column = std::string(role) + "_id";
    const std::string sql = "INSERT INTO party_totals (role, id, cases, held) SELECT '" + std::string(role) + "', " +
                            column + ", count(*), coalesce(sum(state IN ('held', 'rejected')), 0) FROM cases WHERE " +
                            column + " IS NOT NULL GROUP BY " + column;
    db.exec(sql.c_str());
  }
}

// The triggers that keep party_totals: a case counts for its seller and its buyer from the
// moment it is written, its held share follows its state, and an amendment that changes a party
// moves the case from the old one (a departure, with its ordinal there) to the new one (joined
// again, with a new ordinal: partyOrdinalSql computes it in the statement that writes the row).
// The cases of one message share the ordinal `message_base`; an amendment's token is its case id.
std::string partyTriggers() {
  auto held = [](const char* row) { return std::string("(") + row + ".state IN ('held', 'rejected'))"; };
  auto join = [&](const std::string& r, const std::string& token, const std::string& only) {
    return "  INSERT INTO party_totals (role, id, cases, held, joined, last_message, message_base)\n"
           "    SELECT '" + r + "', new." + r + "_id, 1, " + held("new") + ", 1, " + token + ", 0 WHERE new." + r +
           "_id IS NOT NULL" + only + "\n"
           "    ON CONFLICT (role, id) DO UPDATE SET cases = cases + 1, held = held + excluded.held, joined = joined + 1,\n"
           "      message_base = CASE WHEN last_message = excluded.last_message THEN message_base ELSE joined END,\n"
           "      last_message = excluded.last_message;\n";
  };
  auto leave = [&](const std::string& r, const std::string& only) {
    return "  UPDATE party_totals SET cases = cases - 1, held = held - " + held("old") + " WHERE role = '" + r +
           "' AND id = old." + r + "_id" + only + ";\n"
           "  INSERT INTO party_departures (role, id, ord) SELECT '" + r + "', old." + r + "_id, old." + r +
           "_ord WHERE old." + r + "_id IS NOT NULL" + only + ";\n";
  };
  std::string insert, update, remove;
  for (const std::string r : {"seller", "buyer"}) {
    const std::string moved = " AND old." + r + "_id IS NOT new." + r + "_id";
    insert += join(r, "new.message_id", "");
    update += leave(r, moved) + join(r, "new.id", moved) + "  UPDATE party_totals SET held = held + " + held("new") +
              " - " + held("old") + " WHERE role = '" + r + "' AND id = new." + r + "_id AND old." + r + "_id IS new." +
              r + "_id;\n";
    remove += leave(r, "");
  }
  return "CREATE TRIGGER IF NOT EXISTS cases_party_insert AFTER INSERT ON cases BEGIN\n" + insert +
         "END;\n"
         "CREATE TRIGGER IF NOT EXISTS cases_party_update AFTER UPDATE OF state, seller_id, buyer_id ON cases\n"
         "WHEN old.state IS NOT new.state OR old.seller_id IS NOT new.seller_id OR old.buyer_id IS NOT new.buyer_id BEGIN\n" +
         update +
         "END;\n"
         "CREATE TRIGGER IF NOT EXISTS cases_party_delete AFTER DELETE ON cases BEGIN\n" + remove + "END;\n";
}

// Schema 8: each case's ordinal with its seller and its buyer, from the cases already there in
// the order they were filed (the cases of one message share the first one's), and the triggers
// of schema 6 replaced (they kept no ordinals). No departure is known from before.
void migrateTo8(Db& db) {
  if (!countsAny(db, "SELECT count(*) FROM pragma_table_info('cases') WHERE name = 'seller_ord'")) {
    db.exec("ALTER TABLE cases ADD COLUMN seller_ord INTEGER");
    db.exec("ALTER TABLE cases ADD COLUMN buyer_ord INTEGER");
  }
  if (!countsAny(db, "SELECT count(*) FROM pragma_table_info('party_totals') WHERE name = 'joined'")) {
    db.exec("ALTER TABLE party_totals ADD COLUMN joined INTEGER NOT NULL DEFAULT 0");
    db.exec("ALTER TABLE party_totals ADD COLUMN last_message TEXT NOT NULL DEFAULT ''");
    db.exec("ALTER TABLE party_totals ADD COLUMN message_base INTEGER NOT NULL DEFAULT 0");
  }
  db.exec("DROP TRIGGER IF EXISTS cases_party_insert");
  db.exec("DROP TRIGGER IF EXISTS cases_party_update");
  db.exec("DROP TRIGGER IF EXISTS cases_party_delete");
  for (const std::string r : {"seller", "buyer"}) {
    db.exec(("UPDATE cases SET " + r + "_ord = o.ord FROM (SELECT id, min(n) OVER (PARTITION BY " + r +
             "_id, message_id) AS ord FROM (SELECT id, " + r + "_id, message_id, row_number() OVER (PARTITION BY " + r +
             "_id ORDER BY created_at, rowid) - 1 AS n FROM cases WHERE " + r + "_id IS NOT NULL)) o"
             " WHERE cases.id = o.id")
                .c_str());
    db.exec(("DROP INDEX IF EXISTS cases_" + r + "_history").c_str());
  }
  db.exec("UPDATE party_totals SET joined = cases, last_message = '', message_base = 0");
  db.exec("DELETE FROM party_departures");
}

// Schema 7: journal_totals counted once from the rows already there (the triggers keep it after).
void migrateTo7(Db& db) {
  db.exec("DELETE FROM journal_totals");
  db.exec("INSERT INTO journal_totals (name, value) SELECT 'messages', count(*) FROM messages");
  db.exec("INSERT INTO journal_totals (name, value) SELECT 'cases', count(*) FROM cases");
}

// The triggers that keep journal_totals: a staging message counts like the row it is (as
// count(*) did), and leaves the total when a crashed intake's staging rows are removed.
constexpr const char* kTotalsTriggers = R"sql(
CREATE TRIGGER IF NOT EXISTS journal_totals_message_insert AFTER INSERT ON messages BEGIN
  UPDATE journal_totals SET value = value + 1 WHERE name = 'messages';
END;
CREATE TRIGGER IF NOT EXISTS journal_totals_message_delete AFTER DELETE ON messages BEGIN
  UPDATE journal_totals SET value = value - 1 WHERE name = 'messages';
END;
CREATE TRIGGER IF NOT EXISTS journal_totals_case_insert AFTER INSERT ON cases BEGIN
  UPDATE journal_totals SET value = value + 1 WHERE name = 'cases';
END;
CREATE TRIGGER IF NOT EXISTS journal_totals_case_delete AFTER DELETE ON cases BEGIN
  UPDATE journal_totals SET value = value - 1 WHERE name = 'cases';
END;
)sql";

std::int64_t storedVersion(Db& db) {
  auto stmt = db.prepare("SELECT max(version) FROM schema_version");
  return stmt->step() ? stmt->integer(0) : 0;
}

}  // namespace

std::string partyOrdinalSql(const std::string& role, const std::string& id, const std::string& token) {
  return "CASE WHEN " + id + " IS NULL THEN NULL ELSE coalesce((SELECT CASE WHEN last_message = " + token +
         " THEN message_base ELSE joined END FROM party_totals WHERE role = '" + role + "' AND id = " + id + "), 0) END";
}

ConnectionSettings configureConnection(Db& db) {
  sqlite3_busy_timeout(db.handle(), 5000);
  db.exec("PRAGMA foreign_keys=ON");
  db.exec("PRAGMA synchronous=FULL");
  // Checkpoints belong to the background checkpointer, never to a commit.
  db.exec("PRAGMA wal_autocheckpoint=0");
  ConnectionSettings settings;
  settings.journal_mode = db.pragma("journal_mode=WAL");
  settings.synchronous = std::stoi(db.pragma("synchronous"));
  settings.wal_autocheckpoint = std::stoi(db.pragma("wal_autocheckpoint"));
  settings.foreign_keys = db.pragma("foreign_keys") == "1";
  if (settings.journal_mode != "wal") {
    throw StoreFailure("journal: PRAGMA journal_mode=WAL did not take (mode is '" + settings.journal_mode +
                       "'); the journal needs a file system with shared memory support");
  }
  if (settings.synchronous != 2) throw StoreFailure("journal: PRAGMA synchronous=FULL did not take");
  if (settings.wal_autocheckpoint != 0) throw StoreFailure("journal: PRAGMA wal_autocheckpoint=0 did not take");
  if (!settings.foreign_keys) throw StoreFailure("journal: PRAGMA foreign_keys=ON did not take");
  return settings;
}

void ensureSchema(Db& db) {
  db.exec("BEGIN IMMEDIATE");
  try {
    db.exec(kSchema);
    const std::int64_t version = storedVersion(db);
    if (version > kSchemaVersion) {
      throw StoreFailure("journal schema version " + std::to_string(version) +
                         " is newer than this hub understands (" + std::to_string(kSchemaVersion) + ")");
    }
    if (version == 0) {
      db.prepare("INSERT INTO schema_version (version) VALUES (?)")->bind(1, kSchemaVersion).step();
    }
    if (version == 1) {
      // Schema 2: outbox.batch (notifications delivered in batches).
      db.exec("ALTER TABLE outbox ADD COLUMN batch TEXT NOT NULL DEFAULT ''");
      db.exec("UPDATE schema_version SET version = 2");
    }
    if (version == 1 || version == 2) {
      migrateTo3(db, true);
      db.exec("UPDATE schema_version SET version = 3");
    }
    if (version >= 1 && version <= 3) {
      migrateTo4(db);
      db.exec("UPDATE schema_version SET version = 4");
    }
    if (version >= 1 && version <= 4) {
      migrateTo5(db);
      db.exec("UPDATE schema_version SET version = 5");
    }
    if (version >= 1 && version <= 5) {
      migrateTo6(db);
      db.exec("UPDATE schema_version SET version = 6");
    }
    if (version <= 6) {  // a new journal too: its two rows, at 0
      migrateTo7(db);
      if (version >= 1) db.exec("UPDATE schema_version SET version = 7");
    }
    if (version >= 1 && version <= 7) {
      migrateTo8(db);
      db.exec("UPDATE schema_version SET version = 8");
    }
    db.exec(partyTriggers().c_str());
    db.exec(kTotalsTriggers);
    // After the migration: the column it needs exists in every journal from here on.
    db.exec(
        "CREATE UNIQUE INDEX IF NOT EXISTS cases_reference_unique ON cases (partner, reference)"
        " WHERE duplicate_of = ''");
    // `swhub audit verify` walks messages in chain order.
    db.exec("CREATE INDEX IF NOT EXISTS messages_audit ON messages (audit_seq)");
    // What the customs agency learns of a seller or a buyer (Journal::partyHistory): the held
    // cases of a party from an ordinal on (the few filed since the case being assessed).
    db.exec("CREATE INDEX IF NOT EXISTS cases_seller_held ON cases (seller_id, seller_ord, state) WHERE state IN ('held', 'rejected')");
    db.exec("CREATE INDEX IF NOT EXISTS cases_buyer_held ON cases (buyer_id, buyer_ord, state) WHERE state IN ('held', 'rejected')");
    // Account statements: tables of their own (sqlite_accounts.cpp), new in every journal.
    db.exec(accountsSchema());
    // Supporting documents: tables of their own (sqlite_documents.cpp), new in every journal.
    db.exec(documentsSchema());
    db.exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace swhub::journal::sqlite
