//! Tokens and grants: what the player approved, kept only as hashes of the tokens handed out.
//!
//! A token is 32 bytes from the operating system's RNG, written as 64 lowercase hex digits.
//! The server never stores it: a grant keeps `sha512` of it (see [`TokenHash`] for the exact
//! bytes), and a presented token is hashed the same way and compared with every grant in
//! constant time.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha512};
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use crate::permission::Permissions;

/// Whom a grant is for: the logged-in player only, or the game installation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The grant (and its token) is bound to the player logged in when it was approved.
    User,
    /// The grant (and its token) holds for whoever is logged in.
    Client,
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::User => "user",
            Self::Client => "client",
        })
    }
}

impl FromStr for Scope {
    type Err = UnknownName;

    fn from_str(name: &str) -> Result<Self, UnknownName> {
        match name {
            "user" => Ok(Self::User),
            "client" => Ok(Self::Client),
            _ => Err(UnknownName { what: "scope", name: name.to_owned(), expected: "user, client" }),
        }
    }
}

/// A name that is not one of a closed set of wire names.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {name:?}; expected one of: {expected}")]
pub struct UnknownName {
    /// What was being named.
    pub what: &'static str,
    /// The name given.
    pub name: String,
    /// The names accepted.
    pub expected: &'static str,
}

/// Random bytes in a token (256 bits).
pub const TOKEN_BYTES: usize = 32;

/// A bearer token: the secret an application presents to skip approval.
///
/// `Debug` does not print it, and its text is overwritten with zeroes when it is dropped,
/// so a token does not linger in freed memory after its session ends.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Token(String);

impl Token {
    /// A fresh token of [`TOKEN_BYTES`] random bytes from the operating system.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes)?;
        Ok(Self(to_hex(&bytes)))
    }

    /// A token as received or stored by an application.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The token's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this has the form of a token this server issues: 64 lowercase hex digits.
    ///
    /// Tokens of any other form are never hashed or looked up.
    pub fn is_well_formed(&self) -> bool {
        self.0.len() == 2 * TOKEN_BYTES && self.0.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    }
}

impl Drop for Token {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl Zeroize for Token {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for Token {}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// The SHA-512 a grant keeps in place of its token.
///
/// - scope `client`: `sha512(token)`, over the token's ASCII text;
/// - scope `user`: `sha512(token || 0x00 || username)`, the username in UTF-8.
///
/// The zero byte keeps the two parts apart: it can appear neither in a token (hex digits)
/// nor in an osu! username, so no two (token, username) pairs hash the same input. Each
/// grant also records its scope and is only compared with tokens presented for that scope.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TokenHash([u8; 64]);

impl TokenHash {
    /// The hash for scope `client`.
    pub fn client(token: &str) -> Self {
        Self(Sha512::digest(token.as_bytes()).into())
    }

    /// The hash for scope `user`, bound to `username`.
    pub fn user(token: &str, username: &str) -> Self {
        let mut hasher = Sha512::new();
        hasher.update(token.as_bytes());
        hasher.update([0u8]);
        hasher.update(username.as_bytes());
        Self(hasher.finalize().into())
    }

    /// The hash for `scope`; scope `user` needs the username.
    pub fn for_scope(token: &str, scope: Scope, username: Option<&str>) -> Option<Self> {
        match scope {
            Scope::Client => Some(Self::client(token)),
            Scope::User => username.map(|name| Self::user(token, name)),
        }
    }

    /// A hash from its bytes, as a `Store` kept them.
    pub const fn from_bytes(bytes: [u8; 64]) -> Self {
        Self(bytes)
    }

    /// The hash's bytes.
    pub const fn as_bytes(&self) -> &[u8; 64] {
        &self.0
    }

    /// The hash in lowercase hex.
    pub fn to_hex(&self) -> String {
        to_hex(&self.0)
    }
}

impl ConstantTimeEq for TokenHash {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        self.0.ct_eq(&other.0)
    }
}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenHash({})", self.to_hex())
    }
}

/// Names one grant, for listing and revoking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GrantId(pub u64);

