//! Where the player's decisions are kept: grants (each only as its token's hash), the
//! whitelist and the blacklist.
//!
//! The server works from memory and writes every change through a [`Store`] as it makes
//! it, one transaction per change, and reads the store once when it starts. [`MemoryStore`]
//! (the default) keeps them for the life of the process; [`SqliteStore`] keeps them in a
//! SQLite file, so an approved application reconnects with its token after a restart,
//! without a new prompt.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, OptionalExtension, params};

use crate::auth::Scope;
use crate::auth::{GrantId, GrantInfo, TokenHash};
use crate::permission::Permissions;

/// A grant as stored (defined with the grants, which hand it to a store).
pub use crate::auth::StoredGrant;

/// Everything a store holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stored {
    /// The grants in force, oldest first.
    pub grants: Vec<StoredGrant>,
    /// Whitelisted application names and the permissions they get without asking.
    pub whitelist: Vec<(String, Permissions)>,
    /// Blacklisted application names.
    pub blacklist: Vec<String>,
    /// The highest grant id ever stored, revoked ones included: new ids continue after it,
    /// so an id a host kept never names a newer grant.
    pub last_grant_id: u64,
}

/// Why a store could not read or write.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("grant store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The store holds something this version cannot read.
    #[error("grant store: corrupt record: {0}")]
    Corrupt(String),
}

/// Keeps grants, the whitelist and the blacklist across restarts.
///
/// Each method is one change, applied whole or not at all. They are called while the
/// server's records are locked, so they should be quick (a local file, not a network).
pub trait Store: Send + Sync + 'static {
    /// Everything stored, read once when the server starts.
    fn load(&self) -> Result<Stored, StoreError>;

    /// Adds `grant`, removing grant `replacing` (the one it escalates) in the same change.
    fn put_grant(&self, grant: &StoredGrant, replacing: Option<GrantId>) -> Result<(), StoreError>;

    /// Removes grant `id`.
    fn remove_grant(&self, id: GrantId) -> Result<(), StoreError>;

    /// Whitelists `application` with `permissions`, or takes it off with `None`.
    fn set_whitelist(&self, application: &str, permissions: Option<Permissions>) -> Result<(), StoreError>;

    /// Blacklists `application`, removing its grants and its whitelisting in the same change.
    fn blacklist(&self, application: &str) -> Result<(), StoreError>;

    /// Takes `application` off the blacklist.
    fn unblacklist(&self, application: &str) -> Result<(), StoreError>;
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A store in memory: the server's default. Nothing survives the process, but one store
/// shared by servers in turn (tests, a host restarting its server) carries grants over.
#[derive(Debug, Default)]
pub struct MemoryStore {
    stored: Mutex<Stored>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Store for MemoryStore {
    fn load(&self) -> Result<Stored, StoreError> {
        Ok(lock(&self.stored).clone())
    }

    fn put_grant(&self, grant: &StoredGrant, replacing: Option<GrantId>) -> Result<(), StoreError> {
        let mut stored = lock(&self.stored);
        stored.grants.retain(|kept| Some(kept.info.id) != replacing && kept.info.id != grant.info.id);
        stored.grants.push(grant.clone());
        stored.last_grant_id = stored.last_grant_id.max(grant.info.id.0);
        Ok(())
    }

    fn remove_grant(&self, id: GrantId) -> Result<(), StoreError> {
        lock(&self.stored).grants.retain(|kept| kept.info.id != id);
        Ok(())
    }

    fn set_whitelist(&self, application: &str, permissions: Option<Permissions>) -> Result<(), StoreError> {
        let mut stored = lock(&self.stored);
        stored.whitelist.retain(|(name, _)| name != application);
        if let Some(permissions) = permissions {
            stored.whitelist.push((application.to_owned(), permissions));
        }
        Ok(())
    }

    fn blacklist(&self, application: &str) -> Result<(), StoreError> {
        let mut stored = lock(&self.stored);
        stored.grants.retain(|kept| kept.info.application != application);
        stored.whitelist.retain(|(name, _)| name != application);
        if !stored.blacklist.iter().any(|name| name == application) {
            stored.blacklist.push(application.to_owned());
        }
        Ok(())
    }

    fn unblacklist(&self, application: &str) -> Result<(), StoreError> {
        lock(&self.stored).blacklist.retain(|name| name != application);
        Ok(())
    }
}

/// The schema; `user_version` 1.
const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS grants (
        id INTEGER PRIMARY KEY,
        application TEXT NOT NULL,
        scope TEXT NOT NULL CHECK (scope IN ('user', 'client')),
        username TEXT,
        permissions TEXT NOT NULL,
        token_hash BLOB NOT NULL CHECK (length(token_hash) = 64)
    );
    CREATE TABLE IF NOT EXISTS whitelist (application TEXT PRIMARY KEY, permissions TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS blacklist (application TEXT PRIMARY KEY);
    CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    PRAGMA user_version = 1;
";

/// A store in a SQLite file (bundled SQLite): grants with their tokens' SHA-512 hashes
/// only, the whitelist and the blacklist; each change one transaction.
#[derive(Debug)]
pub struct SqliteStore {
    connection: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens (or creates) the store at `path`. On Unix a new file is readable by its owner
    /// only (SQLite gives its journal files the same mode).
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref();
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // Create it private before SQLite does; an existing file keeps its mode.
            let _ = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path);
        }
        Self::with_connection(Connection::open(path)?)
    }

    /// A store in memory, for tests.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::with_connection(Connection::open_in_memory()?)
    }

    fn with_connection(connection: Connection) -> Result<Self, StoreError> {
        // WAL keeps readers and the writer apart and survives a crash mid-write; a file
        // that cannot use it (in memory) keeps its default journal.
        let _: Result<String, _> = connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0));
        connection.execute_batch(SCHEMA)?;
        Ok(Self { connection: Mutex::new(connection) })
    }

    fn change(
        &self,
        apply: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<()>,
    ) -> Result<(), StoreError> {
        let mut connection = lock(&self.connection);
        let transaction = connection.transaction()?;
        apply(&transaction)?;
        transaction.commit()?;
        Ok(())
    }
}

fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::User => "user",
        Scope::Client => "client",
    }
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

impl Store for SqliteStore {
    fn load(&self) -> Result<Stored, StoreError> {
        let connection = lock(&self.connection);
        let mut stored = Stored::default();
        let mut statement = connection.prepare(
            "SELECT id, application, scope, username, permissions, token_hash FROM grants ORDER BY id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<String>>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, Vec<u8>>(5)?,
            ))
        })?;
        for row in rows {
            let (id, application, scope, username, permissions, hash) = row?;
            let id = u64::try_from(id).map_err(|_| corrupt(format!("grant id {id}")))?;
            let scope: Scope = scope.parse().map_err(corrupt)?;
            let permissions: Permissions = permissions.parse().map_err(corrupt)?;
            let hash: [u8; 64] = hash.try_into().map_err(|_| corrupt(format!("grant {id}: hash length")))?;
            stored.grants.push(StoredGrant {
                info: GrantInfo { id: GrantId(id), application, scope, username, permissions },
                hash: TokenHash::from_bytes(hash),
            });
        }
        let mut statement =
            connection.prepare("SELECT application, permissions FROM whitelist ORDER BY application")?;
        let rows = statement.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?;
        for row in rows {
            let (application, permissions) = row?;
            stored.whitelist.push((application, permissions.parse().map_err(corrupt)?));
        }
        let last: Option<i64> = connection
            .query_row("SELECT value FROM counters WHERE name = 'last_grant_id'", [], |row| row.get(0))
            .optional()?;
        let last = u64::try_from(last.unwrap_or(0)).map_err(corrupt)?;
        stored.last_grant_id = stored.grants.iter().map(|grant| grant.info.id.0).fold(last, u64::max);
        let mut statement = connection.prepare("SELECT application FROM blacklist ORDER BY application")?;
        let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
        for row in rows {
            stored.blacklist.push(row?);
        }
        Ok(stored)
    }

    fn put_grant(&self, grant: &StoredGrant, replacing: Option<GrantId>) -> Result<(), StoreError> {
        let info = &grant.info;
        let id = i64::try_from(info.id.0).map_err(|_| corrupt(format!("grant id {}", info.id)))?;
        let replacing = replacing.and_then(|old| i64::try_from(old.0).ok());
        self.change(|tx| {
            if let Some(old) = replacing {
                tx.execute("DELETE FROM grants WHERE id = ?1", params![old])?;
            }
            tx.execute(
                "INSERT OR REPLACE INTO grants (id, application, scope, username, permissions, token_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    id,
                    info.application,
                    scope_name(info.scope),
                    info.username,
                    info.permissions.to_string(),
                    &grant.hash.as_bytes()[..],
                ],
            )?;
            tx.execute(
                "INSERT INTO counters (name, value) VALUES ('last_grant_id', ?1)
                 ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)",
                params![id],
            )?;
            Ok(())
        })
    }

    fn remove_grant(&self, id: GrantId) -> Result<(), StoreError> {
        let Ok(id) = i64::try_from(id.0) else { return Ok(()) };
        self.change(|tx| tx.execute("DELETE FROM grants WHERE id = ?1", params![id]).map(drop))
    }

    fn set_whitelist(&self, application: &str, permissions: Option<Permissions>) -> Result<(), StoreError> {
        self.change(|tx| {
            match permissions {
                Some(permissions) => tx.execute(
                    "INSERT OR REPLACE INTO whitelist (application, permissions) VALUES (?1, ?2)",
                    params![application, permissions.to_string()],
                )?,
                None => tx.execute("DELETE FROM whitelist WHERE application = ?1", params![application])?,
            };
            Ok(())
        })
    }

    fn blacklist(&self, application: &str) -> Result<(), StoreError> {
        self.change(|tx| {
            tx.execute("INSERT OR IGNORE INTO blacklist (application) VALUES (?1)", params![application])?;
            tx.execute("DELETE FROM grants WHERE application = ?1", params![application])?;
            tx.execute("DELETE FROM whitelist WHERE application = ?1", params![application])?;
            Ok(())
        })
    }

    fn unblacklist(&self, application: &str) -> Result<(), StoreError> {
        self.change(|tx| {
            tx.execute("DELETE FROM blacklist WHERE application = ?1", params![application]).map(drop)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Token;

    fn has_grant(store: &dyn Store, id: GrantId) -> Result<bool, StoreError> {
        Ok(store.load()?.grants.iter().any(|grant| grant.info.id == id))
    }

    fn grant(id: u64, application: &str, token: &Token) -> StoredGrant {
        StoredGrant {
            info: GrantInfo {
                id: GrantId(id),
                application: application.into(),
                scope: Scope::User,
                username: Some("peppy".into()),
                permissions: Permissions::READ | Permissions::NOTIFY,
            },
            hash: TokenHash::user(token.as_str(), "peppy"),
        }
    }

    fn exercise(store: &dyn Store) {
        let token = Token::generate().unwrap();
        store.put_grant(&grant(1, "overlay", &token), None).unwrap();
        store.put_grant(&grant(2, "tracker", &token), None).unwrap();
        store.put_grant(&grant(3, "overlay", &token), Some(GrantId(1))).unwrap();
        store.set_whitelist("tracker", Some(Permissions::READ)).unwrap();
        store.set_whitelist("bot", Some(Permissions::FULL)).unwrap();
        store.set_whitelist("bot", None).unwrap();
        store.blacklist("tracker").unwrap();
        store.blacklist("spammer").unwrap();
        store.unblacklist("spammer").unwrap();
        let stored = store.load().unwrap();
        assert_eq!(stored.grants, vec![grant(3, "overlay", &token)]);
        assert!(stored.whitelist.is_empty());
        assert_eq!(stored.blacklist, vec!["tracker".to_owned()]);
        store.remove_grant(GrantId(3)).unwrap();
        assert!(!has_grant(store, GrantId(3)).unwrap());
        assert_eq!(store.load().unwrap().last_grant_id, 3, "removed ids are not handed out again");
    }

    #[test]
    fn both_stores_keep_the_same_records() {
        exercise(&MemoryStore::new());
        exercise(&SqliteStore::open_in_memory().unwrap());
    }

    #[test]
    fn a_sqlite_file_keeps_hashes_not_tokens_and_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("grants.sqlite3");
        let token = Token::generate().unwrap();
        {
            let store = SqliteStore::open(&path).unwrap();
            store.put_grant(&grant(7, "overlay", &token), None).unwrap();
            store.set_whitelist("obs", Some(Permissions::READ)).unwrap();
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "the store is private to its owner");
        }
        let store = SqliteStore::open(&path).unwrap();
        let stored = store.load().unwrap();
        assert_eq!(stored.grants, vec![grant(7, "overlay", &token)]);
        assert_eq!(stored.whitelist, vec![("obs".to_owned(), Permissions::READ)]);
        drop(store);
        // Neither the token's text nor its bytes are anywhere in the files.
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            let text = token.as_str().as_bytes();
            assert!(!bytes.windows(text.len()).any(|window| window == text));
        }
    }

    #[test]
    fn a_failed_change_leaves_nothing_behind() {
        let store = SqliteStore::open_in_memory().unwrap();
        let token = Token::generate().unwrap();
        store.put_grant(&grant(1, "overlay", &token), None).unwrap();
        // A replacement whose insert fails (a CHECK on the hash length) must not delete
        // the grant it replaces: one transaction.
        let connection = lock(&store.connection);
        connection
            .execute_batch(
                "CREATE TRIGGER refuse BEFORE INSERT ON grants BEGIN SELECT RAISE(ABORT, 'no'); END;",
            )
            .unwrap();
        drop(connection);
        assert!(store.put_grant(&grant(2, "overlay", &token), Some(GrantId(1))).is_err());
        assert_eq!(store.load().unwrap().grants, vec![grant(1, "overlay", &token)]);
    }
}
