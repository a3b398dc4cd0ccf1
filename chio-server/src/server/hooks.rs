//! Where a server author's game logic plugs in.

use chio_packets::events::client::ClientEvent;

use super::World;
use crate::registry::SessionHandle;

/// What happens to an event after a hook saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flow {
    /// The built-in handling runs too.
    Continue,
    /// The hook handled it; nothing else runs.
    Handled,
}

/// Game logic on top of the built-in blocks. Every method has a default that does
/// nothing, so a server overrides only what it needs.
///
/// The hooks run with the [`World`] locked: they must not block, and they send through
/// `world.mail`.
pub trait Hooks: Send + Sync + 'static {
    /// Called for every event a logged-in client sends, before the built-in handling.
    /// Events that arrive after the session was logged out (kicked, replaced, dropped)
    /// are discarded without calling it.
    fn on_event(&self, world: &mut World, session: &SessionHandle, event: &ClientEvent<'_>) -> Flow {
        let _ = (world, session, event);
        Flow::Continue
    }

    /// A message to the bot: a direct message, or a channel message starting with `!`.
    /// The reply goes back where the message came from, sent by the bot.
    fn on_bot_message(&self, from: &SessionHandle, text: &str) -> Option<String> {
        let _ = (from, text);
        None
    }

    /// Called after a session's login burst is queued.
    fn on_login(&self, world: &mut World, session: &SessionHandle) {
        let _ = (world, session);
    }
}

/// Hooks that do nothing: the built-in blocks alone.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoHooks;

impl Hooks for NoHooks {}
