//! Who may log in, and as which build: the [`VersionPolicy`] an operator sets and the
//! [`Authenticator`] that checks names and passwords.
//!
//! Both run before a session exists. A refusal is a [`LoginError`], which the server sends
//! as `BanchoLoginReply` (and, for a refused version, `BanchoVersionUpdate` first, as
//! bancho.py does) before it closes the connection.

use std::fmt;
use std::sync::Arc;

use chio_packets::Context;
use chio_packets::build::{NEWEST_BUILD, OLDEST_BUILD};
use chio_packets::login::version::{ClientVersion, ReleaseStream};
use chio_packets::types::LoginError;

use crate::storage::{Account, Storage, StorageError};
use crate::tcp_login::OwnedLogin;

/// Maps a client's version to the build the server treats it as.
pub type BuildOverride = Arc<dyn Fn(&ClientVersion) -> Option<u32> + Send + Sync>;

/// Which client versions may log in, and which build each is treated as.
///
/// The default lets in every build chio-rs speaks (b282 to b20250306) on every stream.
/// Builds newer than the newest known one are treated as it, since the protocol has not
/// changed since; builds older than b282 cannot be spoken to and are refused.
///
/// ```
/// use chio_packets::types::LoginError;
/// use chio_packets::login::version::{ClientVersion, ReleaseStream};
/// use chio_server::login::VersionPolicy;
///
/// let policy = VersionPolicy::default().with_minimum_build(20130101).with_streams([ReleaseStream::Stable]);
/// let version = |text: &str| text.parse::<ClientVersion>().unwrap();
/// assert_eq!(policy.resolve(&version("b20250306")).unwrap().build(), 20250306);
/// assert_eq!(policy.resolve(&version("b1000")), Err(LoginError::InvalidVersion));
/// assert_eq!(policy.resolve(&version("b20250306cuttingedge")), Err(LoginError::InvalidVersion));
///
/// // A modded client that claims a future build is spoken to as the newest known one.
/// let newer = VersionPolicy::default().resolve(&version("b20990101")).unwrap();
/// assert_eq!(newer.build(), 20250306);
/// ```
#[derive(Clone)]
pub struct VersionPolicy {
    /// The oldest build let in (never below b282).
    pub minimum_build: u32,
    /// The newest build let in; `None` for no bound.
    pub maximum_build: Option<u32>,
    /// The release streams let in; `None` for all.
    pub streams: Option<Vec<ReleaseStream>>,
    /// Maps a version to the build it is treated as (for clients that claim another build
    /// than they speak); `None` from the hook keeps the claimed build.
    pub effective_build: Option<BuildOverride>,
}

impl Default for VersionPolicy {
    fn default() -> Self {
        Self { minimum_build: OLDEST_BUILD, maximum_build: None, streams: None, effective_build: None }
    }
}

impl fmt::Debug for VersionPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VersionPolicy")
            .field("minimum_build", &self.minimum_build)
            .field("maximum_build", &self.maximum_build)
            .field("streams", &self.streams)
            .field("effective_build", &self.effective_build.as_ref().map(|_| "<fn>"))
            .finish()
    }
}

impl VersionPolicy {
    /// The same policy with another minimum build.
    pub fn with_minimum_build(mut self, build: u32) -> Self {
        self.minimum_build = build;
        self
    }

    /// The same policy with a maximum build.
    pub fn with_maximum_build(mut self, build: u32) -> Self {
        self.maximum_build = Some(build);
        self
    }

    /// The same policy letting in only these streams.
    pub fn with_streams(mut self, streams: impl IntoIterator<Item = ReleaseStream>) -> Self {
        self.streams = Some(streams.into_iter().collect());
        self
    }

    /// The same policy with a build override.
    pub fn with_effective_build(
        mut self,
        map: impl Fn(&ClientVersion) -> Option<u32> + Send + Sync + 'static,
    ) -> Self {
        self.effective_build = Some(Arc::new(map));
        self
    }

    /// The context a client of `version` is spoken to in, or why it may not log in.
    ///
    /// # Errors
    ///
    /// [`LoginError::InvalidVersion`] for a build or stream the policy refuses.
    pub fn resolve(&self, version: &ClientVersion) -> Result<Context, LoginError> {
        let build = self.effective_build.as_ref().and_then(|map| map(version)).unwrap_or(version.build);
        let too_old = build < self.minimum_build.max(OLDEST_BUILD);
        let too_new = self.maximum_build.is_some_and(|max| build > max);
        let stream_refused = self.streams.as_ref().is_some_and(|streams| !streams.contains(&version.stream));
        if too_old || too_new || stream_refused {
            return Err(LoginError::InvalidVersion);
        }
        Ok(Context::new(build.min(NEWEST_BUILD)))
    }
}

