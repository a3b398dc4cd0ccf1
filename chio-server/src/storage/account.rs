//! Accounts, and the rules for their names.

use super::StorageError;

/// The first id [`register`](super::Storage::register) hands out. Ids below it (from 1) are
/// for bots and system users, created with
/// [`register_system`](super::Storage::register_system).
pub const FIRST_USER_ID: i32 = 1000;

/// The longest valid name, in characters.
pub const MAX_NAME_LEN: usize = 32;

/// A stored account.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Account {
    /// The user id; [`FIRST_USER_ID`] and up for players, `1..FIRST_USER_ID` for bots and
    /// system users.
    pub id: i32,
    /// The name as registered (the display form, not the [safe name](safe_name)).
    pub name: String,
    /// What the user may do: the bits of the osu! permissions set, as in
    /// `chio_packets::types::Permissions::bits()` (`1` regular, `2` BAT, `4` supporter,
    /// `8` friend, `16` peppy, `32` tournament).
    pub permissions: u32,
    /// The user's country as an index into the client's country table; `0` is unknown.
    pub country: u8,
    /// When the account was created, in seconds since the Unix epoch.
    pub created_at: i64,
}

impl Account {
    /// Permissions of a new account: regular (`1`) and supporter (`4`).
    pub const DEFAULT_PERMISSIONS: u32 = 1 | 4;

    /// Whether this is a bot or system account (id below [`FIRST_USER_ID`]). Such an account
    /// has no password and never authenticates.
    pub fn is_system(&self) -> bool {
        self.id < FIRST_USER_ID
    }
}

/// The form of a name in which osu! compares names: lowercase, spaces as underscores.
///
/// `"Some User"`, `"some_user"` and `"SOME_USER"` all have the safe name `"some_user"`, so
/// only one of them can be registered.
pub fn safe_name(name: &str) -> String {
    name.chars().map(|c| if c == ' ' { '_' } else { c.to_ascii_lowercase() }).collect()
}

/// Checks that `name` may be registered.
///
/// A valid name has 1 to [`MAX_NAME_LEN`] characters, each an ASCII letter or digit, a space,
/// or one of `_ - [ ]` (the characters osu! allows in names), and neither starts nor ends
/// with a space. Restricting names to ASCII keeps look-alike names (a Cyrillic `о` for a
/// Latin `o`) out.
///
/// # Errors
///
/// [`StorageError::InvalidName`] with the reason.
pub fn validate_name(name: &str) -> Result<(), StorageError> {
    let invalid = |reason: &'static str| Err(StorageError::InvalidName { name: name.to_owned(), reason });
    if name.is_empty() {
        return invalid("empty");
    }
    if name.chars().count() > MAX_NAME_LEN {
        return invalid("longer than 32 characters");
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '-' | '[' | ']')) {
        return invalid("only letters, digits, spaces and _ - [ ] are allowed");
    }
    if name.starts_with(' ') || name.ends_with(' ') {
        return invalid("starts or ends with a space");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_names_fold_case_and_spaces() {
        assert_eq!(safe_name("Some User"), "some_user");
        assert_eq!(safe_name("some_user"), "some_user");
        assert_eq!(safe_name("[Ab-C]"), "[ab-c]");
    }

    #[test]
    fn name_rules() {
        for ok in ["a", "peppy", "Some User", "some_user", "[-_-]", &"x".repeat(32)] {
            assert!(validate_name(ok).is_ok(), "{ok:?}");
        }
        for bad in ["", " a", "a ", &"x".repeat(33), "a\tb", "bad!", "BanchoBоt", "a\nb"] {
            assert!(matches!(validate_name(bad), Err(StorageError::InvalidName { .. })), "{bad:?}");
        }
    }
}
