//! The SQLite schema and its migrations.

use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, TransactionBehavior, params};

use super::StorageError;

/// Now, in seconds since the Unix epoch: how the schema's timestamps are kept.
pub(super) fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The migrations, in order: `MIGRATIONS[i]` takes the schema from version `i` to `i + 1`.
/// Append only; a released migration never changes.
const MIGRATIONS: &[&str] = &[
    // 1: accounts and friends.
    "CREATE TABLE accounts (
         id            INTEGER PRIMARY KEY,
         name          TEXT    NOT NULL,
         safe_name     TEXT    NOT NULL UNIQUE,
         password_hash TEXT,
         permissions   INTEGER NOT NULL,
         country       INTEGER NOT NULL DEFAULT 0,
         created_at    INTEGER NOT NULL
     );
     CREATE TABLE friends (
         account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
         friend_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
         created_at INTEGER NOT NULL,
         PRIMARY KEY (account_id, friend_id),
         CHECK (account_id <> friend_id)
     ) WITHOUT ROWID;
     CREATE INDEX friends_by_friend ON friends (friend_id);",
];

/// The schema version this build writes.
pub(super) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`SCHEMA_VERSION`], all in one transaction: after a failure
/// (or a crash) the database is as it was.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), StorageError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_version (
             version    INTEGER PRIMARY KEY,
             applied_at INTEGER NOT NULL
         );",
    )?;
    let found: i64 =
        tx.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StorageError::SchemaTooNew { found, supported: SCHEMA_VERSION });
    }
    for (version, sql) in (1..).zip(MIGRATIONS).skip(usize::try_from(found).unwrap_or(0)) {
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)",
            params![version, unix_now()],
        )?;
    }
    tx.commit()?;
    Ok(())
}
