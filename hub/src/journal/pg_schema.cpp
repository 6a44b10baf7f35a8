#include "journal/pg_schema.hpp"

#include <set>
#include <utility>
#include <vector>

#include "journal/group_committer.hpp"

namespace swhub::journal::pg {
namespace {

// Migration 1: what an SQLite journal of schema 6 holds. Timestamps stay RFC 3339 UTC text with
// milliseconds, as in SQLite (they sort as text and the journal's readers compare them so); message
// bodies, responses and outbox bodies are bytea (bytes as they came, NULs included).
constexpr const char* kMigration1 = R"sql(
CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  partner TEXT NOT NULL,
  content_type TEXT NOT NULL,
  idempotency_key TEXT NOT NULL DEFAULT '',
  digest TEXT NOT NULL,
  received_at TEXT NOT NULL,
  body BYTEA NOT NULL,
  status TEXT NOT NULL,
  response BYTEA NOT NULL,
  http_status INTEGER NOT NULL,
  audit_seq BIGINT,
  audit_hash TEXT,
  written BIGSERIAL  -- the order rows were written (SQLite's rowid)
);
CREATE UNIQUE INDEX messages_idempotency ON messages (partner, idempotency_key) WHERE idempotency_key <> '';
CREATE INDEX messages_audit ON messages (audit_seq);

CREATE TABLE cases (
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
  written BIGSERIAL
);
CREATE INDEX cases_reference ON cases (partner, reference);
-- A (partner, reference) names one case: the database refuses a second, also under a race.
CREATE UNIQUE INDEX cases_reference_unique ON cases (partner, reference) WHERE duplicate_of = '';
CREATE INDEX cases_written ON cases (written);
CREATE INDEX cases_seller_history ON cases (seller_id, created_at, state);
CREATE INDEX cases_buyer_history ON cases (buyer_id, created_at, state);

CREATE TABLE case_events (
  seq BIGSERIAL PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases (id),
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  detail_json TEXT NOT NULL,
  message_id TEXT NOT NULL,
  audit_seq BIGINT,
  audit_hash TEXT
);
CREATE INDEX case_events_case ON case_events (case_id);
CREATE INDEX case_events_released ON case_events (at) WHERE kind = 'transition' AND to_state = 'released';

CREATE TABLE outbox (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  case_id TEXT NOT NULL,
  content_type TEXT NOT NULL,
  body BYTEA NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT NOT NULL,
  created_at TEXT NOT NULL,
  lease_owner TEXT NOT NULL DEFAULT '',
  lease_until BIGINT NOT NULL DEFAULT 0,  -- ms since the Unix epoch; 0 = free
  batch TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pull ON outbox (recipient, channel, seq);
CREATE INDEX outbox_due ON outbox (channel, state, next_attempt_at);
CREATE INDEX outbox_pending_case ON outbox (recipient, case_id, seq) WHERE state = 'pending';
CREATE INDEX outbox_claim ON outbox (channel, seq) WHERE state = 'pending';
CREATE INDEX outbox_dead ON outbox (seq) WHERE state = 'dead';
CREATE INDEX outbox_case ON outbox (case_id, seq);
CREATE INDEX outbox_leased ON outbox (lease_owner) WHERE state = 'pending' AND lease_owner <> '';
CREATE TABLE pull_dead_letters (seq BIGINT PRIMARY KEY);

-- A large message's body or response, written in chunks at their offsets (bytea has no
-- incremental I/O): message_parts holds its declared size; bytes never written read as zeros.
CREATE TABLE message_parts (
  message_id TEXT NOT NULL,
  part TEXT NOT NULL,  -- 'body' | 'response'
  size BIGINT NOT NULL,
  PRIMARY KEY (message_id, part)
);
CREATE TABLE message_chunks (
  message_id TEXT NOT NULL,
  part TEXT NOT NULL,
  off BIGINT NOT NULL,
  bytes BYTEA NOT NULL,
  PRIMARY KEY (message_id, part, off)
);

CREATE TABLE staged_cases (
  seq BIGSERIAL PRIMARY KEY,
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
CREATE INDEX staged_cases_reference ON staged_cases (staging_id, reference);
CREATE TABLE staged_events (
  seq BIGSERIAL PRIMARY KEY,
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
CREATE INDEX staged_events_staging ON staged_events (staging_id, seq);
CREATE TABLE staged_outbox (
  seq BIGSERIAL PRIMARY KEY,
  staging_id TEXT NOT NULL,
  id TEXT NOT NULL,
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  case_id TEXT NOT NULL,
  content_type TEXT NOT NULL,
  body BYTEA NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX staged_outbox_staging ON staged_outbox (staging_id, seq);

CREATE TABLE party_totals (
  role TEXT NOT NULL,
  id TEXT NOT NULL,
  cases BIGINT NOT NULL,
  held BIGINT NOT NULL,
  PRIMARY KEY (role, id)
);
-- The SQLite journal's triggers cases_party_*, in one PL/pgSQL function.
CREATE FUNCTION swhub_party_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE party_totals SET cases = cases - 1, held = held - (OLD.state IN ('held', 'rejected'))::int
      WHERE role = 'seller' AND id = OLD.seller_id;
    UPDATE party_totals SET cases = cases - 1, held = held - (OLD.state IN ('held', 'rejected'))::int
      WHERE role = 'buyer' AND id = OLD.buyer_id;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    IF NEW.seller_id IS NOT NULL THEN
      INSERT INTO party_totals (role, id, cases, held) VALUES ('seller', NEW.seller_id, 1, (NEW.state IN ('held', 'rejected'))::int)
        ON CONFLICT (role, id) DO UPDATE SET cases = party_totals.cases + 1, held = party_totals.held + excluded.held;
    END IF;
    IF NEW.buyer_id IS NOT NULL THEN
      INSERT INTO party_totals (role, id, cases, held) VALUES ('buyer', NEW.buyer_id, 1, (NEW.state IN ('held', 'rejected'))::int)
        ON CONFLICT (role, id) DO UPDATE SET cases = party_totals.cases + 1, held = party_totals.held + excluded.held;
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER cases_party_insert AFTER INSERT ON cases FOR EACH ROW EXECUTE FUNCTION swhub_party_totals();
CREATE TRIGGER cases_party_update AFTER UPDATE OF state, seller_id, buyer_id ON cases FOR EACH ROW
  WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.seller_id IS DISTINCT FROM NEW.seller_id
        OR OLD.buyer_id IS DISTINCT FROM NEW.buyer_id)
  EXECUTE FUNCTION swhub_party_totals();
CREATE TRIGGER cases_party_delete AFTER DELETE ON cases FOR EACH ROW EXECUTE FUNCTION swhub_party_totals();

-- The audit chain's head: one row, always there. Every transaction that extends the chain or adds
-- outbox items locks it first (SELECT ... FOR UPDATE), so those writers of every node take turns:
-- the chain stays one chain, and seqs are handed out in commit order (a pull cursor never skips
-- a row committed later).
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));
CREATE TABLE audit_checkpoints (
  seq BIGINT PRIMARY KEY,
  head_hash TEXT NOT NULL,
  at TEXT NOT NULL,
  signature TEXT NOT NULL
);

CREATE TABLE licences (
  agency TEXT NOT NULL,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  holder TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  quantity BIGINT NOT NULL CHECK (quantity >= 0),
  remaining BIGINT NOT NULL CHECK (remaining >= 0 AND remaining <= quantity),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (agency, id)
);
CREATE TABLE licence_uses (
  case_id TEXT NOT NULL,
  agency TEXT NOT NULL,
  item INTEGER NOT NULL,
  licence_id TEXT NOT NULL,
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  at TEXT NOT NULL,
  PRIMARY KEY (case_id, agency, item, licence_id)
);
CREATE INDEX licence_uses_licence ON licence_uses (agency, licence_id);

CREATE TABLE statements (
  id TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  period TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE UNIQUE INDEX statements_period ON statements (account, period);
CREATE TABLE statement_cases (
  case_id TEXT PRIMARY KEY,
  statement_id TEXT NOT NULL REFERENCES statements (id),
  released_at TEXT NOT NULL
);
CREATE INDEX statement_cases_statement ON statement_cases (statement_id);
CREATE TABLE statement_lines (
  statement_id TEXT NOT NULL REFERENCES statements (id),
  seq BIGINT NOT NULL,
  kind TEXT NOT NULL,
  case_id TEXT NOT NULL,
  tax TEXT NOT NULL,
  item INTEGER NOT NULL,
  amount TEXT NOT NULL,
  currency TEXT NOT NULL,
  corrects TEXT NOT NULL,
  PRIMARY KEY (statement_id, seq)
);
CREATE INDEX statement_lines_case ON statement_lines (case_id);
CREATE FUNCTION swhub_statement_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'an issued statement never changes' USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER statements_immutable BEFORE UPDATE OR DELETE ON statements
  FOR EACH ROW EXECUTE FUNCTION swhub_statement_immutable();
CREATE TRIGGER statement_cases_immutable BEFORE UPDATE OR DELETE ON statement_cases
  FOR EACH ROW EXECUTE FUNCTION swhub_statement_immutable();
CREATE TRIGGER statement_lines_immutable BEFORE UPDATE OR DELETE ON statement_lines
  FOR EACH ROW EXECUTE FUNCTION swhub_statement_immutable();

-- Hub nodes (several `swhub serve` on one journal): each holds the session advisory lock
-- (kNodeLockClass, id) while it lives; a node whose lock is free is dead, and its leases and staged
-- messages are given back (pg_journal.cpp).
CREATE TABLE nodes (
  id BIGSERIAL PRIMARY KEY,
  owner TEXT NOT NULL,  -- the lease owner prefix of its process ("<host>/<pid>-<ms>-<hex>/")
  started_at TEXT NOT NULL
);
-- Which node is writing a staged message: only that node's death removes it.
CREATE TABLE staging_nodes (
  message_id TEXT PRIMARY KEY,
  node BIGINT NOT NULL
);
)sql";

// Migration 2: what declarations declared beyond their goods (declaration_links.hpp; SQLite's
// table of the same name): a case is completed by one supplementary declaration, a period of an
// account closed by one final supplementary (NULLs are distinct in a UNIQUE constraint: the other
// kinds leave them NULL). seq: the order written (SQLite's rowid).
constexpr const char* kMigration2 = R"sql(
CREATE TABLE declaration_links (
  seq BIGSERIAL PRIMARY KEY,
  case_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  type TEXT NOT NULL,
  completes TEXT UNIQUE,
  account TEXT,
  period TEXT,
  facts_json TEXT NOT NULL,
  at TEXT NOT NULL,
  UNIQUE (account, period)
);
CREATE INDEX declaration_links_case ON declaration_links (case_id);
)sql";

// Migration 3: statistics rollups (journal/stat_rollups.hpp; SQLite's tables of the same names),
// written in the transaction of what they count; stat_fill marks that the rows journaled before
// them are counted (stats/rollup_fill.hpp fills them once, at the first start after this).
constexpr const char* kMigration3 = R"sql(
CREATE TABLE stat_rollups (
  scope TEXT NOT NULL,
  hour BIGINT NOT NULL,
  family TEXT NOT NULL,
  key1 TEXT NOT NULL,
  key2 TEXT NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (scope, hour, family, key1, key2)
);
CREATE TABLE stat_fill (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  filled_at TEXT NOT NULL
);
)sql";

