//! The sessions online: who is connected, found by session id, user id, name or token.
//!
//! A [`Registry`] holds one [`SessionHandle`] per connected client and keeps the rules of
//! who may be online at once (see `docs/design/server-research.md` §7):
//!
//! - **One osu! session per account.** Inserting a regular (non-tournament) session for a
//!   user who already has one *replaces* it: the old session leaves the registry and is
//!   returned in [`Inserted::replaced`], so the caller can send it `LoginReply(-1)` (and an
//!   announce) and close its [`Outbox`].
//! - **Tournament clients coexist.** A tournament session neither replaces nor is replaced
//!   by the user's regular session; a user may hold up to a bound of them
//!   ([`DEFAULT_TOURNAMENT_LIMIT`]), and inserting one more evicts the oldest, which is
//!   returned the same way.
//!
//! # The seam for other deployments
//!
//! [`Registry`] is a trait so that the rest of the server (login, chat, broadcast,
//! spectating) asks it and never a map directly. [`InProcessRegistry`] is the default, for
//! a server that is one process. A deployment spread over several processes would plug in
//! a registry backed by a broker (for example Redis, with each process's sessions
//! published there and outboxes fed from a stream) by implementing the same trait,
//! without touching the building blocks around it.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chio_packets::Context;

use crate::layout::WireLayout;
use crate::outbox::Outbox;
use crate::session::SessionId;
use crate::storage::safe_name;

/// How many tournament sessions one user may hold at once by default; inserting one more
/// evicts the oldest.
pub const DEFAULT_TOURNAMENT_LIMIT: usize = 8;

/// What a registry knows of one session, before it is wrapped in a [`SessionHandle`].
#[derive(Clone, Debug)]
pub struct Session {
    /// The session's id, unique for the life of the process.
    pub id: SessionId,
    /// The account's user id.
    pub user_id: i32,
    /// The account's name as displayed.
    pub name: String,
    /// The `cho-token` of an HTTP session; `None` for TCP.
    pub token: Option<String>,
    /// What the client speaks: build, protocol version and slot count, as settled at login.
    pub ctx: Context,
    /// Where frames for this session are queued.
    pub outbox: Outbox,
    /// Whether this is a tournament client, which coexists with the user's regular
    /// session.
    pub tournament: bool,
}

/// A session in a [`Registry`]: its [`Session`] data and safe name, shared.
///
/// Cloning is cheap (an `Arc`) and every clone is the same session. The data does not
/// change once the handle is made; a session whose context changes is a new handle.
///
/// ```
/// use chio_packets::Context;
/// use chio_server::outbox::Outbox;
/// use chio_server::registry::{Session, SessionHandle};
/// use chio_server::session::SessionId;
///
/// let handle = SessionHandle::new(Session {
///     id: SessionId::new(1),
///     user_id: 1000,
///     name: "Some User".into(),
///     token: None,
///     ctx: Context::new(20250306),
///     outbox: Outbox::default(),
///     tournament: false,
/// });
/// assert_eq!(handle.safe_name(), "some_user");
/// assert_eq!(handle.layout(), handle.clone().layout());
/// ```
#[derive(Clone)]
pub struct SessionHandle {
    inner: Arc<Inner>,
}

struct Inner {
    session: Session,
    safe_name: String,
}

impl SessionHandle {
    /// Wraps `session`, computing its safe name.
    pub fn new(session: Session) -> Self {
        let safe_name = safe_name(&session.name);
        Self { inner: Arc::new(Inner { session, safe_name }) }
    }

    /// The session's data.
    pub fn session(&self) -> &Session {
        &self.inner.session
    }

    /// The session id.
    pub fn id(&self) -> SessionId {
        self.inner.session.id
    }

    /// The account's user id.
    pub fn user_id(&self) -> i32 {
        self.inner.session.user_id
    }

    /// The account's name as displayed.
    pub fn name(&self) -> &str {
        &self.inner.session.name
    }

    /// The name as osu! compares it: lowercase, spaces as underscores (see
    /// [`safe_name`]).
    pub fn safe_name(&self) -> &str {
        &self.inner.safe_name
    }

    /// The `cho-token` of an HTTP session.
    pub fn token(&self) -> Option<&str> {
        self.inner.session.token.as_deref()
    }

