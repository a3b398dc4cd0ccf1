//! Direct messages, away messages, silences, and the server's own announcements.
//!
//! [`Chat`] delivers a direct message after the checks anchor makes, in its order: the
//! sender may speak, the target is online, the target takes messages from the sender
//! (a target with friend-only DMs takes them from its friends only), the target is not
//! silenced. A target that is away answers with its away message, once per sender per
//! away message.
//!
//! Silences are kept here by user id, so logging out and in again does not lift one; they
//! live in memory only (storage has no silences). Every time-dependent method takes the
//! current [`Instant`] from the caller, so tests need no clock.
//!
//! Messages to channels go through [`Channels`](crate::blocks::channels::Channels); the
//! server asks [`Chat::is_silenced`] before it hands one over.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use chio_packets::events::{ChatMessage, ServerEvent};

use crate::blocks::channels::chat_text;
use crate::blocks::friends::Friends;
use crate::mail::Mailer;
use crate::registry::{Registry, SessionHandle};
use crate::session::SessionId;
use crate::storage::MAX_NAME_LEN;

/// The longest away message kept, in characters; longer ones are cut.
pub const MAX_AWAY_LEN: usize = 256;

/// How many senders an away message remembers having answered; past this the memory is
/// cleared (and senders may get the away message again) so it stays bounded.
const MAX_AWAY_TOLD: usize = 4096;

/// The longest silence, ten years: longer requests are cut to it.
pub const MAX_SILENCE_SECONDS: i32 = 10 * 365 * 24 * 60 * 60;

/// Why a direct message was not delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChatError {
    /// No regular session of that name is online; nothing was sent.
    #[error("the target is not online")]
    Offline,
    /// The target takes direct messages from friends only; the sender was told with
    /// `UserDmsBlocked`.
    #[error("the target takes direct messages from friends only")]
    DmsBlocked,
    /// The target is silenced; the sender was told with `TargetIsSilenced`.
    #[error("the target is silenced")]
    TargetSilenced,
    /// The sender is silenced; nothing was sent (its client knows from `SilenceInfo`).
    #[error("the sender is silenced")]
    Silenced,
    /// The message has no text.
    #[error("empty message")]
    Empty,
}

#[derive(Debug)]
struct Away {
    message: String,
    /// User ids of the senders already answered with this message.
    told: HashSet<i32>,
}

/// Direct messages, away messages and silences; see the [module documentation](self).
#[derive(Debug, Default)]
pub struct Chat {
    friend_only_dms: HashSet<SessionId>,
    away: HashMap<SessionId, Away>,
    /// Until when each silenced user is silenced.
    silences: HashMap<i32, Instant>,
}

impl Chat {
    /// Nobody away, nobody silenced.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the session takes direct messages from its friends only (the login line's
    /// `block_non_friend_dms`, then `ChangeFriendOnlyDms`).
    pub fn set_friend_only_dms(&mut self, session: SessionId, on: bool) {
        if on {
            self.friend_only_dms.insert(session);
        } else {
            self.friend_only_dms.remove(&session);
        }
    }

    /// Sets the session's away message, cut to [`MAX_AWAY_LEN`] characters; `None` or
    /// blank text clears it. A new message is sent again to senders told the old one.
    pub fn set_away(&mut self, session: SessionId, message: Option<String>) {
        match message.filter(|m| !m.trim().is_empty()) {
            Some(mut message) => {
                if let Some((at, _)) = message.char_indices().nth(MAX_AWAY_LEN) {
                    message.truncate(at);
                }
                self.away.insert(session, Away { message, told: HashSet::new() });
            }
            None => {
                self.away.remove(&session);
            }
        }
    }

    /// The session's away message.
    pub fn away(&self, session: SessionId) -> Option<&str> {
        self.away.get(&session).map(|a| a.message.as_str())
    }

