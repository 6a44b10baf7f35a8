#pragma once
// The PostgreSQL journal's schema, in one place: the tables (the SQLite journal's, schema 6, in
// PostgreSQL's types) and the versioned migrations applied once, under an advisory lock so that
// nodes starting together do not both migrate.

#include <cstdint>
#include <string>

#include "journal/pg_conn.hpp"

namespace swhub::journal::pg {

// The latest migration this hub knows (schema_migrations.version).
inline constexpr std::int64_t kSchemaVersion = 7;
// Advisory lock keys (pg_advisory_lock(class, key)): the migration's, and each node's liveness
// (class kNodeLockClass, key = the node's id), in classes of their own so that they never meet.
inline constexpr int kLockClass = 0x5357;  // "SW"
inline constexpr int kMigrationLock = 1;
inline constexpr int kNodeLockClass = 0x5358;

// Applies every migration not yet in schema_migrations, each in its own transaction; throws
// StoreFailure when the journal is newer than this hub.
void migrate(Conn& conn);

}  // namespace swhub::journal::pg