// Migration 4 (3 is the statistics'): supporting documents (documents.hpp; SQLite's tables of the
// same names): the bytes once per digest, and which case holds which digest, once per case, in
// the order attached (seq: SQLite's rowid).
constexpr const char* kMigration4 = R"sql(
CREATE TABLE document_blobs (
  digest TEXT PRIMARY KEY,
  size BIGINT NOT NULL,
  bytes BYTEA NOT NULL,
  stored_at TEXT NOT NULL
);
CREATE TABLE case_documents (
  seq BIGSERIAL PRIMARY KEY,
  case_id TEXT NOT NULL,
  digest TEXT NOT NULL REFERENCES document_blobs (digest),
  type TEXT NOT NULL,
  code TEXT NOT NULL,
  id TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL,
  UNIQUE (case_id, digest)
);
)sql";

// Migration 5: the case search (Journal::searchCases, newest first): by filing time alone, by
// partner, by state, and by reference across partners. The agency filter reads outbox_pull.
constexpr const char* kMigration5 = R"sql(
CREATE INDEX cases_filed ON cases (created_at, id);
CREATE INDEX cases_partner_filed ON cases (partner, created_at, id);
CREATE INDEX cases_state_filed ON cases (state, created_at, id);
CREATE INDEX cases_by_reference ON cases (reference);
)sql";