    /// Delivers a direct message from `from` to the online user `msg.target` names, with
    /// the sender's name and id from the session, after the checks of the [module
    /// documentation](self). The text is cut and `/me` rewritten as for channels (see
    /// [`Channels::message`](crate::blocks::channels::Channels::message)).
    ///
    /// Bots have no session, so a message to one is [`ChatError::Offline`]: the server
    /// handles messages to its bots before calling this.
    ///
    /// # Errors
    ///
    /// See [`ChatError`] for what each refusal sent.
    pub fn direct(
        &mut self,
        mail: &mut Mailer,
        registry: &dyn Registry,
        from: &SessionHandle,
        msg: &ChatMessage<'_>,
        friends: &Friends,
        now: Instant,
    ) -> Result<(), ChatError> {
        if self.is_silenced(from.user_id(), now) {
            return Err(ChatError::Silenced);
        }
        let content = chat_text(&msg.content).ok_or(ChatError::Empty)?;
        // Longer names cannot exist; spare the registry the lookup.
        if msg.target.chars().count() > MAX_NAME_LEN {
            return Err(ChatError::Offline);
        }
        let target = registry.by_name(&msg.target).ok_or(ChatError::Offline)?;
        if self.friend_only_dms.contains(&target.id()) && !friends.is_friend(target.user_id(), from.user_id())
        {
            mail.send(from, &ServerEvent::UserDmsBlocked(Cow::Borrowed(target.name())));
            return Err(ChatError::DmsBlocked);
        }
        if self.is_silenced(target.user_id(), now) {
            mail.send(from, &ServerEvent::TargetIsSilenced(Cow::Borrowed(target.name())));
            return Err(ChatError::TargetSilenced);
        }
        mail.send(
            &target,
            &ServerEvent::Message(ChatMessage {
                sender: Cow::Borrowed(from.name()),
                content,
                target: Cow::Borrowed(target.name()),
                sender_id: from.user_id(),
            }),
        );
        if let Some(away) = self.away.get_mut(&target.id())
            && !away.told.contains(&from.user_id())
        {
            if away.told.len() >= MAX_AWAY_TOLD {
                away.told.clear();
            }
            away.told.insert(from.user_id());
            // anchor's wording, as an action so clients show "<name> is away: …".
            let reply = format!("\x01ACTION is away: {}\x01", away.message);
            mail.send(
                from,
                &ServerEvent::Message(ChatMessage {
                    sender: Cow::Borrowed(target.name()),
                    content: Cow::Owned(reply),
                    target: Cow::Borrowed(from.name()),
                    sender_id: target.user_id(),
                }),
            );
        }
        Ok(())
    }

    /// Silences `user_id` for `seconds` from `now` (cut to [`MAX_SILENCE_SECONDS`]):
    /// `SilenceInfo(seconds)` to the user's sessions, `UserSilenced(user_id)` to every
    /// session (clients then hide the user's messages). Zero or fewer seconds lifts a
    /// silence: `SilenceInfo(-1)` to the user's sessions only.
    pub fn silence(
        &mut self,
        mail: &mut Mailer,
        registry: &dyn Registry,
        user_id: i32,
        seconds: i32,
        now: Instant,
    ) {
        let own = registry.by_user(user_id);
        if seconds <= 0 {
            self.silences.remove(&user_id);
            mail.send_all(&own, &ServerEvent::SilenceInfo(-1), &[]);
            return;
        }
        let seconds = seconds.min(MAX_SILENCE_SECONDS);
        // `seconds` is positive and bounded, so the cast and the addition hold.
        let until = now.checked_add(Duration::from_secs(seconds as u64)).unwrap_or(now);
        self.silences.insert(user_id, until);
        mail.send_all(&own, &ServerEvent::SilenceInfo(seconds), &[]);
        mail.send_all(&registry.sessions(), &ServerEvent::UserSilenced(user_id), &[]);
    }

