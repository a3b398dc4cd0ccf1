//! The game state of a server: every block, and what each client event does to them.

use std::borrow::Cow;
use std::time::Instant;

use chio_packets::country::Country;
use chio_packets::events::client::ClientEvent;
use chio_packets::events::{ChatMessage, LoginResult, Presence, ServerEvent, UserInfo};
use chio_packets::types::{LoginError, Permissions};

use super::config::ServerConfig;
use super::hooks::{Flow, Hooks};
use crate::blocks::channels::Channels;
use crate::blocks::chat::Chat;
use crate::blocks::friends::Friends;
use crate::blocks::multiplayer::{Joined, Multiplayer, Parted, match_channel};
use crate::blocks::presence::Presences;
use crate::blocks::spectating::{Spectating, Stopped};
use crate::mail::Mailer;
use crate::registry::{Registry, SessionHandle};
use crate::storage::{Account, Storage};
use crate::tcp_login::OwnedLogin;

/// What `#spectator` and `#multiplayer` are shown as; the channels behind them are per
/// host and per match.
const SPECTATOR_DISPLAY: &str = "#spectator";
const MULTIPLAYER_DISPLAY: &str = "#multiplayer";

/// Every block of a server, and the mailer they send through.
///
/// The fields are public so that game logic ([`Hooks`]) can use the blocks directly; the
/// methods here are what the server itself does for logins, logouts and client events.
#[derive(Debug)]
pub struct World {
    /// Where every block's events go.
    pub mail: Mailer,
    /// Public and hidden channels.
    pub channels: Channels,
    /// Direct messages, away messages, silences.
    pub chat: Chat,
    /// Friend lists of the users online.
    pub friends: Friends,
    /// Presence, status and statistics of the users online.
    pub presences: Presences,
    /// Who spectates whom, and the frames between them.
    pub spectating: Spectating,
    /// The lobby and the matches.
    pub multiplayer: Multiplayer,
    bot: Option<UserInfo<'static>>,
    welcome: Option<String>,
    /// Whether departures and status pushes wait for [`World::flush_quits`] and
    /// [`World::flush_stats`] rather than going out at once: set by a serving server,
    /// whose timer task flushes them.
    pub(crate) batched: bool,
}

impl World {
    /// The blocks of a server set up with `config`.
    pub fn new(config: &ServerConfig) -> Self {
        let mut presences = Presences::new();
        let bot = config.bot.as_ref().map(|bot| UserInfo {
            id: bot.id,
            name: Cow::Owned(bot.name.clone()),
            presence: Presence {
                permissions: Permissions::REGULAR | Permissions::BAT | Permissions::SUPPORTER,
                ..Presence::default()
            },
            ..UserInfo::default()
        });
        if let Some(bot) = &bot {
            presences.add_bot(bot.clone());
        }
        Self {
            mail: Mailer::new().with_gzip_level(config.gzip_level),
            channels: Channels::new(config.channels.iter().cloned()),
            chat: Chat::new(),
            friends: Friends::new(),
            presences,
            spectating: Spectating::new(),
            multiplayer: Multiplayer::new(),
            bot,
            welcome: config.welcome.clone(),
            batched: false,
        }
    }

    /// Queues the login burst of a new session, in the order anchor sends it (see
    /// `docs/design/server-research.md` §4), and announces the user to everyone else.
    pub(crate) fn login(
        &mut self,
        hooks: &dyn Hooks,
        session: &SessionHandle,
        account: &Account,
        login: &OwnedLogin,
        friends: Vec<i32>,
    ) {
        let permissions = Permissions::from_bits_retain(account.permissions);
        let info = UserInfo {
            id: account.id,
            name: Cow::Owned(account.name.clone()),
            presence: Presence {
                timezone: login.utc_offset,
                country: Country::from_index(account.country).unwrap_or(Country::UNKNOWN),
                permissions,
                ..Presence::default()
            },
            ..UserInfo::default()
        };
        let mail = &mut self.mail;
        mail.send(session, &ServerEvent::ProtocolNegotiation(None));
        mail.send(session, &ServerEvent::LoginReply(LoginResult::Success(account.id)));
        mail.send(session, &ServerEvent::LoginPermissions(permissions));
        mail.send(session, &ServerEvent::FriendsList(friends.clone()));
        self.friends.load(account.id, friends);
        self.presences.on_login(mail, session, info, &self.friends);
        self.channels.on_login(mail, session);
        let silence = self.chat.silence_left(account.id, Instant::now());
        mail.send(session, &ServerEvent::SilenceInfo(silence.max(0)));
        self.chat.set_friend_only_dms(session.id(), login.block_non_friend_dms);
        if let Some(welcome) = &self.welcome {
            mail.send(session, &ServerEvent::Announce(Cow::Borrowed(welcome)));
        }
        hooks.on_login(self, session);
    }