// Migration 6: how many messages and cases the journal holds (SQLite's journal_totals), kept by
// statement triggers that add each statement's rows at once (a manifest's cases are one COPY),
// counted once from the rows already there while the tables are locked against writers.
constexpr const char* kMigration6 = R"sql(
LOCK TABLE messages, cases IN SHARE ROW EXCLUSIVE MODE;
CREATE TABLE journal_totals (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
INSERT INTO journal_totals (name, value) SELECT 'messages', count(*) FROM messages;
INSERT INTO journal_totals (name, value) SELECT 'cases', count(*) FROM cases;
CREATE FUNCTION swhub_journal_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE journal_totals SET value = value + (SELECT count(*) FROM added) WHERE name = TG_ARGV[0];
  ELSE
    UPDATE journal_totals SET value = value - (SELECT count(*) FROM removed) WHERE name = TG_ARGV[0];
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER journal_totals_message_insert AFTER INSERT ON messages REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION swhub_journal_totals('messages');
CREATE TRIGGER journal_totals_message_delete AFTER DELETE ON messages REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION swhub_journal_totals('messages');
CREATE TRIGGER journal_totals_case_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION swhub_journal_totals('cases');
CREATE TRIGGER journal_totals_case_delete AFTER DELETE ON cases REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION swhub_journal_totals('cases');
)sql";

