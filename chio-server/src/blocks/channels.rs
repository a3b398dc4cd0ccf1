//! Chat channels: the list a client sees at login, membership, and messages to members.
//!
//! Channels come in two kinds:
//!
//! - **Listed** channels, from [`ChannelConfig`]s (`#osu`, `#announce`, `#lobby`): offered
//!   to every client at login ([`Channels::on_login`]), the autojoin ones joined there.
//! - **Hidden** channels, made by the server for a match or a spectated player
//!   ([`Channels::create_hidden`]): never listed, and shown to their members under a
//!   display name (`#multi_3` as `#multiplayer`, `#spec_1005` as `#spectator`). Clients
//!   address them by that display name, so a message or part for `#multiplayer` resolves
//!   to the hidden channel with that display name the session is a member of (anchor's
//!   virtual channels, `docs/design/server-research.md` §7).
//!
//! Membership is the same for every build: the events layer drops what a build cannot
//! show (b282–b319 see only `#osu` and `#announce`, builds before b349 have no channel
//! packets at all).
//!
//! Names compare case-insensitively. Names a client sends are bounded by
//! [`MAX_CHANNEL_NAME_LEN`]; message text by [`MAX_MESSAGE_LEN`].

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use chio_packets::chat::Channel;
use chio_packets::events::{ChatMessage, ServerEvent};

use crate::mail::Mailer;
use crate::registry::SessionHandle;
use crate::session::SessionId;

/// The longest channel name looked up; longer names are unknown, and echoed back in
/// `ChannelRevoked` cut to this length.
pub const MAX_CHANNEL_NAME_LEN: usize = 64;

/// The longest message text delivered, in characters; longer text is cut to this length
/// (not refused, so a long paste still arrives).
pub const MAX_MESSAGE_LEN: usize = 2048;

/// A channel to create: its name, topic and whether clients join it at login.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelConfig {
    /// The name, with its `#`.
    pub name: String,
    /// The topic shown in the channel list.
    pub topic: String,
    /// Whether every client joins it at login.
    pub autojoin: bool,
    /// Whether it is offered in the channel list at login.
    pub listed: bool,
}

impl ChannelConfig {
    /// A listed channel.
    pub fn new(name: impl Into<String>, topic: impl Into<String>, autojoin: bool) -> Self {
        Self { name: name.into(), topic: topic.into(), autojoin, listed: true }
    }
}

/// Why a channel action was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChannelError {
    /// No channel has this name (nor is it the display name of one the session is in).
    #[error("no channel {0}")]
    Unknown(String),
    /// The session is not a member of the channel.
    #[error("not a member of {0}")]
    NotMember(String),
    /// The message has no text.
    #[error("empty message")]
    Empty,
}

#[derive(Debug)]
struct ChannelState {
    name: String,
    display: String,
    topic: String,
    autojoin: bool,
    listed: bool,
    /// Ordered by session id, so deliveries are deterministic.
    members: BTreeMap<SessionId, SessionHandle>,
}

impl ChannelState {
    fn wire(&self) -> Channel<'static> {
        Channel {
            name: Cow::Owned(self.display.clone()),
            topic: Cow::Owned(self.topic.clone()),
            user_count: i16::try_from(self.members.len()).unwrap_or(i16::MAX),
        }
    }
}

/// The channels of a server and who is in them; see the [module documentation](self).
#[derive(Debug, Default)]
pub struct Channels {
    /// By lowercase name.
    channels: HashMap<String, ChannelState>,
    /// Lowercase names of the listed channels, in the order clients see them.
    listed: Vec<String>,
    /// Lowercase names of the channels each session is in, in join order.
    memberships: HashMap<SessionId, Vec<String>>,
}

fn key(name: &str) -> String {
    name.to_lowercase()
}