    /// Tells a session replaced by a new login of its user why it ends, and logs it out.
    pub(crate) fn replaced(&mut self, registry: &dyn Registry, old: &SessionHandle) {
        self.mail.send(old, &ServerEvent::LoginReply(LoginResult::Error(LoginError::InvalidLogin)));
        self.mail.send(old, &ServerEvent::Announce(Cow::Borrowed("You logged in from another location.")));
        self.logout(registry, old);
        old.outbox().close();
    }

    /// Removes a session from every block: spectating, its match, channels, chat, and
    /// tells everyone else it left, at once or, when [`batched`](Self::batched), with the
    /// next [`flush_quits`](Self::flush_quits) (see [`Presences::on_logout_later`]). The
    /// registry no longer holds it.
    pub(crate) fn logout(&mut self, registry: &dyn Registry, session: &SessionHandle) {
        for stopped in self.spectating.remove_session(&mut self.mail, session) {
            self.after_spectating_stopped(&stopped);
        }
        if let Some(parted) = self.multiplayer.remove_session(&mut self.mail, session) {
            self.after_match_parted(session, &parted);
        }
        self.multiplayer.lobby_part(&mut self.mail, session);
        self.channels.leave_all(session.id());
        self.chat.remove_session(session.id());
        if self.batched {
            self.presences.on_logout_later(session);
        } else {
            self.presences.on_logout(&mut self.mail, session);
        }
        if registry.by_user(session.user_id()).is_empty() {
            self.friends.unload(session.user_id());
        }
    }

    /// Sends the `UserQuit`s of the sessions logged out while [`batched`](Self::batched).
    pub(crate) fn flush_quits(&mut self) {
        self.presences.flush_quits(&mut self.mail);
    }

    /// Sends the status changes gathered by [`Presences::status_later`].
    pub(crate) fn flush_stats(&mut self) {
        self.presences.flush_stats(&mut self.mail);
    }

    /// Runs timers: matches whose completion timer ran out are finished; departures and
    /// status changes not told yet are told.
    pub fn tick(&mut self, now: Instant) {
        self.multiplayer.tick(&mut self.mail, now);
        self.flush_quits();
        self.flush_stats();
    }

    fn after_spectating_stopped(&mut self, stopped: &Stopped) {
        if stopped.last_spectator {
            self.channels.remove(&mut self.mail, &stopped.channel);
        }
    }

    fn after_match_parted(&mut self, session: &SessionHandle, parted: &Parted) {
        if parted.disbanded {
            // The session was the last member; revoke it for everyone still in it.
            self.channels.remove(&mut self.mail, &parted.channel);
        } else {
            let _ = self.channels.kick(&mut self.mail, session, &parted.channel);
        }
    }

    fn after_match_joined(&mut self, session: &SessionHandle, joined: &Joined) {
        self.channels.create_hidden(&joined.channel, MULTIPLAYER_DISPLAY);
        let _ = self.channels.join(&mut self.mail, session, &joined.channel);
    }

    /// Sends `text` from the bot to `to` (a channel or, for a direct message, `to`'s
    /// session).
    fn bot_reply(&mut self, session: &SessionHandle, channel: Option<&str>, text: String) {
        let Some(bot) = &self.bot else { return };
        let message = ChatMessage {
            sender: bot.name.clone(),
            content: Cow::Owned(text),
            target: Cow::Owned(channel.map_or_else(|| session.name().to_owned(), str::to_owned)),
            sender_id: bot.id,
        };
        let event = ServerEvent::Message(message);
        match channel {
            Some(channel) => {
                let members: Vec<SessionHandle> = self.channels.members(channel).cloned().collect();
                self.mail.send_all(&members, &event, &[]);
            }
            None => self.mail.send(session, &event),
        }
    }

    /// Whether `name` is the bot's.
    fn is_bot(bot: Option<&UserInfo<'_>>, name: &str) -> bool {
        bot.is_some_and(|bot| crate::storage::safe_name(&bot.name) == crate::storage::safe_name(name))
    }