    /// Whether `user_id` is silenced at `now`.
    pub fn is_silenced(&self, user_id: i32, now: Instant) -> bool {
        self.silences.get(&user_id).is_some_and(|until| *until > now)
    }

    /// Whole seconds of silence `user_id` has left at `now` (rounded up), 0 if none: the
    /// login burst's `SilenceInfo`.
    pub fn silence_left(&self, user_id: i32, now: Instant) -> i32 {
        let Some(left) = self.silences.get(&user_id).map(|until| until.saturating_duration_since(now)) else {
            return 0;
        };
        let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
        i32::try_from(secs).unwrap_or(i32::MAX)
    }

    /// Forgets silences that ended before `now`; a server may call it now and then.
    pub fn prune(&mut self, now: Instant) {
        self.silences.retain(|_, until| *until > now);
    }

    /// Forgets the session's away message and DM setting (at logout). Silences stay.
    pub fn remove_session(&mut self, session: SessionId) {
        self.away.remove(&session);
        self.friend_only_dms.remove(&session);
    }
}

/// Sends `text` as an announcement (a notification box) to every session in `to`.
pub fn announce<'h>(mail: &mut Mailer, to: impl IntoIterator<Item = &'h SessionHandle>, text: &str) {
    mail.send_all(to, &ServerEvent::Announce(Cow::Borrowed(text)), &[]);
}

/// Tells every session the server is restarting: `BanchoRestart(retry_after_ms)` to
/// b1788+, the restart announcement to b291–b1787 (the events layer's adaptation).
pub fn restart(mail: &mut Mailer, registry: &dyn Registry, retry_after_ms: u32) {
    mail.send_all(&registry.sessions(), &ServerEvent::Restart { retry_after_ms }, &[]);
}

#[cfg(test)]
mod tests {
    use chio_packets::ServerPacket;

    use super::*;
    use crate::registry::InProcessRegistry;
    use crate::testkit::{Kit, names, received};

    const MODERN: u32 = 20250306;

    struct World {
        kit: Kit,
        registry: InProcessRegistry,
        mail: Mailer,
        chat: Chat,
        friends: Friends,
        now: Instant,
    }

    impl World {
        fn new() -> Self {
            Self {
                kit: Kit::new(),
                registry: InProcessRegistry::new(),
                mail: Mailer::new(),
                chat: Chat::new(),
                friends: Friends::new(),
                now: Instant::now(),
            }
        }

        fn online(&self, user_id: i32, name: &str, build: u32) -> SessionHandle {
            let s = self.kit.session(user_id, name, build);
            assert!(self.registry.insert(s.clone()).replaced.is_empty());
            s
        }

        /// Alice (user 1001) online, on a modern build.
        fn alice(&self) -> SessionHandle {
            self.online(1001, "Alice", MODERN)
        }

        /// A world with Alice (user 1001) and Bob (user 1002) online, both on modern builds.
        fn with_alice_and_bob() -> (Self, SessionHandle, SessionHandle) {
            let w = Self::new();
            let a = w.alice();
            let b = w.online(1002, "Bob", MODERN);
            (w, a, b)
        }

        fn dm(&mut self, from: &SessionHandle, to: &str, text: &str) -> Result<(), ChatError> {
            let msg = ChatMessage {
                sender: "forged".into(),
                content: text.into(),
                target: to.into(),
                sender_id: 5,
            };
            self.chat.direct(&mut self.mail, &self.registry, from, &msg, &self.friends, self.now)
        }
    }

