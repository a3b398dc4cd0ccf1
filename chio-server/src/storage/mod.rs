//! Accounts and friend lists.
//!
//! [`Storage`] is what a server needs to keep between runs about its users: accounts
//! (name, password hash, permissions, country) and friend lists. [`SqliteStorage`] is the
//! default implementation, a single SQLite file.
//!
//! # Passwords
//!
//! osu! clients send the MD5 digest of the password in hex, never the password. Storage
//! takes that digest (see [`StorageError::InvalidPasswordMd5`]) and keeps only an argon2id
//! hash of it, whose cost a [`PasswordPolicy`] sets.
//!
//! # Names
//!
//! osu! treats names that differ only in case, or in a space against an underscore, as the
//! same name. Storage compares names by their [`safe_name`] and keeps the registered form
//! for display. [`validate_name`] gives the rules for new names.
//!
//! # Ids
//!
//! Players get ids from [`FIRST_USER_ID`] (1000) up. Ids below are for bots and system
//! users (BanchoBot is id 1), created with [`Storage::register_system`].
//!
//! # Use from async code
//!
//! The API is synchronous: each call may wait on the disk, and registering and
//! authenticating compute a deliberately slow hash. An async server calls it from a
//! blocking-capable thread, e.g. with `tokio::task::spawn_blocking`, holding the storage
//! in an `Arc<dyn Storage>`:
//!
//! ```text
//! let storage = Arc::clone(&storage);
//! let account = tokio::task::spawn_blocking(move || storage.authenticate(&name, &md5)).await??;
//! ```

mod account;
mod error;
mod password;
mod schema;
mod sqlite;

pub use account::{Account, FIRST_USER_ID, MAX_NAME_LEN, safe_name, validate_name};
pub use error::StorageError;
pub use password::PasswordPolicy;
pub use sqlite::SqliteStorage;

/// Persistent accounts and friend lists.
///
/// Implementations are shared between threads (`Send + Sync`) and used through `&self`;
/// the trait is object safe, so servers can hold an `Arc<dyn Storage>`. Every method is
/// blocking; see the [module documentation](self) for use from async code. Every write is
/// atomic: it happens entirely or not at all.
pub trait Storage: Send + Sync + 'static {
    /// Registers a player account with a new id (from [`FIRST_USER_ID`] up),
    /// [default permissions](Account::DEFAULT_PERMISSIONS) and an unknown country (`0`).
    ///
    /// # Errors
    ///
    /// [`StorageError::InvalidName`] if `name` breaks the [name rules](validate_name),
    /// [`StorageError::InvalidPasswordMd5`] if `password_md5` is not 32 hex digits,
    /// [`StorageError::NameTaken`] if an account has the same [safe name](safe_name).
    fn register(&self, name: &str, password_md5: &str) -> Result<Account, StorageError>;

    /// Creates a bot or system account with the given id (`1..FIRST_USER_ID`) and no
    /// password, so it can never [authenticate](Storage::authenticate); BanchoBot is
    /// `register_system(1, "BanchoBot")`. It has [default
    /// permissions](Account::DEFAULT_PERMISSIONS) and an unknown country.
    ///
    /// If the system account already exists with this id and safe name, it is returned
    /// unchanged, so a server can call this at every start.
    ///
    /// # Errors
    ///
    /// [`StorageError::InvalidSystemId`] if `id` is outside `1..FIRST_USER_ID`,
    /// [`StorageError::InvalidName`], [`StorageError::NameTaken`] if another account has the
    /// name, [`StorageError::IdTaken`] if the id belongs to an account with another name.
    fn register_system(&self, id: i32, name: &str) -> Result<Account, StorageError>;

    /// The account whose name is `name` (compared as a [safe name](safe_name)) if
    /// `password_md5` is its password; `None` if no account has the name (an invalid name
    /// included), the password is wrong, or the account is a system account.
    ///
    /// The password check is constant-time, and an unknown name costs the same hashing work
    /// as a known one, so timing tells neither the password nor which names exist.
    ///
    /// # Errors
    ///
    /// [`StorageError::InvalidPasswordMd5`] if `password_md5` is not 32 hex digits.
    fn authenticate(&self, name: &str, password_md5: &str) -> Result<Option<Account>, StorageError>;

    /// The account with this id, if there is one.
    ///
    /// # Errors
    ///
    /// Only errors of the storage itself.
    fn account(&self, id: i32) -> Result<Option<Account>, StorageError>;

    /// The account whose [safe name](safe_name) is that of `name`, if there is one.
    ///
    /// # Errors
    ///
    /// Only errors of the storage itself.
    fn account_by_name(&self, name: &str) -> Result<Option<Account>, StorageError>;

    /// Replaces an account's permissions (bits of the osu! permissions set).
    ///
    /// # Errors
    ///
    /// [`StorageError::UnknownAccount`] if no account has the id.
    fn set_permissions(&self, id: i32, permissions: u32) -> Result<(), StorageError>;

    /// Sets an account's country (an index into the client's country table; `0` unknown).
    ///
    /// # Errors
    ///
    /// [`StorageError::UnknownAccount`] if no account has the id.
    fn set_country(&self, id: i32, country: u8) -> Result<(), StorageError>;

    /// The ids on an account's friend list, in ascending order.
    ///
    /// # Errors
    ///
    /// [`StorageError::UnknownAccount`] if no account has the id.
    fn friends(&self, id: i32) -> Result<Vec<i32>, StorageError>;

    /// Puts `friend_id` on `id`'s friend list (one way, as in osu!). Returns whether the
    /// list changed; adding a friend twice is not an error.
    ///
    /// # Errors
    ///
    /// [`StorageError::UnknownAccount`] if either account does not exist,
    /// [`StorageError::FriendSelf`] if the ids are equal.
    fn add_friend(&self, id: i32, friend_id: i32) -> Result<bool, StorageError>;

    /// Takes `friend_id` off `id`'s friend list. Returns whether the list changed; removing
    /// someone who is not on the list is not an error.
    ///
    /// # Errors
    ///
    /// [`StorageError::UnknownAccount`] if no account has the id `id`.
    fn remove_friend(&self, id: i32, friend_id: i32) -> Result<bool, StorageError>;
}
