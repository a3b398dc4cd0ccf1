//! [`SqliteStorage`]: the default [`Storage`], one SQLite database.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, ffi, params};

use super::account::{Account, FIRST_USER_ID, safe_name, validate_name};
use super::password::{Hasher, PasswordPolicy, Verified, normalize_md5};
use super::schema::{self, unix_now};
use super::{Storage, StorageError};

/// The columns [`RawAccount::read`] reads, in order.
const ACCOUNT_COLUMNS: &str = "id, name, permissions, country, created_at, password_hash";

/// [`Storage`] in an SQLite database: a file, or memory.
///
/// # Durability
///
/// A file database runs in WAL mode with `synchronous = NORMAL`: every write is one
/// transaction, and once a call returns its write survives the process crashing or being
/// killed. (A power loss or operating-system crash may lose the last few transactions, but
/// never corrupts the database.) Foreign keys are enforced. Opening a database creates its
/// schema, or migrates an older one, in one transaction.
///
/// # Concurrency
///
/// One connection behind a [`Mutex`] serves every thread: SQLite allows only one writer at a
/// time anyway, and each call holds the lock only for its few statements. Password hashing,
/// the slow part of [`register`](Storage::register) and
/// [`authenticate`](Storage::authenticate), runs outside the lock, so those calls run in
/// parallel on as many threads as call them. Other processes may open the same file; they
/// wait up to five seconds for a write lock.
///
/// # Example
///
/// ```
/// use chio_server::storage::{PasswordPolicy, SqliteStorage, Storage};
///
/// // A file in production: SqliteStorage::open("bancho.db", PasswordPolicy::default())
/// let storage = SqliteStorage::in_memory(PasswordPolicy::FAST_FOR_TESTS)?;
/// storage.register_system(1, "BanchoBot")?;
/// let md5 = "5f4dcc3b5aa765d61d8327deb882cf99"; // what the client sends for "password"
/// let me = storage.register("Some User", md5)?;
/// assert_eq!(me.id, 1000);
/// assert_eq!(storage.authenticate("some_user", md5)?, Some(me));
/// # Ok::<(), chio_server::storage::StorageError>(())
/// ```
#[derive(Debug)]
pub struct SqliteStorage {
    conn: Mutex<Connection>,
    hasher: Hasher,
}

impl SqliteStorage {
    /// Opens the database file at `path`, creating it if it does not exist, and brings its
    /// schema up to date. New password hashes use `policy`.
    ///
    /// # Errors
    ///
    /// [`StorageError::Database`] if the file cannot be opened or is not an SQLite database,
    /// [`StorageError::SchemaTooNew`] if a newer build wrote it, [`StorageError::Hash`] if
    /// `policy` is out of argon2's range.
    pub fn open(path: impl AsRef<Path>, policy: PasswordPolicy) -> Result<Self, StorageError> {
        let hasher = Hasher::new(policy)?;
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        // WAL: readers do not block the writer, and a commit is one append to the log.
        let _mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        // In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives the
        // process dying, though not necessarily the machine.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Self::init(conn, hasher)
    }

    /// A database in memory, gone when the value is dropped; for tests and tools.
    ///
    /// # Errors
    ///
    /// [`StorageError::Hash`] if `policy` is out of argon2's range.
    pub fn in_memory(policy: PasswordPolicy) -> Result<Self, StorageError> {
        let hasher = Hasher::new(policy)?;
        Self::init(Connection::open_in_memory()?, hasher)
    }

    fn init(mut conn: Connection, hasher: Hasher) -> Result<Self, StorageError> {
        conn.pragma_update(None, "foreign_keys", true)?;
        schema::migrate(&mut conn)?;
        Ok(Self { conn: Mutex::new(conn), hasher })
    }