    /// What the client speaks.
    pub fn ctx(&self) -> Context {
        self.inner.session.ctx
    }

    /// The wire layout of the client, the key a broadcast encodes under.
    pub fn layout(&self) -> WireLayout {
        WireLayout::of(self.inner.session.ctx)
    }

    /// The session's outbox.
    pub fn outbox(&self) -> &Outbox {
        &self.inner.session.outbox
    }

    /// Whether this is a tournament client.
    pub fn is_tournament(&self) -> bool {
        self.inner.session.tournament
    }

    /// Whether both handles are the same session (clones of one handle).
    pub fn ptr_eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl From<Session> for SessionHandle {
    fn from(session: Session) -> Self {
        Self::new(session)
    }
}

impl fmt::Debug for SessionHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.inner.session;
        f.debug_struct("SessionHandle")
            .field("id", &s.id)
            .field("user_id", &s.user_id)
            .field("name", &s.name)
            .field("token", &s.token.as_ref().map(|_| "…"))
            .field("build", &s.ctx.build())
            .field("tournament", &s.tournament)
            .finish()
    }
}

/// What an insert did besides adding the session.
#[derive(Debug, Default)]
#[must_use = "replaced sessions must be told (LoginReply -1) and closed"]
pub struct Inserted {
    /// The sessions that left the registry to make room: the user's previous regular
    /// session, the oldest tournament session past the bound, or a
    /// session holding the same id, token or safe name. The caller should send each a
    /// `LoginReply(-1)` and close its outbox.
    pub replaced: Vec<SessionHandle>,
}

/// The sessions online, behind a trait so that a multi-process deployment can put a
/// broker-backed registry (e.g. Redis) in place of [`InProcessRegistry`] without touching
/// the building blocks; see the [module docs](self).
///
/// Every method takes `&self`: a registry is shared between tasks and does its own
/// locking. Lookups return handles (cheap clones), never references into the registry.
pub trait Registry: Send + Sync {
    /// Adds `session`, removing the sessions it replaces (see the [module docs](self)):
    ///
    /// - a regular session replaces the user's regular session(s);
    /// - a tournament session evicts the user's oldest tournament sessions past the bound;
    /// - any session holding the same id, the same token, or (for a regular session) the
    ///   same safe name is replaced too, so every lookup stays unambiguous. Ids and tokens
    ///   are unique in practice and storage keeps names unique, so this happens only when
    ///   an account is renamed to the name an online session still shows.
    fn insert(&self, session: SessionHandle) -> Inserted;

    /// Removes the session with this id from every index; `None` if it is not here.
    fn remove(&self, id: SessionId) -> Option<SessionHandle>;

    /// The session with this id.
    fn by_id(&self, id: SessionId) -> Option<SessionHandle>;

    /// All sessions of a user, regular and tournament, oldest first.
    fn by_user(&self, user_id: i32) -> Vec<SessionHandle>;

    /// The regular session whose safe name is that of `name` (compared as a
    /// [safe name](safe_name)). Tournament sessions are not found by name.
    fn by_name(&self, name: &str) -> Option<SessionHandle>;

    /// The session holding this `cho-token`.
    fn by_token(&self, token: &str) -> Option<SessionHandle>;

    /// How many sessions are registered.
    fn len(&self) -> usize;

    /// Whether no session is registered.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A snapshot of every session, in no particular order, for broadcasting: sessions
    /// inserted or removed after the call are not reflected.
    fn sessions(&self) -> Vec<SessionHandle>;
}

/// The default [`Registry`]: hash maps in this process under one [`RwLock`].
///
/// The maps (id → session, user id → ids, safe name → id, token → id) change only
/// together, under one write lock, so no reader ever sees them disagree.
///
/// ```
/// use chio_packets::Context;
/// use chio_server::outbox::Outbox;
/// use chio_server::registry::{InProcessRegistry, Registry, Session};
/// use chio_server::session::SessionIds;
///
/// let ids = SessionIds::new();
/// let login = |token: &str| Session {
///     id: ids.next(),
///     user_id: 1000,
///     name: "Some User".into(),
///     token: Some(token.into()),
///     ctx: Context::new(20250306),
///     outbox: Outbox::default(),
///     tournament: false,
/// };
/// let registry = InProcessRegistry::new();
/// assert!(registry.insert(login("a").into()).replaced.is_empty());
///
/// // Logging in again replaces the first session.
/// let inserted = registry.insert(login("b").into());
/// assert_eq!(inserted.replaced[0].token(), Some("a"));
/// assert!(registry.by_token("a").is_none());
/// assert_eq!(registry.by_name("some user").unwrap().token(), Some("b"));
/// assert_eq!(registry.len(), 1);
/// ```
pub struct InProcessRegistry {
    tournament_limit: usize,
    maps: RwLock<Maps>,
}

