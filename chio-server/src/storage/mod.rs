//! Accounts and friend lists.
//!
//! So far: [`Account`], the rules for names ([`safe_name`], [`validate_name`]), the
//! password hash policy ([`PasswordPolicy`]) and [`StorageError`].

mod account;
mod error;
#[allow(dead_code)] // the hasher is used by the SQLite storage, next commit
mod password;

pub use account::{Account, FIRST_USER_ID, MAX_NAME_LEN, safe_name, validate_name};
pub use error::StorageError;
pub use password::PasswordPolicy;