/// `text` cut to `max` characters.
fn cut(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

impl Channels {
    /// Channels from `configs`, listed ones in the given order. A later config with the
    /// name of an earlier one replaces it.
    pub fn new(configs: impl IntoIterator<Item = ChannelConfig>) -> Self {
        let mut channels = Self::default();
        for config in configs {
            channels.add(config);
        }
        channels
    }

    /// `#osu` and `#announce` (both joined at login) and `#lobby` (joined when the client
    /// opens the multiplayer lobby), anchor's defaults.
    pub fn standard() -> Self {
        Self::new([
            ChannelConfig::new("#osu", "General discussion.", true),
            ChannelConfig::new("#announce", "Announcements and notable scores.", true),
            ChannelConfig::new("#lobby", "Multiplayer lobby discussion.", false),
        ])
    }

    /// Adds a channel (listed or not, as configured), replacing one of the same name and
    /// dropping that one's members.
    pub fn add(&mut self, config: ChannelConfig) {
        let k = key(&config.name);
        self.drop_channel(&k);
        if config.listed {
            self.listed.push(k.clone());
        }
        self.channels.insert(
            k,
            ChannelState {
                display: config.name.clone(),
                name: config.name,
                topic: config.topic,
                autojoin: config.autojoin,
                listed: config.listed,
                members: BTreeMap::new(),
            },
        );
    }

    /// Creates an unlisted channel `name` that its members see as `display` (a match's
    /// `#multi_3` as `#multiplayer`). Does nothing if `name` exists.
    pub fn create_hidden(&mut self, name: &str, display: &str) {
        let k = key(name);
        self.channels.entry(k).or_insert_with(|| ChannelState {
            name: name.to_owned(),
            display: display.to_owned(),
            topic: String::new(),
            autojoin: false,
            listed: false,
            members: BTreeMap::new(),
        });
    }

    /// Deletes channel `name`, telling its members with `ChannelRevoked(display name)`.
    /// Returns whether it existed.
    pub fn remove(&mut self, mail: &mut Mailer, name: &str) -> bool {
        let k = key(name);
        let Some(channel) = self.channels.get(&k) else { return false };
        mail.send_all(
            channel.members.values(),
            &ServerEvent::ChannelRevoked(Cow::Borrowed(&channel.display)),
            &[],
        );
        self.drop_channel(&k);
        true
    }

    fn drop_channel(&mut self, k: &str) {
        if let Some(channel) = self.channels.remove(k) {
            for id in channel.members.keys() {
                if let Some(names) = self.memberships.get_mut(id) {
                    names.retain(|n| n != k);
                }
            }
            self.listed.retain(|n| n != k);
        }
    }

    /// The key of the channel `name` means for `session`: the channel of that name, else
    /// a channel the session is in whose display name it is.
    /// The real name of the channel `name` means for `session`: the channel itself, or the
    /// hidden channel the session is in that is displayed as `name` (`#multiplayer`).
    pub fn real_name(&self, session: SessionId, name: &str) -> Option<String> {
        let k = self.resolve(session, name)?;
        self.channels.get(&k).map(|c| c.name.clone())
    }

    fn resolve(&self, session: SessionId, name: &str) -> Option<String> {
        if name.chars().count() > MAX_CHANNEL_NAME_LEN {
            return None;
        }
        let k = key(name);
        if self.channels.contains_key(&k) {
            return Some(k);
        }
        self.memberships
            .get(&session)?
            .iter()
            .find(|m| self.channels.get(*m).is_some_and(|c| key(&c.display) == k))
            .cloned()
    }

    fn insert_member(&mut self, k: &str, session: &SessionHandle) {
        if let Some(channel) = self.channels.get_mut(k)
            && channel.members.insert(session.id(), session.clone()).is_none()
        {
            self.memberships.entry(session.id()).or_default().push(k.to_owned());
        }
    }

    /// The channel part of the login burst, in anchor's order: for each listed channel,
    /// `ChannelAvailableAutojoin` and `ChannelJoinSuccess` if it is an autojoin channel
    /// (joining the session to it), else `ChannelAvailable`; then `ChannelInfoComplete`.
    pub fn on_login(&mut self, mail: &mut Mailer, session: &SessionHandle) {
        for k in self.listed.clone() {
            let autojoin = self.channels[&k].autojoin;
            if autojoin {
                self.insert_member(&k, session);
            }
            let channel = &self.channels[&k];
            if autojoin {
                mail.send(session, &ServerEvent::ChannelAvailableAutojoin(channel.wire()));
                mail.send(session, &ServerEvent::ChannelJoinSuccess(Cow::Borrowed(&channel.display)));
            } else {
                mail.send(session, &ServerEvent::ChannelAvailable(channel.wire()));
            }
        }
        mail.send(session, &ServerEvent::ChannelInfoComplete);
    }

    /// Joins `session` to channel `name` (listed or hidden) and sends it
    /// `ChannelJoinSuccess(display name)`; joining again only resends that.
    ///
    /// This is the server's join (a player entering a match joins its hidden channel):
    /// it does not ask whether the session may. For a client's `OsuChannelJoin` use
    /// [`client_join`](Self::client_join), which keeps hidden channels closed.
    ///
    /// # Errors
    ///
    /// [`ChannelError::Unknown`] for no such channel, after sending `ChannelRevoked(name)`
    /// so the client closes the tab it opened.
    pub fn join(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        name: &str,
    ) -> Result<(), ChannelError> {
        let Some(k) = self.resolve(session.id(), name) else {
            let name = cut(name, MAX_CHANNEL_NAME_LEN);
            mail.send(session, &ServerEvent::ChannelRevoked(Cow::Borrowed(name)));
            return Err(ChannelError::Unknown(name.to_owned()));
        };
        self.insert_member(&k, session);
        mail.send(session, &ServerEvent::ChannelJoinSuccess(Cow::Borrowed(&self.channels[&k].display)));
        Ok(())
    }

    /// Joins `session` to channel `name` at the client's request (`OsuChannelJoin`):
    /// as [`join`](Self::join) for listed channels; a hidden channel is refused as unknown
    /// (anchor revokes `#multi_<id>` for non-referees) unless the session is already in it,
    /// so a client cannot listen in on a match or a spectator group by its real name.
    ///
    /// # Errors
    ///
    /// [`ChannelError::Unknown`] after sending `ChannelRevoked(name)`.
    pub fn client_join(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        name: &str,
    ) -> Result<(), ChannelError> {
        let open = self.resolve(session.id(), name).is_some_and(|k| {
            self.channels[&k].listed || self.channels[&k].members.contains_key(&session.id())
        });
        if !open {
            let name = cut(name, MAX_CHANNEL_NAME_LEN);
            mail.send(session, &ServerEvent::ChannelRevoked(Cow::Borrowed(name)));
            return Err(ChannelError::Unknown(name.to_owned()));
        }
        self.join(mail, session, name)
    }

    /// Takes `session` out of channel `name` (or the channel it is in displayed as `name`),
    /// when the client closes the tab. Sends nothing: a `ChannelRevoked` would also take
    /// the channel off the client's list. `mail` is unused today; it keeps the signature
    /// of [`join`](Self::join) should member counts be pushed.
    ///
    /// # Errors
    ///
    /// [`ChannelError::Unknown`] or [`ChannelError::NotMember`].
    pub fn part(
        &mut self,
        _mail: &mut Mailer,
        session: &SessionHandle,
        name: &str,
    ) -> Result<(), ChannelError> {
        self.leave(session.id(), name).map(drop)
    }

    /// Removes a membership; the channel's key.
    fn leave(&mut self, session: SessionId, name: &str) -> Result<String, ChannelError> {
        let k = self
            .resolve(session, name)
            .ok_or_else(|| ChannelError::Unknown(cut(name, MAX_CHANNEL_NAME_LEN).to_owned()))?;
        let channel = self.channels.get_mut(&k).expect("resolved channels exist");
        if channel.members.remove(&session).is_none() {
            return Err(ChannelError::NotMember(channel.name.clone()));
        }
        if let Some(names) = self.memberships.get_mut(&session) {
            names.retain(|n| *n != k);
        }
        Ok(k)
    }

    /// Takes `session` out of channel `name` on the server's behalf (leaving a match)
    /// and sends it `ChannelRevoked(display name)` so its tab closes.
    ///
    /// # Errors
    ///
    /// As [`part`](Self::part).
    pub fn kick(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        name: &str,
    ) -> Result<(), ChannelError> {
        let k = self.leave(session.id(), name)?;
        let display = &self.channels[&k].display;
        mail.send(session, &ServerEvent::ChannelRevoked(Cow::Borrowed(display)));
        Ok(())
    }

    /// Delivers `msg` from `session` to the other members of the channel `msg.target`
    /// names (resolving display names of hidden channels), as a `Message` with the
    /// sender's name and id from the session and the channel's display name as target.
    /// The text is cut to [`MAX_MESSAGE_LEN`] characters; `/me text` becomes
    /// `\x01ACTION text\x01`, as anchor does. Whether the sender is silenced is the
    /// caller's check ([`Chat::is_silenced`](crate::blocks::chat::Chat::is_silenced)).
    ///
    /// # Errors
    ///
    /// [`ChannelError::Unknown`], [`ChannelError::NotMember`] (nothing is sent), or
    /// [`ChannelError::Empty`] for blank text.
    pub fn message(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        msg: &ChatMessage<'_>,
    ) -> Result<(), ChannelError> {
        let k = self
            .resolve(session.id(), &msg.target)
            .ok_or_else(|| ChannelError::Unknown(cut(&msg.target, MAX_CHANNEL_NAME_LEN).to_owned()))?;
        let channel = &self.channels[&k];
        if !channel.members.contains_key(&session.id()) {
            return Err(ChannelError::NotMember(channel.name.clone()));
        }
        let content = chat_text(&msg.content).ok_or(ChannelError::Empty)?;
        let event = ServerEvent::Message(ChatMessage {
            sender: Cow::Borrowed(session.name()),
            content,
            target: Cow::Borrowed(&channel.display),
            sender_id: session.user_id(),
        });
        mail.send_all(channel.members.values(), &event, &[session.id()]);
        Ok(())
    }

    /// Takes the session out of every channel (at logout).
    pub fn leave_all(&mut self, session: SessionId) {
        for k in self.memberships.remove(&session).unwrap_or_default() {
            if let Some(channel) = self.channels.get_mut(&k) {
                channel.members.remove(&session);
            }
        }
    }

    /// The members of channel `name` (its real name), ordered by session id.
    pub fn members(&self, name: &str) -> impl Iterator<Item = &SessionHandle> {
        self.channels.get(&key(name)).into_iter().flat_map(|c| c.members.values())
    }

    /// Whether the session is in channel `name` (or one it sees displayed as `name`).
    pub fn is_member(&self, session: SessionId, name: &str) -> bool {
        self.resolve(session, name).is_some_and(|k| self.channels[&k].members.contains_key(&session))
    }

    /// The real names of the channels the session is in, in join order.
    pub fn channel_names_of(&self, session: SessionId) -> Vec<&str> {
        self.memberships
            .get(&session)
            .into_iter()
            .flatten()
            .filter_map(|k| self.channels.get(k).map(|c| c.name.as_str()))
            .collect()
    }

    /// Channel `name` as the channel list shows it (display name, topic, member count).
    pub fn info(&self, name: &str) -> Option<Channel<'static>> {
        self.channels.get(&key(name)).map(ChannelState::wire)
    }

    /// Whether channel `name` exists.
    pub fn exists(&self, name: &str) -> bool {
        self.channels.contains_key(&key(name))
    }

    /// Whether channel `name` is listed (offered at login).
    pub fn is_listed(&self, name: &str) -> bool {
        self.channels.get(&key(name)).is_some_and(|c| c.listed)
    }
}