    /// The connection. A thread that panicked while holding it left no transaction open
    /// (dropping a transaction rolls it back), so a poisoned lock is safe to take.
    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn find(
        conn: &Connection,
        column: &str,
        key: &dyn rusqlite::ToSql,
    ) -> Result<Option<RawAccount>, StorageError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE {column} = ?1");
        Ok(conn.prepare_cached(&sql)?.query_row([key], RawAccount::read).optional()?)
    }

    fn exists(tx: &Transaction<'_>, id: i32) -> Result<bool, StorageError> {
        let mut stmt = tx.prepare_cached("SELECT 1 FROM accounts WHERE id = ?1")?;
        Ok(stmt.exists([id])?)
    }

    fn require(tx: &Transaction<'_>, id: i32) -> Result<(), StorageError> {
        if Self::exists(tx, id)? { Ok(()) } else { Err(StorageError::UnknownAccount(id)) }
    }

    /// Replaces an outdated password hash after a successful login. Best effort: if it fails,
    /// the old hash stays and still verifies.
    fn rehash(&self, id: i32, old: &str, md5: &str) {
        let Ok(new) = self.hasher.hash(md5) else { return };
        let _ = self.conn().execute(
            "UPDATE accounts SET password_hash = ?1 WHERE id = ?2 AND password_hash = ?3",
            params![new, id, old],
        );
    }

    /// Inserts an account with `id`, or with the next player id if `None`, in `tx`.
    fn insert(
        tx: &Transaction<'_>,
        id: Option<i32>,
        name: &str,
        password_hash: Option<&str>,
    ) -> Result<Account, StorageError> {
        let id = match id {
            Some(id) => id,
            None => {
                let next: i64 = tx.query_row(
                    "SELECT MAX(COALESCE(MAX(id) + 1, 0), ?1) FROM accounts",
                    [FIRST_USER_ID],
                    |r| r.get(0),
                )?;
                i32::try_from(next).map_err(|_| StorageError::CorruptRow("no account id left".into()))?
            }
        };
        let account = Account {
            id,
            name: name.to_owned(),
            permissions: Account::DEFAULT_PERMISSIONS,
            country: 0,
            created_at: unix_now(),
        };
        let inserted = tx.execute(
            "INSERT INTO accounts (id, name, safe_name, password_hash, permissions, country, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                account.id,
                account.name,
                safe_name(name),
                password_hash,
                account.permissions,
                account.country,
                account.created_at
            ],
        );
        match inserted {
            Ok(_) => Ok(account),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.extended_code == ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
            {
                Err(StorageError::IdTaken(id))
            }
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.extended_code == ffi::SQLITE_CONSTRAINT_UNIQUE => {
                Err(StorageError::NameTaken(name.to_owned()))
            }
            Err(e) => Err(e.into()),
        }
    }
}

impl Storage for SqliteStorage {
    fn register(&self, name: &str, password_md5: &str) -> Result<Account, StorageError> {
        validate_name(name)?;
        let md5 = normalize_md5(password_md5)?;
        // A taken name fails before the costly hash; the insert checks again.
        if self.account_by_name(name)?.is_some() {
            return Err(StorageError::NameTaken(name.to_owned()));
        }
        let hash = self.hasher.hash(&md5)?;
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let account = Self::insert(&tx, None, name, Some(&hash))?;
        tx.commit()?;
        Ok(account)
    }

    fn register_system(&self, id: i32, name: &str) -> Result<Account, StorageError> {
        if !(1..FIRST_USER_ID).contains(&id) {
            return Err(StorageError::InvalidSystemId(id));
        }
        validate_name(name)?;
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let account = match Self::find(&tx, "id", &id)? {
            None => Self::insert(&tx, Some(id), name, None)?,
            Some(raw) if raw.password_hash.is_none() && safe_name(&raw.name) == safe_name(name) => {
                raw.into_account()?
            }
            Some(_) => return Err(StorageError::IdTaken(id)),
        };
        tx.commit()?;
        Ok(account)
    }

