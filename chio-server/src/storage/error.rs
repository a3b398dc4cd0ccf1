//! What can go wrong in storage.

/// An error from a [`Storage`](super::Storage) operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    /// Another account already has this name, or one that is equal to it as a
    /// [safe name](super::safe_name).
    #[error("the name {0:?} is taken")]
    NameTaken(String),
    /// The name breaks the [name rules](super::validate_name).
    #[error("invalid name {name:?}: {reason}")]
    InvalidName {
        /// The name given.
        name: String,
        /// Which rule it breaks.
        reason: &'static str,
    },
    /// The password is not an MD5 digest in hex (32 hex digits), which is what osu! clients
    /// send.
    #[error("the password is not an MD5 digest in hex (32 hex digits)")]
    InvalidPasswordMd5,
    /// No account has this id.
    #[error("no account has the id {0}")]
    UnknownAccount(i32),
    /// An account cannot befriend itself.
    #[error("account {0} cannot befriend itself")]
    FriendSelf(i32),
    /// A system account id must lie in `1..FIRST_USER_ID`.
    #[error("{0} is not a system account id (1..1000)")]
    InvalidSystemId(i32),
    /// Another account already has this id.
    #[error("the id {0} is taken")]
    IdTaken(i32),
    /// The database was written by a newer version of this crate.
    #[error("the database has schema version {found}; this build knows up to {supported}")]
    SchemaTooNew {
        /// The database's schema version.
        found: i64,
        /// The newest schema version this build can use.
        supported: i64,
    },
    /// Hashing a password failed: the [`PasswordPolicy`](super::PasswordPolicy) is invalid,
    /// or the operating system's random number generator failed.
    #[error("password hashing failed: {0}")]
    Hash(#[source] argon2::password_hash::Error),
    /// The database reported an error.
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    /// A stored row holds a value this crate never writes (out of range, or an unreadable
    /// password hash).
    #[error("corrupt row: {0}")]
    CorruptRow(String),
}