// Migration 7 (SQLite's schema 8): each case's ordinal with its seller and its buyer, so that
// Journal::partyHistory reads "before this case" without counting what was filed since: how many
// times a case had come to name the party before the case's message (the cases of one message
// share it; an amendment that names another party joins it again, its case id its token), and
// the departures of cases that stopped naming a party. Handed out by a BEFORE trigger from the
// party's totals row, which it locks until the commit: one node at a time per party. Ordinals of
// the cases already there follow their filing order; no departure is known from before.
constexpr const char* kMigration7 = R"sql(
LOCK TABLE cases, party_totals IN SHARE ROW EXCLUSIVE MODE;
DROP TRIGGER cases_party_insert ON cases;
DROP TRIGGER cases_party_update ON cases;
DROP TRIGGER cases_party_delete ON cases;
DROP FUNCTION swhub_party_totals();
ALTER TABLE cases ADD COLUMN seller_ord BIGINT, ADD COLUMN buyer_ord BIGINT;
ALTER TABLE party_totals ADD COLUMN joined BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN last_message TEXT NOT NULL DEFAULT '', ADD COLUMN message_base BIGINT NOT NULL DEFAULT 0;
CREATE TABLE party_departures (
  role TEXT NOT NULL,
  id TEXT NOT NULL,
  ord BIGINT NOT NULL
);
CREATE INDEX party_departures_ord ON party_departures (role, id, ord);
UPDATE cases c SET seller_ord = o.ord FROM (SELECT id, min(n) OVER (PARTITION BY seller_id, message_id) AS ord
  FROM (SELECT id, seller_id, message_id, row_number() OVER (PARTITION BY seller_id ORDER BY created_at, written) - 1 AS n
        FROM cases WHERE seller_id IS NOT NULL) f) o WHERE c.id = o.id;
UPDATE cases c SET buyer_ord = o.ord FROM (SELECT id, min(n) OVER (PARTITION BY buyer_id, message_id) AS ord
  FROM (SELECT id, buyer_id, message_id, row_number() OVER (PARTITION BY buyer_id ORDER BY created_at, written) - 1 AS n
        FROM cases WHERE buyer_id IS NOT NULL) f) o WHERE c.id = o.id;
UPDATE party_totals SET joined = cases;
DROP INDEX cases_seller_history;
DROP INDEX cases_buyer_history;
CREATE INDEX cases_seller_held ON cases (seller_id, seller_ord, state) WHERE state IN ('held', 'rejected');
CREATE INDEX cases_buyer_held ON cases (buyer_id, buyer_ord, state) WHERE state IN ('held', 'rejected');
-- One party of one case, before the row is written: returns the case's ordinal with the party.
CREATE FUNCTION swhub_party_step(r TEXT, old_id TEXT, old_ord BIGINT, old_held INT, new_id TEXT, new_held INT,
                                 token TEXT) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
  ord BIGINT;
BEGIN
  IF old_id IS NOT DISTINCT FROM new_id THEN  -- the same party (or none): its held share only
    IF new_id IS NOT NULL AND old_held <> new_held THEN
      UPDATE party_totals SET held = held + new_held - old_held WHERE role = r AND id = new_id;
    END IF;
    RETURN old_ord;
  END IF;
  IF old_id IS NOT NULL THEN
    UPDATE party_totals SET cases = cases - 1, held = held - old_held WHERE role = r AND id = old_id;
    INSERT INTO party_departures (role, id, ord) VALUES (r, old_id, old_ord);
  END IF;
  IF new_id IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO party_totals AS t (role, id, cases, held, joined, last_message, message_base)
    VALUES (r, new_id, 1, new_held, 1, token, 0)
    ON CONFLICT (role, id) DO UPDATE SET cases = t.cases + 1, held = t.held + excluded.held, joined = t.joined + 1,
      message_base = CASE WHEN t.last_message = excluded.last_message THEN t.message_base ELSE t.joined END,
      last_message = excluded.last_message
    RETURNING t.message_base INTO ord;
  RETURN ord;