/// Chat text as delivered: cut to [`MAX_MESSAGE_LEN`] characters, `/me` as a CTCP
/// action; `None` for blank text.
pub(crate) fn chat_text<'m>(content: &'m str) -> Option<Cow<'m, str>> {
    if content.trim().is_empty() {
        return None;
    }
    let content = cut(content, MAX_MESSAGE_LEN);
    Some(match content.strip_prefix("/me ") {
        Some(action) => Cow::Owned(format!("\x01ACTION {action}\x01")),
        None => Cow::Borrowed(content),
    })
}

#[cfg(test)]
mod tests {
    use chio_packets::ServerPacket;

    use super::*;
    use crate::testkit::{Kit, names, received};

    fn say<'a>(target: &'a str, content: &'a str) -> ChatMessage<'a> {
        ChatMessage { sender: "forged".into(), content: content.into(), target: target.into(), sender_id: 77 }
    }

    /// The sender id a session sees: builds before b20121225 (protocol 15) have none.
    fn seen_id(session: &SessionHandle, id: i32) -> i32 {
        let ctx = session.ctx();
        if ctx.build() >= 20121225 && ctx.protocol() >= 15 { id } else { -1 }
    }

    /// The (target, sender, sender id, content) of each message the session received.
    fn messages(session: &SessionHandle) -> Vec<(String, String, i32, String)> {
        received(session)
            .into_iter()
            .filter_map(|p| match p {
                ServerPacket::BanchoMessage(m) => Some((
                    m.0.target.into_owned(),
                    m.0.sender.into_owned(),
                    m.0.sender_id,
                    m.0.content.into_owned(),
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn login_burst_for_a_modern_build() {
        let kit = Kit::new();
        let mut mail = Mailer::new();
        let mut channels = Channels::standard();
        let earlier = kit.session(1000, "earlier", 20250306);
        channels.on_login(&mut mail, &earlier);
        names(&earlier);
        let s = kit.session(1001, "modern", 20250306);
        channels.on_login(&mut mail, &s);
        let packets = received(&s);
        let got: Vec<_> = packets.iter().map(ServerPacket::name).collect();
        assert_eq!(
            got,
            [
                "BanchoChannelAvailableAutojoin",
                "BanchoChannelJoinSuccess",
                "BanchoChannelAvailableAutojoin",
                "BanchoChannelJoinSuccess",
                "BanchoChannelAvailable",
                "BanchoChannelInfoComplete",
            ]
        );
        let ServerPacket::BanchoChannelAvailableAutojoin(osu) = &packets[0] else { unreachable!() };
        assert_eq!(
            (osu.0.name.as_ref(), osu.0.topic.as_ref(), osu.0.user_count),
            ("#osu", "General discussion.", 2)
        );
        let ServerPacket::BanchoChannelAvailable(lobby) = &packets[4] else { unreachable!() };
        assert_eq!((lobby.0.name.as_ref(), lobby.0.user_count), ("#lobby", 0));
        assert_eq!(channels.channel_names_of(s.id()), ["#osu", "#announce"]);
        assert!(!channels.is_member(s.id(), "#lobby"));
    }

    #[test]
    fn login_burst_for_old_builds() {
        let kit = Kit::new();
        let mut mail = Mailer::new();
        let mut channels = Channels::standard();
        // b1000 has channel packets but no ChannelInfoComplete (b20120518).
        let b1000 = kit.session(1, "b1000", 1000);
        channels.on_login(&mut mail, &b1000);
        assert_eq!(
            names(&b1000),
            [
                "BanchoChannelAvailableAutojoin",
                "BanchoChannelJoinSuccess",
                "BanchoChannelAvailableAutojoin",
                "BanchoChannelJoinSuccess",
                "BanchoChannelAvailable",
            ]
        );
        // b282 has no channel packets, but is a member all the same.
        let b282 = kit.session(2, "b282", 282);
        channels.on_login(&mut mail, &b282);
        assert!(names(&b282).is_empty());
        assert_eq!(channels.channel_names_of(b282.id()), ["#osu", "#announce"]);
        // And gets #osu messages.
        channels.message(&mut mail, &b1000, &say("#osu", "hi")).unwrap();
        assert_eq!(messages(&b282), [("#osu".into(), "b1000".into(), -1, "hi".into())]);
    }

    #[test]
    fn messages_reach_other_members_only() {
        let kit = Kit::new();
        let mut mail = Mailer::new();
        let mut channels = Channels::standard();
        let builds = [282, 1000, 1788, 20121224, 20130815, 20150915, 20250306];
        let sessions: Vec<_> = builds
            .iter()
            .enumerate()
            .map(|(i, b)| kit.session(1000 + i as i32, &format!("p{b}"), *b))
            .collect();
        for s in &sessions {
            channels.on_login(&mut mail, s);
            names(s);
        }
        let outsider = kit.session(2000, "outsider", 20250306);
        let sender = &sessions[6];
        channels.join(&mut mail, sender, "#lobby").unwrap();
        channels.join(&mut mail, &sessions[2], "#LOBBY").unwrap();
        names(sender);
        assert_eq!(names(&sessions[2]), ["BanchoChannelJoinSuccess"]);

        channels.message(&mut mail, sender, &say("#osu", "/me waves")).unwrap();
        for s in &sessions[..6] {
            let expected =
                ("#osu".into(), "p20250306".into(), seen_id(s, 1006), "\x01ACTION waves\x01".into());
            assert_eq!(messages(s), [expected], "b{}", s.ctx().build());
        }
        assert!(names(sender).is_empty(), "the sender does not get its own message");
        assert!(names(&outsider).is_empty());

        // #lobby reaches its members only; b282–b319 cannot show it anyway.
        channels.message(&mut mail, sender, &say("#lobby", "anyone?")).unwrap();
        assert_eq!(messages(&sessions[2]).len(), 1);
        for s in [0, 1, 3, 4, 5] {
            assert!(names(&sessions[s]).is_empty());
        }

        // Non-members, unknown channels and blank text are refused, and nothing is sent.
        assert_eq!(
            channels.message(&mut mail, &outsider, &say("#osu", "hi")),
            Err(ChannelError::NotMember("#osu".into()))
        );
        assert!(matches!(
            channels.message(&mut mail, sender, &say("#nope", "hi")),
            Err(ChannelError::Unknown(_))
        ));
        assert_eq!(channels.message(&mut mail, sender, &say("#osu", "  ")), Err(ChannelError::Empty));
        assert!(sessions.iter().all(|s| names(s).is_empty()));
    }

    #[test]
    fn long_messages_are_cut() {
        let kit = Kit::new();
        let mut mail = Mailer::new();
        let mut channels = Channels::standard();
        let (a, b) = (kit.session(1, "a", 20250306), kit.session(2, "b", 20250306));
        channels.on_login(&mut mail, &a);
        channels.on_login(&mut mail, &b);
        names(&b);
        let long = "é".repeat(MAX_MESSAGE_LEN + 10);
        channels.message(&mut mail, &a, &say("#osu", &long)).unwrap();
        assert_eq!(messages(&b)[0].3.chars().count(), MAX_MESSAGE_LEN);
    }

    #[test]
    fn joins_and_parts() {
        let kit = Kit::new();
        let mut mail = Mailer::new();
        let mut channels = Channels::standard();
        let s = kit.session(1, "a", 20250306);
        assert!(matches!(channels.join(&mut mail, &s, "#nope"), Err(ChannelError::Unknown(_))));
        let packets = received(&s);
        assert!(matches!(&packets[..], [ServerPacket::BanchoChannelRevoked(r)] if r.0 == "#nope"));
        // An overlong name is unknown and echoed cut.
        let long = format!("#{}", "x".repeat(500));
        assert!(channels.join(&mut mail, &s, &long).is_err());
        let packets = received(&s);
        assert!(
            matches!(&packets[..], [ServerPacket::BanchoChannelRevoked(r)] if r.0.len() == MAX_CHANNEL_NAME_LEN)
        );

        channels.join(&mut mail, &s, "#lobby").unwrap();
        channels.join(&mut mail, &s, "#lobby").unwrap();
        assert_eq!(names(&s), ["BanchoChannelJoinSuccess", "BanchoChannelJoinSuccess"]);
        assert_eq!(channels.members("#lobby").count(), 1);
        channels.part(&mut mail, &s, "#lobby").unwrap();
        assert!(names(&s).is_empty());
        assert_eq!(channels.part(&mut mail, &s, "#lobby"), Err(ChannelError::NotMember("#lobby".into())));
        assert_eq!(channels.members("#lobby").count(), 0);

        channels.join(&mut mail, &s, "#osu").unwrap();
        channels.leave_all(s.id());
        assert!(channels.channel_names_of(s.id()).is_empty());
        assert_eq!(channels.members("#osu").count(), 0);
    }

    #[test]
    fn hidden_channels_resolve_display_names_per_session() {
        let kit = Kit::new();
        let mut mail = Mailer::new();
        let mut channels = Channels::standard();
        channels.create_hidden("#multi_3", "#multiplayer");
        channels.create_hidden("#multi_4", "#multiplayer");
        channels.create_hidden("#spec_1005", "#spectator");
        let (a, b, c) = (
            kit.session(1001, "a", 20250306),
            kit.session(1002, "b", 1000),
            kit.session(1003, "c", 20250306),
        );
        let d = kit.session(1004, "d", 20250306);
        for (s, ch) in
            [(&a, "#multi_3"), (&b, "#multi_3"), (&c, "#multi_4"), (&a, "#spec_1005"), (&d, "#spec_1005")]
        {
            channels.join(&mut mail, s, ch).unwrap();
        }
        let packets = received(&a);
        assert!(
            matches!(&packets[..], [ServerPacket::BanchoChannelJoinSuccess(x), ServerPacket::BanchoChannelJoinSuccess(y)]
                if x.0 == "#multiplayer" && y.0 == "#spectator")
        );
        for s in [&b, &c, &d] {
            names(s);
        }
        let mut login = Mailer::new();
        let e = kit.session(1005, "e", 20250306);
        channels.on_login(&mut login, &e);
        assert_eq!(names(&e).len(), 6, "hidden channels are not listed");
        assert!(!channels.is_listed("#multi_3"));

        // "#multiplayer" from a means a's match; c's match hears nothing.
        channels.message(&mut mail, &a, &say("#multiplayer", "gl")).unwrap();
        assert_eq!(messages(&b), [("#multiplayer".into(), "a".into(), -1, "gl".into())]);
        assert!(names(&c).is_empty() && names(&d).is_empty());
        channels.message(&mut mail, &d, &say("#spectator", "nice")).unwrap();
        assert_eq!(messages(&a), [("#spectator".into(), "d".into(), 1004, "nice".into())]);
        // Someone in no match has no "#multiplayer".
        assert!(matches!(
            channels.message(&mut mail, &e, &say("#multiplayer", "x")),
            Err(ChannelError::Unknown(_))
        ));
        assert!(channels.is_member(a.id(), "#multiplayer") && !channels.is_member(d.id(), "#multiplayer"));

        // Kicking sends the display name; removing tells the rest.
        channels.kick(&mut mail, &b, "#multiplayer").unwrap();
        let packets = received(&b);
        assert!(matches!(&packets[..], [ServerPacket::BanchoChannelRevoked(r)] if r.0 == "#multiplayer"));
        channels.join(&mut mail, &b, "#multi_3").unwrap();
        names(&b);
        assert!(channels.remove(&mut mail, "#multi_3"));
        assert!(!channels.remove(&mut mail, "#multi_3"));
        for s in [&a, &b] {
            let packets = received(s);
            assert!(matches!(&packets[..], [ServerPacket::BanchoChannelRevoked(r)] if r.0 == "#multiplayer"));
        }
        assert_eq!(channels.channel_names_of(a.id()), ["#spec_1005"]);
        assert!(names(&c).is_empty());
        assert!(channels.info("#multi_4").is_some_and(|i| i.name == "#multiplayer" && i.user_count == 1));
    }

    #[test]
    fn clients_cannot_join_hidden_channels_by_name() {
        let kit = Kit::new();
        let mut mail = Mailer::new();
        let mut channels = Channels::standard();
        channels.create_hidden("#multi_3", "#multiplayer");
        let (a, spy) = (kit.session(1, "a", 20250306), kit.session(2, "spy", 20250306));
        channels.join(&mut mail, &a, "#multi_3").unwrap();
        names(&a);
        for name in ["#multi_3", "#multiplayer"] {
            assert!(matches!(channels.client_join(&mut mail, &spy, name), Err(ChannelError::Unknown(_))));
            let packets = received(&spy);
            assert!(matches!(&packets[..], [ServerPacket::BanchoChannelRevoked(r)] if r.0 == name));
        }
        assert!(!channels.is_member(spy.id(), "#multi_3"));
        // Members may rejoin under either name; listed channels are open.
        channels.client_join(&mut mail, &a, "#multiplayer").unwrap();
        channels.client_join(&mut mail, &spy, "#lobby").unwrap();
        assert_eq!(names(&a), ["BanchoChannelJoinSuccess"]);
        assert_eq!(names(&spy), ["BanchoChannelJoinSuccess"]);
    }
}