impl fmt::Display for GrantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// What a grant allows, without its hash: what a host shows the player.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantInfo {
    /// The grant's id.
    pub id: GrantId,
    /// The application it was issued to.
    pub application: String,
    /// Its scope.
    pub scope: Scope,
    /// The player it is bound to (scope `user` only).
    pub username: Option<String>,
    /// The permissions it covers.
    pub permissions: Permissions,
}

#[derive(Clone, Debug)]
struct Grant {
    info: GrantInfo,
    hash: TokenHash,
}

/// A grant as stored: what it allows, and its token's hash (never the token).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredGrant {
    /// What the grant allows.
    pub info: GrantInfo,
    /// The hash of its token.
    pub hash: TokenHash,
}

/// The grants in force, each keeping only its token's hash.
#[derive(Debug, Default)]
pub struct GrantStore {
    grants: Vec<Grant>,
    next_id: u64,
}

/// Why a grant could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    /// The operating system's RNG failed.
    #[error("the OS random number generator failed: {0}")]
    Random(getrandom::Error),
    /// A `user`-scope grant needs a logged-in player.
    #[error("scope user needs a logged-in player")]
    NoUser,
    /// The grant could not be written to the server's store.
    #[error("the grant could not be stored: {0}")]
    Store(String),
}

impl GrantStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Issues a grant and returns the token, the only time it exists in clear.
    pub fn issue(
        &mut self,
        application: &str,
        scope: Scope,
        username: Option<&str>,
        permissions: Permissions,
    ) -> Result<(GrantId, Token), IssueError> {
        let token = Token::generate().map_err(IssueError::Random)?;
        let hash = TokenHash::for_scope(token.as_str(), scope, username).ok_or(IssueError::NoUser)?;
        self.next_id += 1;
        let id = GrantId(self.next_id);
        let username = match scope {
            Scope::User => username.map(str::to_owned),
            Scope::Client => None,
        };
        self.grants.push(Grant {
            info: GrantInfo { id, application: application.to_owned(), scope, username, permissions },
            hash,
        });
        Ok((id, token))
    }

    /// The grant `token` opens for `application` in `scope` (as `username` for scope `user`).
    ///
    /// Every grant's hash is compared, in constant time, whether or not one already matched.
    pub fn find(
        &self,
        token: &Token,
        application: &str,
        scope: Scope,
        username: Option<&str>,
    ) -> Option<&GrantInfo> {
        if !token.is_well_formed() {
            return None;
        }
        let hash = TokenHash::for_scope(token.as_str(), scope, username)?;
        let mut found = None;
        for grant in &self.grants {
            let same_hash = bool::from(grant.hash.ct_eq(&hash));
            if same_hash
                && found.is_none()
                && grant.info.scope == scope
                && grant.info.application == application
            {
                found = Some(&grant.info);
            }
        }
        found
    }

    /// A store holding `grants` (as a `Store` kept them); new ids
    /// continue after `last_id` and after the highest of `grants`.
    pub fn from_stored(grants: Vec<StoredGrant>, last_id: u64) -> Self {
        let next_id = grants.iter().map(|grant| grant.info.id.0).fold(last_id, u64::max);
        let grants = grants.into_iter().map(|grant| Grant { info: grant.info, hash: grant.hash }).collect();
        Self { grants, next_id }
    }

    /// Grant `id` as a store keeps it: its description and its token's hash.
    pub fn stored(&self, id: GrantId) -> Option<StoredGrant> {
        self.grants
            .iter()
            .find(|grant| grant.info.id == id)
            .map(|grant| StoredGrant { info: grant.info.clone(), hash: grant.hash })
    }

    /// Whether grant `id` is still in force.
    pub fn contains(&self, id: GrantId) -> bool {
        self.grants.iter().any(|grant| grant.info.id == id)
    }

    /// Removes grant `id`; whether it existed.
    pub fn revoke(&mut self, id: GrantId) -> bool {
        let before = self.grants.len();
        self.grants.retain(|grant| grant.info.id != id);
        self.grants.len() != before
    }

    /// Removes every grant of `application`; how many there were.
    pub fn revoke_application(&mut self, application: &str) -> usize {
        let before = self.grants.len();
        self.grants.retain(|grant| grant.info.application != application);
        before - self.grants.len()
    }

    /// Every grant in force, oldest first.
    pub fn list(&self) -> Vec<GrantInfo> {
        self.grants.iter().map(|grant| grant.info.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_zeroized_when_dropped() {
        fn zeroized_on_drop<T: zeroize::ZeroizeOnDrop>() {}
        zeroized_on_drop::<Token>();
        let mut token = Token::generate().unwrap();
        token.zeroize();
        assert!(token.as_str().is_empty(), "zeroize leaves no text behind");
    }

    #[test]
    fn tokens_are_256_random_bits_in_hex() {
        let a = Token::generate().unwrap();
        let b = Token::generate().unwrap();
        assert!(a.is_well_formed() && b.is_well_formed());
        assert_eq!(a.as_str().len(), 64);
        assert_ne!(a, b);
        assert_eq!(format!("{a:?}"), "Token(<redacted>)");
        assert!(!Token::new("HHWnH0XpdWzej7Ir").is_well_formed());
        assert!(!Token::new("A".repeat(64)).is_well_formed());
    }

    #[test]
    fn client_hash_is_plain_sha512_of_the_token() {
        // The concept's own example value for scope client.
        assert_eq!(
            TokenHash::client("HHWnH0XpdWzej7Ir").to_hex(),
            "6b77fb730d88b3c8f658a1d8ba2a1416be72f3732d2b21110c2bef64c3852cca\
             7dddc2537b39978c5987f3c0b666640fb1359a8ea2350f9a58100dfc3b452d35"
        );
    }

    #[test]
    fn user_hash_is_token_zero_byte_username() {
        // printf 'HHWnH0XpdWzej7Ir\0peppy' | sha512sum
        assert_eq!(
            TokenHash::user("HHWnH0XpdWzej7Ir", "peppy").to_hex(),
            "e6575978750ee71e9195c4c35d3abbd9dcb352f5f7aa7de880d6f2c37107cf5d\
             9c3e5a17748cadc58718546c5afc18e10c84dbdfd9c58e641736a5a7300fc217"
        );
        // The separator keeps the split unambiguous.
        assert_ne!(TokenHash::user("ab", "c"), TokenHash::user("a", "bc"));
        assert_ne!(TokenHash::user("ab", ""), TokenHash::client("ab"));
    }

    #[test]
    fn the_store_keeps_no_token_and_finds_by_hash() {
        let mut store = GrantStore::new();
        let (id, token) = store.issue("overlay", Scope::Client, None, Permissions::READ).unwrap();
        assert!(!format!("{store:?}").contains(token.as_str()));
        assert_eq!(store.find(&token, "overlay", Scope::Client, None).map(|g| g.id), Some(id));
        assert!(store.find(&token, "other", Scope::Client, None).is_none());
        assert!(store.find(&token, "overlay", Scope::User, Some("peppy")).is_none());
        assert!(store.find(&Token::generate().unwrap(), "overlay", Scope::Client, None).is_none());
        assert!(store.revoke(id));
        assert!(store.find(&token, "overlay", Scope::Client, None).is_none());
        assert!(!store.revoke(id));
    }

    #[test]
    fn user_grants_are_bound_to_the_player() {
        let mut store = GrantStore::new();
        let (id, token) = store.issue("tracker", Scope::User, Some("peppy"), Permissions::FULL).unwrap();
        assert_eq!(store.find(&token, "tracker", Scope::User, Some("peppy")).map(|g| g.id), Some(id));
        assert!(store.find(&token, "tracker", Scope::User, Some("cookiezi")).is_none());
        assert!(store.find(&token, "tracker", Scope::Client, None).is_none());
        assert!(matches!(
            store.issue("tracker", Scope::User, None, Permissions::READ),
            Err(IssueError::NoUser)
        ));
        assert_eq!(store.revoke_application("tracker"), 1);
        assert!(store.list().is_empty());
    }
}