END $$;
CREATE FUNCTION swhub_party_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.seller_ord := swhub_party_step('seller', NULL, NULL, 0, NEW.seller_id, (NEW.state IN ('held', 'rejected'))::int, NEW.message_id);
    NEW.buyer_ord := swhub_party_step('buyer', NULL, NULL, 0, NEW.buyer_id, (NEW.state IN ('held', 'rejected'))::int, NEW.message_id);
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    NEW.seller_ord := swhub_party_step('seller', OLD.seller_id, OLD.seller_ord, (OLD.state IN ('held', 'rejected'))::int,
                                       NEW.seller_id, (NEW.state IN ('held', 'rejected'))::int, NEW.id);
    NEW.buyer_ord := swhub_party_step('buyer', OLD.buyer_id, OLD.buyer_ord, (OLD.state IN ('held', 'rejected'))::int,
                                      NEW.buyer_id, (NEW.state IN ('held', 'rejected'))::int, NEW.id);
    RETURN NEW;
  END IF;
  PERFORM swhub_party_step('seller', OLD.seller_id, OLD.seller_ord, (OLD.state IN ('held', 'rejected'))::int, NULL, 0, '');
  PERFORM swhub_party_step('buyer', OLD.buyer_id, OLD.buyer_ord, (OLD.state IN ('held', 'rejected'))::int, NULL, 0, '');
  RETURN OLD;
END $$;
CREATE TRIGGER cases_party_insert BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION swhub_party_totals();
CREATE TRIGGER cases_party_update BEFORE UPDATE OF state, seller_id, buyer_id ON cases FOR EACH ROW
  WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.seller_id IS DISTINCT FROM NEW.seller_id
        OR OLD.buyer_id IS DISTINCT FROM NEW.buyer_id)
  EXECUTE FUNCTION swhub_party_totals();
CREATE TRIGGER cases_party_delete BEFORE DELETE ON cases FOR EACH ROW EXECUTE FUNCTION swhub_party_totals();
)sql";

// Every migration, in order: version, SQL. A later schema change (a table in main, a column)
// is one more entry here, never an edit of an applied one.
const std::vector<std::pair<std::int64_t, const char*>>& migrations() {
  static const std::vector<std::pair<std::int64_t, const char*>> all = {
      {1, kMigration1}, {2, kMigration2}, {3, kMigration3}, {4, kMigration4}, {5, kMigration5},
      {6, kMigration6}, {7, kMigration7}};
  return all;
}

}  // namespace

void migrate(Conn& conn) {
  // Two nodes starting at once: the second waits here and then finds the work done (the table
  // too is made under the lock: two concurrent CREATE TABLE IF NOT EXISTS can both try).
  conn.exec("BEGIN");
  try {
    conn.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kLockClass) + ", " + std::to_string(kMigrationLock) + ")");
    conn.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)");
    // Each migration once, by its own row: one merged out of number order (a branch's 3 landing
    // after another's 5) is still applied on a journal that has the later one.
    std::set<std::int64_t> applied;
    const Result rows = conn.exec("SELECT version FROM schema_migrations");
    for (int i = 0; i < rows.rows(); ++i) applied.insert(rows.integer(i, 0));
    if (!applied.empty() && *applied.rbegin() > kSchemaVersion) {
      throw StoreFailure("journal schema version " + std::to_string(*applied.rbegin()) +
                         " is newer than this hub understands (" + std::to_string(kSchemaVersion) + ")");
    }
    for (const auto& [number, sql] : migrations()) {
      if (applied.count(number)) continue;
      conn.exec(sql);
      conn.exec("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, to_char(now() AT TIME ZONE 'UTC',"
                " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))",
                Params().integer(number));
    }
    conn.exec("COMMIT");
  } catch (...) {
    PQclear(PQexec(conn.handle(), "ROLLBACK"));
    throw;
  }
}

}  // namespace swhub::journal::pg
