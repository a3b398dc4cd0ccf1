//! Where the served state comes from: the [`StateSource`] a host implements (the osu! client,
//! or the simulation), and [`SharedState`], a ready-made source a host just writes into.

use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::sync::broadcast;

use crate::message::EventKind;
use crate::state::{MultiplayerStatus, SpectatingStatus, Status, UserStatus};

/// The game state behind the API, and the game's side of notifications.
///
/// Getters return the current snapshot and should be cheap: the server calls them for each
/// answer and each push. A change is announced by sending its [`EventKind`] on the channel
/// [`changes`](Self::changes) hands out; the server then reads the new snapshot, so a burst
/// of changes may reach applications as one push.
pub trait StateSource: Send + Sync + 'static {
    /// The player's status.
    fn status(&self) -> Status;

    /// What the player is spectating.
    fn spectating_status(&self) -> SpectatingStatus;

    /// The player's multiplayer room (with its password; the server redacts it per session).
    fn multiplayer_status(&self) -> MultiplayerStatus;

    /// The logged-in player's name as the game spells it, or `None` when logged out.
    ///
    /// Scope `user` tokens are bound to it.
    fn username(&self) -> Option<String>;

    /// Shows `message` from `application` (its self-declared name) to the player.
    fn notify(&self, application: &str, message: &str);

    /// A receiver of change announcements.
    fn changes(&self) -> broadcast::Receiver<EventKind>;

    /// Acts on the game for `application` (its self-declared name); whether the game could.
    /// The default can do nothing, so `interact` requests are `unsupported_feature`.
    fn interact(&self, application: &str, interaction: Interaction) -> bool {
        let _ = (application, interaction);
        false
    }
}

/// What an application holding `interact` can make the game do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Interaction {
    /// Flash the game's window to draw the player's attention (`get_attention`).
    GetAttention,
}

/// An interaction an application asked for, as observers of a [`SharedState`] see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestedInteraction {
    /// The application's self-declared name.
    pub application: String,
    /// What it asked for.
    pub interaction: Interaction,
}

/// A notification an application asked the game to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownNotification {
    /// The application's self-declared name.
    pub application: String,
    /// The text.
    pub message: String,
}

#[derive(Debug)]
struct Snapshot {
    status: Status,
    spectating: SpectatingStatus,
    multiplayer: MultiplayerStatus,
    username: Option<String>,
}

/// A [`StateSource`] held in memory: the host sets snapshots, changes are announced for it.
#[derive(Debug)]
pub struct SharedState {
    snapshot: Mutex<Snapshot>,
    changes: broadcast::Sender<EventKind>,
    notifications: broadcast::Sender<ShownNotification>,
    interactions: broadcast::Sender<RequestedInteraction>,
}

/// How many announcements a slow session may fall behind before it re-reads everything.
const CHANGE_BACKLOG: usize = 64;
/// How many notifications an observer may fall behind before missing some.
const NOTIFICATION_BACKLOG: usize = 64;

impl SharedState {
    /// A logged-out, idle player with no map, not spectating, not in a room.
    pub fn new() -> Self {
        Self {
            snapshot: Mutex::new(Snapshot {
                status: Status { status: UserStatus::Idle, gamemode: 0, mods: 0, beatmap: None },
                spectating: SpectatingStatus {
                    is_spectating: false,
                    host_status: None,
                    other_spectators: Vec::new(),
                    beatmap: None,
                },
                multiplayer: MultiplayerStatus { multiplayer_enabled: false, room: None },
                username: None,
            }),
            changes: broadcast::channel(CHANGE_BACKLOG).0,
            notifications: broadcast::channel(NOTIFICATION_BACKLOG).0,
            interactions: broadcast::channel(NOTIFICATION_BACKLOG).0,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Snapshot> {
        // A panic elsewhere while holding the lock leaves whole snapshots behind: keep going.
        self.snapshot.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn replace<T: PartialEq>(
        &self,
        event: EventKind,
        value: T,
        field: impl FnOnce(&mut Snapshot) -> &mut T,
    ) -> bool {
        let changed = {
            let mut snapshot = self.lock();
            let slot = field(&mut snapshot);
            let changed = *slot != value;
            *slot = value;
            changed
        };
        if changed {
            // No receiver (no session yet) is not an error.
            let _ = self.changes.send(event);
        }
        changed
    }

    /// Sets the status; announces it if it changed, and says whether it did.
    pub fn set_status(&self, status: Status) -> bool {
        self.replace(EventKind::Status, status, |s| &mut s.status)
    }

    /// Sets the spectating state; announces it if it changed, and says whether it did.
    pub fn set_spectating_status(&self, spectating: SpectatingStatus) -> bool {
        self.replace(EventKind::SpectatingStatus, spectating, |s| &mut s.spectating)
    }

    /// Sets the multiplayer state; announces it if it changed, and says whether it did.
    pub fn set_multiplayer_status(&self, multiplayer: MultiplayerStatus) -> bool {
        self.replace(EventKind::MultiplayerStatus, multiplayer, |s| &mut s.multiplayer)
    }

    /// Logs a player in (`Some`) or out (`None`).
    pub fn set_username(&self, username: Option<String>) {
        self.lock().username = username;
    }

    /// A receiver of the notifications applications ask for, from now on.
    pub fn notifications(&self) -> broadcast::Receiver<ShownNotification> {
        self.notifications.subscribe()
    }

    /// A receiver of the interactions applications ask for, from now on. Interactions are
    /// refused (`unsupported_feature`) while nobody holds one (only a host that can carry
    /// them out, the proxy, subscribes) and while no player is logged in.
    pub fn interactions(&self) -> broadcast::Receiver<RequestedInteraction> {
        self.interactions.subscribe()
    }
}

impl Default for SharedState {
    fn default() -> Self {
        Self::new()
    }
}

impl StateSource for SharedState {
    fn status(&self) -> Status {
        self.lock().status.clone()
    }

    fn spectating_status(&self) -> SpectatingStatus {
        self.lock().spectating.clone()
    }

    fn multiplayer_status(&self) -> MultiplayerStatus {
        self.lock().multiplayer.clone()
    }

    fn username(&self) -> Option<String> {
        self.lock().username.clone()
    }

    fn notify(&self, application: &str, message: &str) {
        let _ = self
            .notifications
            .send(ShownNotification { application: application.to_owned(), message: message.to_owned() });
    }

    fn changes(&self) -> broadcast::Receiver<EventKind> {
        self.changes.subscribe()
    }

    fn interact(&self, application: &str, interaction: Interaction) -> bool {
        // Nobody logged in: there is no game session to act on.
        if self.lock().username.is_none() {
            return false;
        }
        let requested = RequestedInteraction { application: application.to_owned(), interaction };
        self.interactions.send(requested).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_changes_are_announced() {
        let state = SharedState::new();
        let mut changes = state.changes();
        let mut status = state.status();
        assert!(!state.set_status(status.clone()));
        status.mods = 64;
        assert!(state.set_status(status.clone()));
        assert_eq!(changes.try_recv().unwrap(), EventKind::Status);
        assert!(changes.try_recv().is_err());
        assert_eq!(state.status(), status);
    }

    #[test]
    fn notifications_reach_observers() {
        let state = SharedState::new();
        let mut seen = state.notifications();
        state.notify("app", "hello");
        assert_eq!(
            seen.try_recv().unwrap(),
            ShownNotification { application: "app".into(), message: "hello".into() }
        );
    }
}