#[derive(Default)]
struct Maps {
    by_id: HashMap<SessionId, SessionHandle>,
    /// Each user's session ids in insertion order; never an empty list.
    by_user: HashMap<i32, Vec<SessionId>>,
    /// Safe name → the regular session showing it.
    by_name: HashMap<String, SessionId>,
    by_token: HashMap<String, SessionId>,
}

impl InProcessRegistry {
    /// An empty registry allowing [`DEFAULT_TOURNAMENT_LIMIT`] tournament sessions per
    /// user.
    pub fn new() -> Self {
        Self::with_tournament_limit(DEFAULT_TOURNAMENT_LIMIT)
    }

    /// An empty registry allowing `limit` tournament sessions per user (at least one: a
    /// limit of 0 is taken as 1, since the newest session is never the one evicted).
    pub fn with_tournament_limit(limit: usize) -> Self {
        Self { tournament_limit: limit.max(1), maps: RwLock::default() }
    }

    /// How many tournament sessions one user may hold.
    pub fn tournament_limit(&self) -> usize {
        self.tournament_limit
    }

    fn read(&self) -> RwLockReadGuard<'_, Maps> {
        // Every write leaves the maps consistent before anything that could panic, so a
        // poisoned lock is still usable.
        self.maps.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Maps> {
        self.maps.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Default for InProcessRegistry {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for InProcessRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let maps = self.read();
        f.debug_struct("InProcessRegistry")
            .field("sessions", &maps.by_id.len())
            .field("users", &maps.by_user.len())
            .field("tournament_limit", &self.tournament_limit)
            .finish()
    }
}

impl Maps {
    fn remove(&mut self, id: SessionId) -> Option<SessionHandle> {
        let handle = self.by_id.remove(&id)?;
        if let Some(ids) = self.by_user.get_mut(&handle.user_id()) {
            ids.retain(|&other| other != id);
            if ids.is_empty() {
                self.by_user.remove(&handle.user_id());
            }
        }
        if self.by_name.get(handle.safe_name()) == Some(&id) {
            self.by_name.remove(handle.safe_name());
        }
        if let Some(token) = handle.token()
            && self.by_token.get(token) == Some(&id)
        {
            self.by_token.remove(token);
        }
        Some(handle)
    }
}

impl Registry for InProcessRegistry {
    fn insert(&self, session: SessionHandle) -> Inserted {
        let id = session.id();
        let user_id = session.user_id();
        let mut maps = self.write();

        // Everything the new session displaces, oldest first, each once.
        let mut displaced: Vec<SessionId> = Vec::new();
        if maps.by_id.contains_key(&id) {
            displaced.push(id);
        }
        if !session.is_tournament() {
            let regular = maps.by_user.get(&user_id).into_iter().flatten().copied();
            displaced.extend(regular.filter(|other| !maps.by_id[other].is_tournament()));
            displaced.extend(maps.by_name.get(session.safe_name()).copied());
        }
        if let Some(token) = session.token() {
            displaced.extend(maps.by_token.get(token).copied());
        }
        let mut replaced = Vec::new();
        for other in displaced {
            // `remove` returns `None` for an id already taken out by an earlier entry.
            replaced.extend(maps.remove(other));
        }

        if !session.is_tournament() {
            maps.by_name.insert(session.safe_name().to_owned(), id);
        }
        if let Some(token) = session.token() {
            maps.by_token.insert(token.to_owned(), id);
        }
        let tournament = session.is_tournament();
        maps.by_id.insert(id, session);
        maps.by_user.entry(user_id).or_default().push(id);

        if tournament {
            let tournaments: Vec<SessionId> = maps.by_user[&user_id]
                .iter()
                .copied()
                .filter(|other| maps.by_id[other].is_tournament())
                .collect();
            let excess = tournaments.len().saturating_sub(self.tournament_limit);
            // The newest (this one) is last, and the limit is at least one: never evicted.
            for &oldest in &tournaments[..excess] {
                replaced.extend(maps.remove(oldest));
            }
        }
        Inserted { replaced }
    }