    /// (sender, sender id, target, content) of each message received.
    fn messages(s: &SessionHandle) -> Vec<(String, i32, String, String)> {
        received(s)
            .into_iter()
            .filter_map(|p| match p {
                ServerPacket::BanchoMessage(m) => Some((
                    m.0.sender.into_owned(),
                    m.0.sender_id,
                    m.0.target.into_owned(),
                    m.0.content.into_owned(),
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn direct_messages_reach_the_target_only() {
        let mut w = World::new();
        let a = w.alice();
        let b = w.online(1002, "Bob Smith", MODERN);
        let c = w.online(1003, "Carol", MODERN);
        w.dm(&a, "bob_smith", "/me hi").unwrap();
        assert_eq!(messages(&b), [("Alice".into(), 1001, "Bob Smith".into(), "\x01ACTION hi\x01".into())]);
        assert!(names(&a).is_empty() && names(&c).is_empty());
        assert_eq!(w.dm(&a, "bob", "  "), Err(ChatError::Empty));
    }

    #[test]
    fn old_builds_receive_direct_messages() {
        let mut w = World::new();
        let a = w.alice();
        // b294–b319 learn only that it is a direct message; b282 cannot show one.
        let b300 = w.online(1002, "Old", 300);
        let b282 = w.online(1003, "Older", 282);
        let b1000 = w.online(1004, "Mid", 1000);
        w.dm(&a, "old", "hey").unwrap();
        w.dm(&a, "older", "hey").unwrap();
        w.dm(&a, "mid", "hey").unwrap();
        assert_eq!(messages(&b300).len(), 1);
        assert!(names(&b282).is_empty());
        assert_eq!(messages(&b1000), [("Alice".into(), -1, "Mid".into(), "hey".into())]);
    }

    #[test]
    fn offline_targets_get_nothing() {
        let mut w = World::new();
        let a = w.alice();
        assert_eq!(w.dm(&a, "nobody", "hi"), Err(ChatError::Offline));
        assert_eq!(w.dm(&a, &"x".repeat(10_000), "hi"), Err(ChatError::Offline));
        assert!(names(&a).is_empty());
    }

    #[test]
    fn friend_only_dms_block_strangers() {
        let (mut w, a, b) = World::with_alice_and_bob();
        let old = w.online(1003, "Old", 20121224);
        w.chat.set_friend_only_dms(b.id(), true);
        assert_eq!(w.dm(&a, "bob", "hi"), Err(ChatError::DmsBlocked));
        let packets = received(&a);
        assert!(matches!(&packets[..], [ServerPacket::BanchoUserDmsBlocked(m)] if m.0.target == "Bob"));
        assert!(names(&b).is_empty());
        // A build without the packet (before b20130131) is refused silently.
        assert_eq!(w.dm(&old, "bob", "hi"), Err(ChatError::DmsBlocked));
        assert!(names(&old).is_empty());

        // Friends of the target get through; so does anyone once the setting is off.
        w.friends.load(b.user_id(), vec![a.user_id()]);
        w.dm(&a, "bob", "hi").unwrap();
        assert_eq!(messages(&b).len(), 1);
        w.chat.set_friend_only_dms(b.id(), false);
        w.dm(&old, "bob", "hi").unwrap();
        assert_eq!(messages(&b).len(), 1);
    }

    #[test]
    fn away_messages_answer_once_per_sender() {
        let (mut w, a, b) = World::with_alice_and_bob();
        let c = w.online(1003, "Carol", MODERN);
        w.chat.set_away(b.id(), Some("brb".into()));
        w.dm(&a, "bob", "hi").unwrap();
        w.dm(&a, "bob", "hello?").unwrap();
        assert_eq!(
            messages(&a),
            [("Bob".into(), 1002, "Alice".into(), "\x01ACTION is away: brb\x01".into())]
        );
        assert_eq!(messages(&b).len(), 2);
        w.dm(&c, "bob", "hi").unwrap();
        assert_eq!(messages(&c).len(), 1);
        // A new message is told again; a blank one clears it.
        w.chat.set_away(b.id(), Some("lunch".into()));
        w.dm(&a, "bob", "hi").unwrap();
        assert_eq!(messages(&a)[0].3, "\x01ACTION is away: lunch\x01");
        w.chat.set_away(b.id(), Some(" ".into()));
        assert_eq!(w.chat.away(b.id()), None);
        w.dm(&c, "bob", "hi").unwrap();
        assert!(names(&c).is_empty());
        // Bounded.
        w.chat.set_away(b.id(), Some("z".repeat(10_000)));
        assert_eq!(w.chat.away(b.id()).unwrap().len(), MAX_AWAY_LEN);
        w.chat.remove_session(b.id());
        assert_eq!(w.chat.away(b.id()), None);
    }

    #[test]
    fn silences() {
        let (mut w, a, b) = World::with_alice_and_bob();
        let old = w.online(1003, "Old", 1000);
        let now = w.now;
        w.chat.silence(&mut w.mail, &w.registry, b.user_id(), 60, now);
        let packets = received(&b);
        assert!(matches!(
            &packets[..],
            [ServerPacket::BanchoSilenceInfo(s), ServerPacket::BanchoUserSilenced(u)] if s.seconds == 60 && u.user_id == 1002
        ));
        assert_eq!(names(&a), ["BanchoUserSilenced"]);
        assert!(names(&old).is_empty(), "b1000 has neither packet");

        assert!(w.chat.is_silenced(b.user_id(), now));
        assert_eq!(w.chat.silence_left(b.user_id(), now + Duration::from_millis(500)), 60);
        assert_eq!(w.chat.silence_left(b.user_id(), now + Duration::from_secs(59)), 1);
        assert_eq!(w.chat.silence_left(a.user_id(), now), 0);

        // A silenced sender is refused; a silenced target is reported.
        assert_eq!(w.dm(&b, "alice", "hi"), Err(ChatError::Silenced));
        assert_eq!(w.dm(&a, "bob", "hi"), Err(ChatError::TargetSilenced));
        let packets = received(&a);
        assert!(matches!(&packets[..], [ServerPacket::BanchoTargetIsSilenced(m)] if m.0.target == "Bob"));
        assert!(names(&b).is_empty());

        // It ends by itself...
        w.now = now + Duration::from_secs(61);
        assert!(!w.chat.is_silenced(b.user_id(), w.now));
        w.dm(&b, "alice", "back").unwrap();
        assert_eq!(messages(&a).len(), 1);
        w.chat.prune(w.now);
        assert_eq!(w.chat.silence_left(b.user_id(), now), 0);

        // ...or is lifted.
        w.chat.silence(&mut w.mail, &w.registry, a.user_id(), i32::MAX, now);
        assert_eq!(w.chat.silence_left(a.user_id(), now), MAX_SILENCE_SECONDS);
        let packets = received(&a);
        assert!(
            matches!(&packets[0], ServerPacket::BanchoSilenceInfo(s) if s.seconds == MAX_SILENCE_SECONDS)
        );
        names(&b);
        w.chat.silence(&mut w.mail, &w.registry, a.user_id(), 0, now);
        let packets = received(&a);
        assert!(matches!(&packets[..], [ServerPacket::BanchoSilenceInfo(s)] if s.seconds == -1));
        assert!(names(&b).is_empty());
        assert!(!w.chat.is_silenced(a.user_id(), now));
    }

    #[test]
    fn announcements_and_restarts() {
        let w = World::new();
        let mut mail = Mailer::new();
        let new = w.online(1001, "New", MODERN);
        let mid = w.online(1002, "Mid", 1000);
        let first = w.online(1003, "First", 282);
        announce(&mut mail, [&new, &mid], "hello");
        assert_eq!(names(&new), ["BanchoAnnounce"]);
        assert_eq!(names(&mid), ["BanchoAnnounce"]);
        assert!(names(&first).is_empty());
        restart(&mut mail, &w.registry, 5000);
        let packets = received(&new);
        assert!(matches!(&packets[..], [ServerPacket::BanchoRestart(r)] if r.retry_after_ms == 5000));
        assert_eq!(names(&mid), ["BanchoAnnounce"]);
        assert!(names(&first).is_empty(), "b282 has neither packet");
    }
}
