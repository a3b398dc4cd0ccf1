//! The records every session and the server's handle share: grants, whitelist, blacklist
//! and the authenticated sessions, written through to the [`Store`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::{Semaphore, watch};

use crate::approval::Approver;
use crate::auth::{GrantId, GrantStore, IssueError, Scope, Token};
use crate::config::ServerConfig;
use crate::message::DisconnectReason;
use crate::permission::Permissions;
use crate::source::StateSource;
use crate::store::{Store, StoreError};

/// Names one authenticated connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionId(pub u64);

/// An authenticated connection, as a host lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionInfo {
    /// The session's id.
    pub id: SessionId,
    /// The application's self-declared name.
    pub application: String,
    /// The permissions the session holds.
    pub permissions: Permissions,
    /// The grant it authenticated with.
    pub grant: GrantId,
    /// Where it connects from.
    pub peer: SocketAddr,
}

/// What every session and the handle share.
pub(crate) struct Shared {
    pub(crate) config: ServerConfig,
    pub(crate) source: Arc<dyn StateSource>,
    pub(crate) approver: Box<dyn Approver>,
    pub(crate) registry: Mutex<Registry>,
    /// The budget of authenticated sessions.
    pub(crate) sessions: Arc<Semaphore>,
    /// Bumped whenever a session may have to go: a revoke, a blacklisting, a shutdown.
    pub(crate) control: watch::Sender<u64>,
}

/// The server's mutable records; never locked across an await. Every change to grants,
/// whitelist and blacklist is written through to the [`Store`].
pub(crate) struct Registry {
    pub(crate) grants: GrantStore,
    pub(crate) whitelist: HashMap<String, Permissions>,
    pub(crate) blacklist: HashSet<String>,
    pub(crate) shutdown: Option<DisconnectReason>,
    pub(crate) sessions: BTreeMap<SessionId, SessionInfo>,
    pub(crate) next_session: u64,
    pub(crate) store: Arc<dyn Store>,
    pub(crate) store_error: Option<String>,
}

impl Registry {
    pub(crate) fn load(store: Arc<dyn Store>) -> Result<Self, StoreError> {
        let stored = store.load()?;
        Ok(Self {
            grants: GrantStore::from_stored(stored.grants, stored.last_grant_id),
            whitelist: stored.whitelist.into_iter().collect(),
            blacklist: stored.blacklist.into_iter().collect(),
            shutdown: None,
            sessions: BTreeMap::new(),
            next_session: 0,
            store,
            store_error: None,
        })
    }

    /// Remembers a failed write; memory keeps the change.
    pub(crate) fn stored(&mut self, written: Result<(), StoreError>) {
        if let Err(error) = written {
            self.store_error = Some(error.to_string());
        }
    }

    /// Blacklists `application`: its grants go and its whitelisting with them.
    pub(crate) fn blacklist(&mut self, application: &str) {
        self.blacklist.insert(application.to_owned());
        self.whitelist.remove(application);
        self.grants.revoke_application(application);
        let written = self.store.blacklist(application);
        self.stored(written);
    }

    /// Issues a grant, replacing `replacing`, in memory and in the store: both or neither.
    pub(crate) fn issue(
        &mut self,
        application: &str,
        scope: Scope,
        username: Option<&str>,
        permissions: Permissions,
        replacing: Option<GrantId>,
    ) -> Result<(GrantId, Token), IssueError> {
        let (id, token) = self.grants.issue(application, scope, username, permissions)?;
        let record = self.grants.stored(id).expect("the grant just issued");
        if let Err(error) = self.store.put_grant(&record, replacing) {
            self.grants.revoke(id);
            self.store_error = Some(error.to_string());
            return Err(IssueError::Store(error.to_string()));
        }
        if let Some(old) = replacing {
            self.grants.revoke(old);
        }
        Ok((id, token))
    }

    /// Why a session of `application` on `grant` must end now, if it must.
    pub(crate) fn disconnect_reason(&self, application: &str, grant: GrantId) -> Option<DisconnectReason> {
        if let Some(reason) = self.shutdown {
            Some(reason)
        } else if self.blacklist.contains(application) {
            Some(DisconnectReason::Blacklisted)
        } else if !self.grants.contains(grant) {
            Some(DisconnectReason::Revoked)
        } else {
            None
        }
    }
}

impl Shared {
    pub(crate) fn registry(&self) -> MutexGuard<'_, Registry> {
        self.registry.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn control(&self) -> watch::Receiver<u64> {
        self.control.subscribe()
    }

    pub(crate) fn wake_sessions(&self) {
        self.control.send_modify(|generation| *generation = generation.wrapping_add(1));
    }

    /// Records a newly authenticated session; the guard forgets it when dropped.
    pub(crate) fn register(self: &Arc<Self>, info: impl FnOnce(SessionId) -> SessionInfo) -> SessionGuard {
        let mut registry = self.registry();
        registry.next_session += 1;
        let id = SessionId(registry.next_session);
        registry.sessions.insert(id, info(id));
        SessionGuard { shared: Arc::clone(self), id }
    }
}

/// Removes a session from the registry when the session ends, however it ends.
pub(crate) struct SessionGuard {
    pub(crate) shared: Arc<Shared>,
    pub(crate) id: SessionId,
}

impl Drop for SessionGuard {
    fn drop(&mut self) {
        self.shared.registry().sessions.remove(&self.id);
    }
}