/// Checks a login's name and password and gives the account.
///
/// Called on a blocking thread (password hashing is deliberately slow), once per login.
pub trait Authenticator: Send + Sync + 'static {
    /// The account `login` is for, or why it may not log in.
    ///
    /// # Errors
    ///
    /// The [`LoginError`] the client is sent: [`LoginError::InvalidLogin`] for a wrong name
    /// or password, [`LoginError::ServerError`] when the check itself failed.
    fn authenticate(&self, login: &OwnedLogin) -> Result<Account, LoginError>;
}

/// Authenticates against a [`Storage`]; with open registration an unknown name is
/// registered with the password it logs in with.
pub struct StorageAuthenticator {
    storage: Arc<dyn Storage>,
    open_registration: bool,
}

impl fmt::Debug for StorageAuthenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StorageAuthenticator").field("open_registration", &self.open_registration).finish()
    }
}

impl StorageAuthenticator {
    /// Authenticates against `storage`; `open_registration` registers unknown names.
    pub fn new(storage: Arc<dyn Storage>, open_registration: bool) -> Self {
        Self { storage, open_registration }
    }
}

impl Authenticator for StorageAuthenticator {
    fn authenticate(&self, login: &OwnedLogin) -> Result<Account, LoginError> {
        let (name, password) = (login.username.as_str(), login.password_md5.as_str());
        match self.storage.authenticate(name, password) {
            Ok(Some(account)) => return Ok(account),
            Ok(None) => {}
            Err(StorageError::InvalidPasswordMd5) => return Err(LoginError::InvalidLogin),
            Err(_) => return Err(LoginError::ServerError),
        }
        if !self.open_registration {
            return Err(LoginError::InvalidLogin);
        }
        match self.storage.account_by_name(name) {
            // The name exists: the password was wrong.
            Ok(Some(_)) => Err(LoginError::InvalidLogin),
            Ok(None) => match self.storage.register(name, password) {
                Ok(account) => Ok(account),
                // Two first logins raced; the other registered the name.
                Err(StorageError::NameTaken(_)) => match self.storage.authenticate(name, password) {
                    Ok(Some(account)) => Ok(account),
                    _ => Err(LoginError::InvalidLogin),
                },
                Err(StorageError::InvalidName { .. }) => Err(LoginError::InvalidLogin),
                Err(_) => Err(LoginError::ServerError),
            },
            Err(_) => Err(LoginError::ServerError),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::{PasswordPolicy, SqliteStorage};

    const MD5: &str = "5f4dcc3b5aa765d61d8327deb882cf99";

    fn login(name: &str, password: &str) -> OwnedLogin {
        let body = format!("{name}\n{password}\nb20250306|0|0|a:b:c:d:e:|0\n");
        OwnedLogin::from(chio_packets::login::request::LoginRequest::parse(body.as_bytes()).unwrap())
    }

    fn storage() -> Arc<dyn Storage> {
        Arc::new(SqliteStorage::in_memory(PasswordPolicy::FAST_FOR_TESTS).unwrap())
    }

    #[test]
    fn closed_registration_refuses_unknown_names() {
        let auth = StorageAuthenticator::new(storage(), false);
        assert_eq!(auth.authenticate(&login("nobody", MD5)).unwrap_err(), LoginError::InvalidLogin);
    }

    #[test]
    fn open_registration_registers_once_then_checks_the_password() {
        let storage = storage();
        let auth = StorageAuthenticator::new(Arc::clone(&storage), true);
        let first = auth.authenticate(&login("New Player", MD5)).unwrap();
        assert_eq!(auth.authenticate(&login("new_player", MD5)).unwrap().id, first.id);
        let wrong = "0".repeat(32);
        assert_eq!(auth.authenticate(&login("New Player", &wrong)).unwrap_err(), LoginError::InvalidLogin);
        assert!(storage.account_by_name("new player").unwrap().is_some());
    }

    #[test]
    fn versions_outside_the_policy_are_refused() {
        let version = |text: &str| text.parse::<ClientVersion>().unwrap();
        let policy = VersionPolicy::default().with_maximum_build(20200101);
        assert_eq!(policy.resolve(&version("b20250306")), Err(LoginError::InvalidVersion));
        assert_eq!(policy.resolve(&version("b282")).unwrap().build(), 282);
        assert_eq!(VersionPolicy::default().resolve(&version("b281")), Err(LoginError::InvalidVersion));
        let mapped = VersionPolicy::default().with_effective_build(|v| (v.build == 99).then_some(1000));
        assert_eq!(mapped.resolve(&version("b99")).unwrap().build(), 1000);
    }
}