    fn remove(&self, id: SessionId) -> Option<SessionHandle> {
        self.write().remove(id)
    }

    fn by_id(&self, id: SessionId) -> Option<SessionHandle> {
        self.read().by_id.get(&id).cloned()
    }

    fn by_user(&self, user_id: i32) -> Vec<SessionHandle> {
        let maps = self.read();
        maps.by_user.get(&user_id).into_iter().flatten().map(|id| maps.by_id[id].clone()).collect()
    }

    fn by_name(&self, name: &str) -> Option<SessionHandle> {
        let maps = self.read();
        maps.by_name.get(&safe_name(name)).map(|id| maps.by_id[id].clone())
    }

    fn by_token(&self, token: &str) -> Option<SessionHandle> {
        let maps = self.read();
        maps.by_token.get(token).map(|id| maps.by_id[id].clone())
    }

    fn len(&self) -> usize {
        self.read().by_id.len()
    }

    fn sessions(&self) -> Vec<SessionHandle> {
        self.read().by_id.values().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use bytes::Bytes;
    use chio_packets::events::ServerEvent;

    use super::*;
    use crate::broadcast::Broadcast;
    use crate::session::SessionIds;

    struct Logins {
        ids: SessionIds,
    }

    impl Logins {
        fn new() -> Self {
            Self { ids: SessionIds::new() }
        }

        fn session(&self, user_id: i32, name: &str, token: Option<&str>, tournament: bool) -> SessionHandle {
            SessionHandle::new(Session {
                id: self.ids.next(),
                user_id,
                name: name.into(),
                token: token.map(Into::into),
                ctx: Context::new(20250306),
                outbox: Outbox::default(),
                tournament,
            })
        }

        fn regular(&self, user_id: i32, name: &str) -> SessionHandle {
            self.session(user_id, name, None, false)
        }

        fn tourney(&self, user_id: i32, name: &str) -> SessionHandle {
            self.session(user_id, name, None, true)
        }
    }

    fn ids(handles: &[SessionHandle]) -> Vec<SessionId> {
        handles.iter().map(SessionHandle::id).collect()
    }

    /// Checks every index against the others and against the limits.
    fn assert_consistent(registry: &InProcessRegistry) {
        let maps = registry.read();
        let mut users_total = 0;
        for (&user_id, list) in &maps.by_user {
            assert!(!list.is_empty(), "empty list for user {user_id}");
            assert_eq!(list.iter().collect::<HashSet<_>>().len(), list.len(), "duplicate ids");
            users_total += list.len();
            let mut regular = 0;
            let mut tournament = 0;
            for id in list {
                let handle = &maps.by_id[id];
                assert_eq!(handle.user_id(), user_id);
                if handle.is_tournament() {
                    tournament += 1;
                } else {
                    regular += 1;
                }
            }
            assert!(regular <= 1, "user {user_id} has {regular} regular sessions");
            assert!(tournament <= registry.tournament_limit(), "user {user_id} has {tournament} tournaments");
        }
        assert_eq!(users_total, maps.by_id.len());
        for (&id, handle) in &maps.by_id {
            assert_eq!(handle.id(), id);
            assert!(maps.by_user[&handle.user_id()].contains(&id));
            if !handle.is_tournament() {
                assert_eq!(maps.by_name.get(handle.safe_name()), Some(&id));
            }
            if let Some(token) = handle.token() {
                assert_eq!(maps.by_token.get(token), Some(&id));
            }
        }
        for (name, id) in &maps.by_name {
            let handle = &maps.by_id[id];
            assert_eq!(handle.safe_name(), name);
            assert!(!handle.is_tournament());
        }
        for (token, id) in &maps.by_token {
            assert_eq!(maps.by_id[id].token(), Some(token.as_str()));
        }
        assert_eq!(maps.by_name.len(), maps.by_id.values().filter(|h| !h.is_tournament()).count());
        assert_eq!(maps.by_token.len(), maps.by_id.values().filter(|h| h.token().is_some()).count());
    }

    #[test]
    fn every_key_finds_the_session() {
        let logins = Logins::new();
        let registry = InProcessRegistry::new();
        let alice = logins.session(1000, "Alice Smith", Some("tok-a"), false);
        let bob = logins.session(1001, "bob", None, false);
        let ctx = Context::new(20140127).with_protocol(19);
        let carol = SessionHandle::new(Session { ctx, ..logins.regular(1002, "Carol").session().clone() });
        for handle in [&alice, &bob, &carol] {
            assert!(registry.insert(handle.clone()).replaced.is_empty());
        }
        assert_eq!(registry.len(), 3);
        assert!(!registry.is_empty());

        assert!(registry.by_id(alice.id()).unwrap().ptr_eq(&alice));
        assert!(registry.by_token("tok-a").unwrap().ptr_eq(&alice));
        for name in ["Alice Smith", "alice_smith", "ALICE SMITH", "alice smith"] {
            assert!(registry.by_name(name).unwrap().ptr_eq(&alice), "{name}");
        }
        assert_eq!(ids(&registry.by_user(1001)), [bob.id()]);
        assert!(registry.by_name("BOB").unwrap().ptr_eq(&bob));
        assert_eq!(registry.by_name("carol").unwrap().layout(), WireLayout::of(ctx));
        assert_eq!(registry.by_id(carol.id()).unwrap().ctx(), ctx);

        assert!(registry.by_id(SessionId::new(99)).is_none());
        assert!(registry.by_token("tok-b").is_none());
        assert!(registry.by_name("dave").is_none());
        assert!(registry.by_user(1003).is_empty());

        let all: HashSet<_> = ids(&registry.sessions()).into_iter().collect();
        assert_eq!(all, HashSet::from([alice.id(), bob.id(), carol.id()]));
        assert_consistent(&registry);
    }

    #[test]
    fn a_new_login_replaces_the_old_session() {
        let logins = Logins::new();
        let registry = InProcessRegistry::new();
        let old = logins.session(1000, "Alice", Some("old"), false);
        let tourney = logins.session(1000, "Alice", Some("t"), true);
        assert!(registry.insert(old.clone()).replaced.is_empty());
        assert!(registry.insert(tourney.clone()).replaced.is_empty());

        let new = logins.session(1000, "Alice", Some("new"), false);
        let inserted = registry.insert(new.clone());
        assert_eq!(inserted.replaced.len(), 1);
        assert!(inserted.replaced[0].ptr_eq(&old));

        assert!(registry.by_token("old").is_none());
        assert!(registry.by_id(old.id()).is_none());
        assert!(registry.by_name("alice").unwrap().ptr_eq(&new));
        assert!(registry.by_token("new").unwrap().ptr_eq(&new));
        // The tournament session is untouched.
        assert!(registry.by_token("t").unwrap().ptr_eq(&tourney));
        assert_eq!(ids(&registry.by_user(1000)), [tourney.id(), new.id()]);
        assert_eq!(registry.len(), 2);

        // Removing the replaced session later (its connection ending) is harmless.
        assert!(registry.remove(old.id()).is_none());
        assert!(registry.by_name("alice").unwrap().ptr_eq(&new));
        assert_consistent(&registry);
    }

    #[test]
    fn a_clashing_token_name_or_id_replaces_the_holder() {
        let logins = Logins::new();
        let registry = InProcessRegistry::new();
        let a = logins.session(1, "A", Some("same"), false);
        let b = logins.session(2, "B", Some("same"), false);
        assert!(registry.insert(a.clone()).replaced.is_empty());
        assert!(registry.insert(b.clone()).replaced[0].ptr_eq(&a));

        // Another account now showing B's name (a rename) takes the name.
        let renamed = logins.regular(3, "b");
        assert!(registry.insert(renamed.clone()).replaced[0].ptr_eq(&b));
        assert!(registry.by_name("B").unwrap().ptr_eq(&renamed));

        // The same id again.
        let again = SessionHandle::new(renamed.session().clone());
        let replaced = registry.insert(again.clone()).replaced;
        assert_eq!(replaced.len(), 1);
        assert!(replaced[0].ptr_eq(&renamed));
        assert!(registry.by_id(renamed.id()).unwrap().ptr_eq(&again));
        assert_eq!(registry.len(), 1);
        assert_consistent(&registry);
    }

    #[test]
    fn tournament_sessions_coexist_up_to_the_bound() {
        let logins = Logins::new();
        let registry = InProcessRegistry::with_tournament_limit(3);
        let regular = logins.regular(7, "Player");
        assert!(registry.insert(regular.clone()).replaced.is_empty());
        let tourneys: Vec<_> = (0..5).map(|_| logins.tourney(7, "Player")).collect();
        for t in &tourneys[..3] {
            assert!(registry.insert(t.clone()).replaced.is_empty());
        }
        assert_eq!(registry.len(), 4);
        assert_consistent(&registry);

        // The fourth and fifth evict the oldest each time.
        assert_eq!(ids(&registry.insert(tourneys[3].clone()).replaced), [tourneys[0].id()]);
        assert_eq!(ids(&registry.insert(tourneys[4].clone()).replaced), [tourneys[1].id()]);
        assert_eq!(
            ids(&registry.by_user(7)),
            [regular.id(), tourneys[2].id(), tourneys[3].id(), tourneys[4].id()]
        );
        // Tournament sessions are not found by name; the regular one is.
        assert!(registry.by_name("player").unwrap().ptr_eq(&regular));

        // Without the regular session the name finds nothing.
        registry.remove(regular.id()).unwrap();
        assert!(registry.by_name("player").is_none());
        assert_eq!(registry.by_user(7).len(), 3);
        assert_consistent(&registry);

        // Other users have their own bound; a limit of 0 means 1.
        let one = InProcessRegistry::with_tournament_limit(0);
        assert_eq!(one.tournament_limit(), 1);
        let (first, second) = (logins.tourney(8, "X"), logins.tourney(8, "X"));
        assert!(one.insert(first.clone()).replaced.is_empty());
        assert_eq!(ids(&one.insert(second.clone()).replaced), [first.id()]);
        assert_eq!(ids(&one.sessions()), [second.id()]);
        assert_eq!(InProcessRegistry::new().tournament_limit(), DEFAULT_TOURNAMENT_LIMIT);
    }

    #[test]
    fn remove_cleans_every_index() {
        let logins = Logins::new();
        let registry = InProcessRegistry::new();
        let a = logins.session(1, "Alpha", Some("ta"), false);
        let t = logins.session(1, "Alpha", Some("tt"), true);
        let b = logins.session(2, "Beta", Some("tb"), false);
        for handle in [&a, &t, &b] {
            assert!(registry.insert(handle.clone()).replaced.is_empty());
        }
        assert!(registry.remove(a.id()).unwrap().ptr_eq(&a));
        assert!(registry.by_id(a.id()).is_none());
        assert!(registry.by_name("alpha").is_none());
        assert!(registry.by_token("ta").is_none());
        assert_eq!(ids(&registry.by_user(1)), [t.id()]);
        assert_consistent(&registry);

        assert!(registry.remove(t.id()).is_some());
        assert!(registry.remove(b.id()).is_some());
        assert!(registry.remove(b.id()).is_none());
        assert!(registry.is_empty());
        let maps = registry.read();
        assert!(maps.by_id.is_empty() && maps.by_user.is_empty());
        assert!(maps.by_name.is_empty() && maps.by_token.is_empty());
    }

    #[test]
    fn concurrent_inserts_and_removes_keep_the_indexes_consistent() {
        const THREADS: usize = 8;
        const OPS: usize = 2_000;
        let registry = Arc::new(InProcessRegistry::with_tournament_limit(2));
        let ids = Arc::new(SessionIds::new());
        let threads: Vec<_> = (0..THREADS)
            .map(|thread| {
                let registry = Arc::clone(&registry);
                let ids = Arc::clone(&ids);
                std::thread::spawn(move || {
                    // Every session this thread inserted, and every one it saw leave.
                    let mut inserted = Vec::new();
                    let mut gone = Vec::new();
                    let mut state = 0x9e37_79b9_u64.wrapping_mul(thread as u64 + 1);
                    for _ in 0..OPS {
                        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                        let roll = (state >> 33) as usize;
                        if roll.is_multiple_of(3) && !inserted.is_empty() {
                            let id: SessionId = inserted[roll / 3 % inserted.len()];
                            gone.extend(registry.remove(id).map(|h| h.id()));
                        } else {
                            // 16 users shared by all threads: relogins and evictions race.
                            let user_id = (roll / 7 % 16) as i32;
                            let id = ids.next();
                            let tournament = roll.is_multiple_of(5);
                            let token = (roll.is_multiple_of(2)).then(|| format!("token-{id}"));
                            let handle = SessionHandle::new(Session {
                                id,
                                user_id,
                                name: format!("User {user_id}"),
                                token,
                                ctx: Context::new(20250306),
                                outbox: Outbox::default(),
                                tournament,
                            });
                            inserted.push(id);
                            gone.extend(registry.insert(handle).replaced.iter().map(SessionHandle::id));
                        }
                        if roll.is_multiple_of(97) {
                            // Readers run alongside the writers.
                            let _ = registry.by_name(&format!("user_{}", roll % 16));
                            let _ = registry.sessions();
                        }
                    }
                    (inserted, gone)
                })
            })
            .collect();

        let mut inserted = HashSet::new();
        let mut gone: HashMap<SessionId, usize> = HashMap::new();
        for thread in threads {
            let (ins, out) = thread.join().unwrap();
            inserted.extend(ins);
            for id in out {
                *gone.entry(id).or_default() += 1;
            }
        }
        assert_consistent(&registry);
        // Every session left at most once, and is either still here or gone, not both.
        assert!(gone.values().all(|&count| count == 1), "a session left twice");
        let present: HashSet<_> = registry.sessions().iter().map(SessionHandle::id).collect();
        assert_eq!(present.len(), registry.len());
        for id in &inserted {
            assert!(present.contains(id) ^ gone.contains_key(id), "{id}");
        }
        assert_eq!(present.len() + gone.len(), inserted.len());
        // The run did exercise both outcomes.
        assert!(!present.is_empty() && !gone.is_empty());
    }

    #[test]
    fn a_broadcast_over_the_sessions_reaches_exactly_the_registered_outboxes() {
        let logins = Logins::new();
        let registry = InProcessRegistry::new();
        let builds = [20250306, 20140127, 1000, 20121224, 20250306];
        let registered: Vec<_> = builds
            .iter()
            .enumerate()
            .map(|(i, &build)| {
                let base = logins.regular(i as i32, &format!("user {i}"));
                SessionHandle::new(Session { ctx: Context::new(build), ..base.session().clone() })
            })
            .collect();
        for handle in &registered {
            assert!(registry.insert(handle.clone()).replaced.is_empty());
        }
        let tourney = logins.tourney(0, "user 0");
        assert!(registry.insert(tourney.clone()).replaced.is_empty());
        // Replaced and removed sessions no longer hear broadcasts.
        let replacement = logins.regular(1, "user 1");
        let replaced = registry.insert(replacement.clone()).replaced;
        assert!(replaced[0].ptr_eq(&registered[1]));
        registry.remove(registered[2].id()).unwrap();
        let outsider = logins.regular(99, "outsider");

        let sessions = registry.sessions();
        let event = ServerEvent::Announce("Hello, registry".into());
        let report =
            Broadcast::new().send(&event, sessions.iter().map(|s| (s.id(), s.layout(), s.outbox())), &[]);
        assert_eq!(report.recipients, 5);
        assert_eq!(report.delivered, 5);
        assert!(report.closed.is_empty() && report.failed.is_empty());

        let reached = [&registered[0], &registered[3], &registered[4], &tourney, &replacement];
        for s in reached {
            let frames: Vec<Bytes> = s.outbox().drain_up_to(usize::MAX);
            let mut expected = bytes::BytesMut::new();
            crate::layout::encode_event(
                &event,
                s.ctx(),
                &mut expected,
                &mut chio_packets::frame::FrameWriter::new(),
            )
            .unwrap();
            assert_eq!(frames.concat(), expected.to_vec(), "{}", s.name());
        }
        for s in [&registered[1], &registered[2], &outsider] {
            assert_eq!(s.outbox().queued_frames(), 0, "{}", s.name());
        }
    }

    #[test]
    fn the_trait_is_dyn_compatible() {
        let registry: Arc<dyn Registry> = Arc::new(InProcessRegistry::default());
        let logins = Logins::new();
        let handle = logins.regular(5, "Dyn");
        assert!(registry.insert(handle.clone()).replaced.is_empty());
        assert_eq!(registry.len(), 1);
        assert!(format!("{handle:?}").contains("Dyn"));
        assert!(format!("{:?}", InProcessRegistry::new()).contains("tournament_limit"));
    }
}