    /// What the server does for one client event. Refusals (a message to a channel the
    /// session is not in, a non-host starting a match) are answered as the blocks answer
    /// them, or ignored; none affects another session.
    ///
    /// A session no longer in the registry (kicked, replaced, dropped, exited) is ignored,
    /// hooks included: its packets may still be in flight (a TCP connection lives on while
    /// its writer flushes, for up to [`ServerConfig::write_timeout`]; an HTTP poll may have
    /// looked its token up just before another poll's exit), and handling them would seat
    /// it in a channel, the lobby or a match after its logout, where nothing would ever
    /// free it. The registry is checked under the world lock, and every logout runs under
    /// it after the session left the registry, so a packet handled here is always
    /// followed by its session's logout.
    pub(crate) fn handle(
        &mut self,
        registry: &dyn Registry,
        storage: &dyn Storage,
        hooks: &dyn Hooks,
        session: &SessionHandle,
        event: &ClientEvent<'_>,
    ) {
        if registry.by_id(session.id()).is_none() {
            return;
        }
        if hooks.on_event(self, session, event) == Flow::Handled {
            return;
        }
        let mail = &mut self.mail;
        match event {
            ClientEvent::UserStatus(activity) => {
                let activity = activity.clone().into_owned();
                let info = if self.batched {
                    self.presences.status_later(mail, session, activity)
                } else {
                    self.presences.status(mail, session, activity)
                };
                let Some(info) = info else { return };
                // Spectators follow the host's status whatever their build.
                let stats = ServerEvent::UserStats(info.clone());
                mail.send_all(self.spectating.spectators_of(session.id()), &stats, &[]);
            }
            ClientEvent::Message(message) => {
                if self.chat.is_silenced(session.user_id(), Instant::now()) {
                    return;
                }
                let _ = self.channels.message(mail, session, message);
                if message.content.starts_with('!')
                    && self.bot.is_some()
                    && let Some(reply) = hooks.on_bot_message(session, &message.content)
                {
                    let channel = self.channels.real_name(session.id(), &message.target);
                    if let Some(channel) = channel {
                        self.bot_reply(session, Some(&channel), reply);
                    }
                }
            }
            ClientEvent::PrivateMessage(message) => {
                if Self::is_bot(self.bot.as_ref(), &message.target) {
                    if let Some(reply) = hooks.on_bot_message(session, &message.content) {
                        self.bot_reply(session, None, reply);
                    }
                    return;
                }
                let _ = self.chat.direct(mail, registry, session, message, &self.friends, Instant::now());
            }
            ClientEvent::StatusUpdateRequest => self.presences.status_update_request(mail, session),
            ClientEvent::StartSpectating(user_id) => {
                let Some(host) = registry.by_user(*user_id).into_iter().find(|s| !s.is_tournament()) else {
                    return;
                };
                if let Some(stopped) = self.spectating.stop(mail, session) {
                    let _ = self.channels.kick(mail, session, &stopped.channel);
                    self.after_spectating_stopped(&stopped);
                }
                if let Ok(started) = self.spectating.start(&mut self.mail, session, &host) {
                    if let Some(left) = &started.left {
                        let _ = self.channels.kick(&mut self.mail, session, &left.channel);
                        self.after_spectating_stopped(left);
                    }
                    self.channels.create_hidden(&started.channel, SPECTATOR_DISPLAY);
                    if started.first_spectator {
                        let _ = self.channels.join(&mut self.mail, &host, &started.channel);
                    }
                    let _ = self.channels.join(&mut self.mail, session, &started.channel);
                }
            }
            ClientEvent::StopSpectating => {
                if let Some(stopped) = self.spectating.stop(mail, session) {
                    let _ = self.channels.kick(&mut self.mail, session, &stopped.channel);
                    self.after_spectating_stopped(&stopped);
                }
            }
            ClientEvent::SpectateFrames(bundle) => self.spectating.frames(mail, session, bundle),
            ClientEvent::CantSpectate => self.spectating.cant_spectate(mail, session),
            ClientEvent::LobbyJoin => self.multiplayer.lobby_join(mail, session),
            ClientEvent::LobbyPart => self.multiplayer.lobby_part(mail, session),
            ClientEvent::MatchCreate(settings) => {
                if self.chat.is_silenced(session.user_id(), Instant::now()) {
                    mail.send(session, &ServerEvent::MatchJoinFail);
                    return;
                }
                if let Ok(joined) = self.multiplayer.create(mail, session, settings) {
                    self.after_match_joined(session, &joined);
                }
            }
            ClientEvent::MatchJoin { match_id, password } => {
                if let Ok(joined) = self.multiplayer.join(mail, session, *match_id, password) {
                    self.after_match_joined(session, &joined);
                }
            }
            ClientEvent::MatchPart => {
                if let Ok(parted) = self.multiplayer.part(mail, session) {
                    self.after_match_parted(session, &parted);
                }
            }
            ClientEvent::MatchChangeSlot(slot) => {
                let _ = self.multiplayer.change_slot(mail, session, *slot);
            }
            ClientEvent::MatchReady => {
                let _ = self.multiplayer.ready(mail, session);
            }
            ClientEvent::MatchLock(slot) => {
                if let Ok(Some(kicked)) = self.multiplayer.lock(mail, session, *slot)
                    && let Some(player) = registry.by_id(kicked.session)
                {
                    self.after_match_parted(&player, &kicked.parted);
                }
            }
            ClientEvent::MatchChangeSettings(settings) | ClientEvent::MatchChangeBeatmap(settings) => {
                let _ = self.multiplayer.change_settings(mail, session, settings);
            }
            ClientEvent::MatchChangePassword(settings) => {
                let _ = self.multiplayer.change_password(mail, session, &settings.password);
            }
            ClientEvent::MatchStart => {
                let _ = self.multiplayer.start(mail, session);
            }
            ClientEvent::MatchScoreUpdate(frame) => {
                let _ = self.multiplayer.score_update(mail, session, frame);
            }
            ClientEvent::MatchComplete => {
                let _ = self.multiplayer.complete(mail, session, Instant::now());
            }
            ClientEvent::MatchChangeMods(mods) => {
                let _ = self.multiplayer.change_mods(mail, session, *mods);
            }
            ClientEvent::MatchLoadComplete => {
                let _ = self.multiplayer.load_complete(mail, session);
            }
            ClientEvent::MatchNoBeatmap => {
                let _ = self.multiplayer.no_beatmap(mail, session);
            }
            ClientEvent::MatchNotReady => {
                let _ = self.multiplayer.not_ready(mail, session);
            }
            ClientEvent::MatchFailed => {
                let _ = self.multiplayer.failed(mail, session);
            }
            ClientEvent::MatchHasBeatmap => {
                let _ = self.multiplayer.has_beatmap(mail, session);
            }
            ClientEvent::MatchSkipRequest => {
                let _ = self.multiplayer.skip(mail, session);
            }
            ClientEvent::MatchTransferHost(slot) => {
                let _ = self.multiplayer.transfer_host(mail, session, *slot);
            }
            ClientEvent::MatchChangeTeam => {
                let _ = self.multiplayer.change_team(mail, session);
            }
            ClientEvent::ChannelJoin(name) => {
                // Hidden channels (matches, spectating) stay closed to outsiders.
                let _ = self.channels.client_join(mail, session, name);
            }
            ClientEvent::ChannelLeave(name) => {
                let _ = self.channels.part(mail, session, name);
            }
            ClientEvent::BeatmapInfoRequest { .. } => {
                // No beatmap database here: every map is unknown.
                mail.send(session, &ServerEvent::BeatmapInfoReply(Vec::new()));
            }
            ClientEvent::FriendsAdd(id) => {
                let _ = self.friends.add(storage, session.user_id(), *id);
            }
            ClientEvent::FriendsRemove(id) => {
                let _ = self.friends.remove(storage, session.user_id(), *id);
            }
            ClientEvent::ReceiveUpdates(filter) => self.presences.set_filter(session.id(), *filter),
            ClientEvent::SetIrcAwayMessage(message) => {
                let text = message.content.trim();
                self.chat.set_away(session.id(), (!text.is_empty()).then(|| text.to_owned()));
            }
            ClientEvent::UserStatsRequest(ids) => self.presences.stats_request(mail, session, ids),
            ClientEvent::PresenceRequest(ids) => self.presences.presence_request(mail, session, ids),
            ClientEvent::PresenceRequestAll => self.presences.presence_request_all(mail, session),
            ClientEvent::ChangeFriendOnlyDms(on) => self.chat.set_friend_only_dms(session.id(), *on),
            ClientEvent::Invite(user_id) => {
                let Some(match_id) = self.multiplayer.match_of(session.id()) else { return };
                let Some(target) = registry.by_user(*user_id).into_iter().next() else { return };
                let invite = ChatMessage {
                    sender: Cow::Borrowed(session.name()),
                    content: Cow::Owned(format!("Come join my multiplayer match: osump://{match_id}/")),
                    target: Cow::Borrowed(target.name()),
                    sender_id: session.user_id(),
                };
                mail.send(&target, &ServerEvent::Invite(invite));
            }
            ClientEvent::TournamentMatchInfo(match_id) => {
                let found = u16::try_from(*match_id).ok().and_then(|id| self.multiplayer.get(id));
                if let Some(found) = found {
                    // Spectating clients never see the password (anchor masks it).
                    let mut info = found.clone();
                    if !info.password.is_empty() {
                        info.password = Cow::Borrowed(" ");
                    }
                    mail.send(session, &ServerEvent::MatchUpdate(info));
                }
            }
            ClientEvent::TournamentJoinMatchChannel(match_id) => {
                let id = u16::try_from(*match_id).ok();
                if session.is_tournament()
                    && let Some(id) = id.filter(|id| self.multiplayer.get(*id).is_some())
                {
                    let _ = self.channels.join(mail, session, &match_channel(id));
                }
            }
            ClientEvent::TournamentLeaveMatchChannel(match_id) => {
                if let Ok(id) = u16::try_from(*match_id) {
                    let _ = self.channels.kick(mail, session, &match_channel(id));
                }
            }
            // Answered by the transport (pings, exits) or nothing to do.
            ClientEvent::Pong | ClientEvent::Exit(_) | ClientEvent::ErrorReport(_) => {}
        }
    }
}