    fn authenticate(&self, name: &str, password_md5: &str) -> Result<Option<Account>, StorageError> {
        let md5 = normalize_md5(password_md5)?;
        let found = Self::find(&self.conn(), "safe_name", &safe_name(name))?;
        let stored = found.as_ref().and_then(|raw| raw.password_hash.as_deref());
        // Verified without the lock held; without a stored hash, against a dummy one.
        match (self.hasher.verify(&md5, stored)?, found) {
            (Verified::Yes { outdated }, Some(raw)) => {
                if outdated && let Some(old) = &raw.password_hash {
                    self.rehash(i32::try_from(raw.id).unwrap_or(0), old, &md5);
                }
                raw.into_account().map(Some)
            }
            _ => Ok(None),
        }
    }

    fn account(&self, id: i32) -> Result<Option<Account>, StorageError> {
        Self::find(&self.conn(), "id", &id)?.map(RawAccount::into_account).transpose()
    }

    fn account_by_name(&self, name: &str) -> Result<Option<Account>, StorageError> {
        Self::find(&self.conn(), "safe_name", &safe_name(name))?.map(RawAccount::into_account).transpose()
    }

    fn set_permissions(&self, id: i32, permissions: u32) -> Result<(), StorageError> {
        let changed = self
            .conn()
            .execute("UPDATE accounts SET permissions = ?1 WHERE id = ?2", params![permissions, id])?;
        if changed == 0 { Err(StorageError::UnknownAccount(id)) } else { Ok(()) }
    }

    fn set_country(&self, id: i32, country: u8) -> Result<(), StorageError> {
        let changed =
            self.conn().execute("UPDATE accounts SET country = ?1 WHERE id = ?2", params![country, id])?;
        if changed == 0 { Err(StorageError::UnknownAccount(id)) } else { Ok(()) }
    }

    fn friends(&self, id: i32) -> Result<Vec<i32>, StorageError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        Self::require(&tx, id)?;
        let friends = tx
            .prepare_cached("SELECT friend_id FROM friends WHERE account_id = ?1 ORDER BY friend_id")?
            .query_map([id], |r| r.get(0))?
            .collect::<Result<Vec<i32>, _>>()?;
        tx.commit()?;
        Ok(friends)
    }

    fn add_friend(&self, id: i32, friend_id: i32) -> Result<bool, StorageError> {
        if id == friend_id {
            return Err(StorageError::FriendSelf(id));
        }
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        Self::require(&tx, id)?;
        Self::require(&tx, friend_id)?;
        let added = tx.execute(
            "INSERT OR IGNORE INTO friends (account_id, friend_id, created_at) VALUES (?1, ?2, ?3)",
            params![id, friend_id, unix_now()],
        )?;
        tx.commit()?;
        Ok(added == 1)
    }

    fn remove_friend(&self, id: i32, friend_id: i32) -> Result<bool, StorageError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        Self::require(&tx, id)?;
        let removed = tx.execute(
            "DELETE FROM friends WHERE account_id = ?1 AND friend_id = ?2",
            params![id, friend_id],
        )?;
        tx.commit()?;
        Ok(removed == 1)
    }
}

/// An account row as stored, before its values are checked.
struct RawAccount {
    id: i64,
    name: String,
    permissions: i64,
    country: i64,
    created_at: i64,
    password_hash: Option<String>,
}

impl RawAccount {
    fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            name: row.get(1)?,
            permissions: row.get(2)?,
            country: row.get(3)?,
            created_at: row.get(4)?,
            password_hash: row.get(5)?,
        })
    }

    fn into_account(self) -> Result<Account, StorageError> {
        let corrupt = |what: &str, value: i64| {
            StorageError::CorruptRow(format!("account {}: {what} {value} is out of range", self.id))
        };
        Ok(Account {
            id: i32::try_from(self.id).map_err(|_| corrupt("id", self.id))?,
            permissions: u32::try_from(self.permissions)
                .map_err(|_| corrupt("permissions", self.permissions))?,
            country: u8::try_from(self.country).map_err(|_| corrupt("country", self.country))?,
            created_at: self.created_at,
            name: self.name,
        })
    }
}
