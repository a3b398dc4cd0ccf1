//! Multiplayer: the lobby, matches and their state machine.
//!
//! Follows anchor (`handlers/osu/multiplayer.py`, `objects/multiplayer.py`; see
//! `docs/design/server-research.md` §6), with these choices:
//!
//! - **Slots.** Every match has [`SLOTS`] (16) slots. A client whose build carries 8 slots
//!   only ever sits in slots 0–7 (joining, creating and moving pick below its count), so
//!   everything it is told about itself fits its wire form; the events layer cuts or pads
//!   each match to the reader's slot count and drops score updates, skips and fails of
//!   slots it cannot show.
//! - **Match ids.** The lowest free id from 1, at most the configured number of matches,
//!   so ids stay below 256 (what clients before b1796 read) with the default limit.
//! - **Start.** Every player with the map starts, ready or not: osu! lets the host start
//!   anyway when not everyone is ready, and the players it starts expect to play (anchor
//!   leaves not-ready players out; real bancho starts them).
//! - **Completion.** The first player to finish starts [`COMPLETION_TIMEOUT`]; the
//!   server calls [`Multiplayer::tick`] with the time, and matches whose timeout passed
//!   finish even if someone never reported. A player leaving mid-play can finish the
//!   match, load it or skip it, as that player no longer holds it up.
//!
//! Every method takes the acting session; actions of a session that is not in a match, not
//! the host where the host is needed, or that name a slot it may not use are refused with
//! a [`MatchError`] and send nothing (except where osu! expects an answer:
//! `MatchJoinFail` for a failed create or join). Client text is cut to bounds
//! ([`MAX_NAME_CHARS`] and the like) before it is kept.
//!
//! The `#multiplayer` channel (internally `#multi_<id>`) is the server's to create, join
//! and remove: [`Joined`] and [`Parted`] say when.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use chio_packets::Packet;
use chio_packets::events::ServerEvent;
use chio_packets::multiplayer::{
    Match, MatchSlot, OsuMatchChangePassword, OsuMatchLoadComplete, SlotStatus, SlotTeam, TeamType,
};
use chio_packets::spectating::ScoreFrame;
use chio_packets::types::Mods;

use crate::mail::Mailer;
use crate::registry::SessionHandle;
use crate::session::SessionId;

/// The slots of every match; clients that carry fewer use the first ones.
pub const SLOTS: usize = 16;

/// How many matches may exist at once by default: ids stay below 256.
pub const DEFAULT_MAX_MATCHES: u16 = 64;

/// How long after the first player finishes a match is finished regardless (anchor).
pub const COMPLETION_TIMEOUT: Duration = Duration::from_secs(12);

/// The longest match name kept, in characters (anchor).
pub const MAX_NAME_CHARS: usize = 128;

/// The longest match password kept, in characters.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// The longest beatmap text kept, in characters.
pub const MAX_BEATMAP_TEXT_CHARS: usize = 256;

/// The longest beatmap checksum kept, in characters (an MD5 is 32 hex digits).
pub const MAX_CHECKSUM_CHARS: usize = 64;

/// The mods that change the song's speed: with freemod the host picks these for everyone.
pub const SPEED_MODS: Mods = Mods::DOUBLE_TIME.union(Mods::HALF_TIME).union(Mods::NIGHTCORE);

/// The mods each player picks for themselves with freemod (osu!'s `FreeModAllowed`).
pub const FREEMOD_ALLOWED: Mods = Mods::NO_FAIL
    .union(Mods::EASY)
    .union(Mods::HIDDEN)
    .union(Mods::HARD_ROCK)
    .union(Mods::SUDDEN_DEATH)
    .union(Mods::FLASHLIGHT)
    .union(Mods::FADE_IN)
    .union(Mods::RELAX)
    .union(Mods::AUTOPILOT)
    .union(Mods::SPUN_OUT)
    .union(Mods::PERFECT)
    .union(Mods::KEY1)
    .union(Mods::KEY2)
    .union(Mods::KEY3)
    .union(Mods::KEY4)
    .union(Mods::KEY5)
    .union(Mods::KEY6)
    .union(Mods::KEY7)
    .union(Mods::KEY8)
    .union(Mods::KEY9)
    .union(Mods::KEY_COOP);

/// The name of a match's hidden channel: `#multi_<id>`, shown to clients as
/// `#multiplayer`.
pub fn match_channel(match_id: u16) -> String {
    format!("#multi_{match_id}")
}

/// Why a multiplayer action was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MatchError {
    /// No match has this id.
    #[error("no such match")]
    NotFound,
    /// The password does not match.
    #[error("wrong match password")]
    WrongPassword,
    /// No open slot the client can use.
    #[error("the match is full")]
    Full,
    /// The session is in a match already.
    #[error("already in a match")]
    AlreadyInMatch,
    /// The server holds as many matches as it allows.
    #[error("too many matches")]
    TooManyMatches,
    /// The session is in no match.
    #[error("not in a match")]
    NotInMatch,
    /// Only the host may do this.
    #[error("not the host")]
    NotHost,
    /// The slot is out of range for the client, or not usable for this.
    #[error("bad slot")]
    BadSlot,
    /// Not while the match is being played.
    #[error("the match is in progress")]
    InProgress,
    /// Only while the match is being played.
    #[error("the match is not in progress")]
    NotInProgress,
    /// The session is not playing in this round.
    #[error("not playing")]
    NotPlaying,
    /// No player has the map: nobody would start.
    #[error("no player can start")]
    NobodyCanPlay,
    /// Teams exist only in team modes.
    #[error("not a team mode")]
    NotTeamMode,
    /// The host is choosing a map: there is none to lack.
    #[error("no map chosen")]
    NoMapChosen,
}

/// A session entered a match: what the server needs to wire the `#multiplayer` channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Joined {
    /// The match.
    pub match_id: u16,
    /// Its channel (`#multi_<id>`), which the session joins.
    pub channel: String,
}

/// A session left a match (or was removed from it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parted {
    /// The match.
    pub match_id: u16,
    /// Its channel, which the session leaves.
    pub channel: String,
    /// Whether the match is gone: the server removes the channel.
    pub disbanded: bool,
}

/// A player the host locked out of a slot, and so out of the match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kicked {
    /// The player's session.
    pub session: SessionId,
    /// The match it left.
    pub parted: Parted,
}

/// What the match keeps of a seated player beside its slot.
#[derive(Debug)]
struct Player {
    handle: SessionHandle,
    loaded: bool,
    skipped: bool,
}

/// One match: its wire state with [`SLOTS`] slots, and who sits where.
#[derive(Debug)]
struct Room {
    state: Match<'static>,
    players: [Option<Player>; SLOTS],
    host: SessionId,
    first_completion: Option<Instant>,
    all_loaded_sent: bool,
    skip_sent: bool,
}

/// The slots a client may sit in: its wire slot count, at most [`SLOTS`].
fn slot_limit(session: &SessionHandle) -> usize {
    usize::from(session.ctx().slots()).min(SLOTS)
}

/// A slot index the client sent, if it is one the client may use.
fn slot_index(slot: i32, session: &SessionHandle) -> Result<usize, MatchError> {
    usize::try_from(slot).ok().filter(|&i| i < slot_limit(session)).ok_or(MatchError::BadSlot)
}

fn cut(text: &str, chars: usize) -> Cow<'static, str> {
    Cow::Owned(text.chars().take(chars).collect())
}

/// DT and NC together are one mod (osu! sends both): keep NC.
fn normalise(mods: Mods) -> Mods {
    if mods.contains(Mods::DOUBLE_TIME | Mods::NIGHTCORE) { mods - Mods::DOUBLE_TIME } else { mods }
}

fn is_team_mode(team_type: TeamType) -> bool {
    matches!(team_type, TeamType::TeamVs | TeamType::TagTeamVs)
}

impl Room {
    fn slot_of(&self, session: SessionId) -> Option<usize> {
        self.players.iter().position(|p| p.as_ref().is_some_and(|p| p.handle.id() == session))
    }

    fn players(&self) -> impl Iterator<Item = &SessionHandle> {
        self.players.iter().flatten().map(|p| &p.handle)
    }

    fn player_ids(&self) -> Vec<SessionId> {
        self.players().map(SessionHandle::id).collect()
    }

    /// Players whose slot has one of these statuses.
    fn players_in(&self, statuses: SlotStatus) -> impl Iterator<Item = &SessionHandle> {
        self.players
            .iter()
            .zip(&self.state.slots)
            .filter(move |(_, slot)| slot.status.intersects(statuses))
            .filter_map(|(p, _)| p.as_ref().map(|p| &p.handle))
    }

    fn status(&self, slot: usize) -> SlotStatus {
        self.state.slots[slot].status
    }

    fn any(&self, status: SlotStatus) -> bool {
        self.state.slots.iter().any(|slot| slot.status == status)
    }

    fn first_open(&self, limit: usize) -> Option<usize> {
        self.state.slots[..limit].iter().position(|slot| slot.status == SlotStatus::OPEN)
    }

    fn seat(&mut self, slot: usize, session: &SessionHandle) {
        let team = if is_team_mode(self.state.team_type) { SlotTeam::Red } else { SlotTeam::Neutral };
        self.state.slots[slot] =
            MatchSlot { status: SlotStatus::NOT_READY, team, user_id: session.user_id() };
        self.state.slot_mods[slot] = Mods::empty();
        self.players[slot] = Some(Player { handle: session.clone(), loaded: false, skipped: false });
    }

    fn vacate(&mut self, slot: usize, status: SlotStatus) {
        self.state.slots[slot] = MatchSlot { status, team: SlotTeam::Neutral, user_id: -1 };
        self.state.slot_mods[slot] = Mods::empty();
        self.players[slot] = None;
    }

    /// Slots in `from` go back to not ready, their round flags cleared.
    fn unready(&mut self, from: SlotStatus) {
        for (slot, player) in self.state.slots.iter_mut().zip(&mut self.players) {
            if slot.status == from {
                slot.status = SlotStatus::NOT_READY;
                if let Some(player) = player {
                    player.loaded = false;
                    player.skipped = false;
                }
            }
        }
    }

    /// The match as the lobby sees it: a set password shows as one space (anchor).
    fn lobby_view(&self) -> Match<'static> {
        let mut view = self.state.clone();
        if !view.password.is_empty() {
            view.password = Cow::Borrowed(" ");
        }
        view
    }

    /// `MatchUpdate` to the players, and with the password masked to the lobby.
    fn update(&self, mail: &mut Mailer, lobby: &[SessionHandle]) {
        mail.send_all(self.players(), &ServerEvent::MatchUpdate(self.state.clone()), &[]);
        mail.send_all(lobby, &ServerEvent::MatchUpdate(self.lobby_view()), &self.player_ids());
    }

    /// Whether every playing client that can say it loaded has (clients before b334 have
    /// no load-complete packet and are not waited for).
    fn all_loaded(&self) -> bool {
        self.players.iter().zip(&self.state.slots).all(|(player, slot)| match player {
            Some(p) if slot.status == SlotStatus::PLAYING => {
                p.loaded || !OsuMatchLoadComplete::exists_in(p.handle.ctx())
            }
            _ => true,
        })
    }

    fn all_skipped(&self) -> bool {
        self.players.iter().zip(&self.state.slots).all(|(player, slot)| match player {
            Some(p) if slot.status == SlotStatus::PLAYING => p.skipped,
            _ => true,
        })
    }

    /// Sends what the round now allows: everyone loaded, everyone skipped. Each once.
    fn check_round(&mut self, mail: &mut Mailer) {
        if !self.all_loaded_sent && self.any(SlotStatus::PLAYING) && self.all_loaded() {
            self.all_loaded_sent = true;
            mail.send_all(self.players_in(SlotStatus::PLAYING), &ServerEvent::MatchAllPlayersLoaded, &[]);
        }
        if !self.skip_sent && self.any(SlotStatus::PLAYING) && self.all_skipped() {
            self.skip_sent = true;
            mail.send_all(self.players_in(SlotStatus::PLAYING), &ServerEvent::MatchSkip, &[]);
        }
    }

    /// Ends the round: `MatchComplete` to the finishers, whose slots go back to not ready.
    fn finish(&mut self, mail: &mut Mailer, lobby: &[SessionHandle]) {
        mail.send_all(self.players_in(SlotStatus::COMPLETE), &ServerEvent::MatchComplete, &[]);
        self.unready(SlotStatus::COMPLETE);
        self.unready(SlotStatus::PLAYING);
        self.state.in_progress = false;
        self.first_completion = None;
        self.update(mail, lobby);
    }
}

/// The multiplayer block: the lobby, the matches, and who is in which. See the
/// [module documentation](self).
#[derive(Debug)]
pub struct Multiplayer {
    matches: BTreeMap<u16, Room>,
    in_match: HashMap<SessionId, u16>,
    lobby: Vec<SessionHandle>,
    max_matches: u16,
}

impl Default for Multiplayer {
    fn default() -> Self {
        Self::new()
    }
}

impl Multiplayer {
    /// No matches, an empty lobby, at most [`DEFAULT_MAX_MATCHES`] matches.
    pub fn new() -> Self {
        Self::with_limits(DEFAULT_MAX_MATCHES)
    }

    /// As [`new`](Self::new), with at most `max_matches` matches (ids 1 to
    /// `max_matches`). Above 255, matches with larger ids are not shown to clients before
    /// b1796.
    pub fn with_limits(max_matches: u16) -> Self {
        Self { matches: BTreeMap::new(), in_match: HashMap::new(), lobby: Vec::new(), max_matches }
    }

    /// The sessions viewing the lobby.
    pub fn lobby(&self) -> &[SessionHandle] {
        &self.lobby
    }

    /// The id of the match the session is in.
    pub fn match_of(&self, session: SessionId) -> Option<u16> {
        self.in_match.get(&session).copied()
    }

    /// A match as its players see it, with [`SLOTS`] slots.
    pub fn get(&self, match_id: u16) -> Option<&Match<'static>> {
        self.matches.get(&match_id).map(|room| &room.state)
    }

    /// How many matches exist.
    pub fn len(&self) -> usize {
        self.matches.len()
    }

    /// Whether no match exists.
    pub fn is_empty(&self) -> bool {
        self.matches.is_empty()
    }

    /// The session's match and the lobby, borrowed together.
    fn room(&mut self, session: SessionId) -> Result<(&mut Room, &[SessionHandle]), MatchError> {
        let id = self.in_match.get(&session).ok_or(MatchError::NotInMatch)?;
        let room = self.matches.get_mut(id).ok_or(MatchError::NotInMatch)?;
        Ok((room, &self.lobby))
    }

    /// As [`room`](Self::room), for the host only.
    fn hosted(&mut self, session: SessionId) -> Result<(&mut Room, &[SessionHandle]), MatchError> {
        let (room, lobby) = self.room(session)?;
        if room.host != session {
            return Err(MatchError::NotHost);
        }
        Ok((room, lobby))
    }

    /// The session's match and slot.
    fn seat(&mut self, session: SessionId) -> Result<(&mut Room, usize, &[SessionHandle]), MatchError> {
        let (room, lobby) = self.room(session)?;
        let slot = room.slot_of(session).ok_or(MatchError::NotInMatch)?;
        Ok((room, slot, lobby))
    }

    /// The session's match and slot, while it plays in the current round.
    fn playing(&mut self, session: SessionId) -> Result<(&mut Room, usize, &[SessionHandle]), MatchError> {
        let (room, slot, lobby) = self.seat(session)?;
        if !room.state.in_progress {
            return Err(MatchError::NotInProgress);
        }
        if room.status(slot) != SlotStatus::PLAYING {
            return Err(MatchError::NotPlaying);
        }
        Ok((room, slot, lobby))
    }

    /// The session enters the lobby: `LobbyJoin` about it to the lobby and about the
    /// lobby to it (builds before b20121211 list lobby users; the events layer drops the
    /// packet for later ones), then `MatchNew` for every match, passwords masked.
    pub fn lobby_join(&mut self, mail: &mut Mailer, session: &SessionHandle) {
        if !self.lobby.iter().any(|s| s.id() == session.id()) {
            mail.send_all(&self.lobby, &ServerEvent::LobbyJoin(session.user_id()), &[]);
            for member in &self.lobby {
                mail.send(session, &ServerEvent::LobbyJoin(member.user_id()));
            }
            self.lobby.push(session.clone());
        }
        for room in self.matches.values() {
            mail.send(session, &ServerEvent::MatchNew(room.lobby_view()));
        }
    }

    /// The session leaves the lobby: `LobbyPart` about it to the rest.
    pub fn lobby_part(&mut self, mail: &mut Mailer, session: &SessionHandle) {
        let before = self.lobby.len();
        self.lobby.retain(|s| s.id() != session.id());
        if self.lobby.len() != before {
            mail.send_all(&self.lobby, &ServerEvent::LobbyPart(session.user_id()), &[]);
        }
    }

    /// The session creates a match from the settings it sent and becomes its host, in
    /// the first open slot it may use: `MatchJoinSuccess` to it, `MatchNew` to the lobby.
    /// The slots it locked stay locked (and those beyond its slot count are locked). A
    /// session in a match already, or past the match limit, gets `MatchJoinFail`.
    pub fn create(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        settings: &Match<'_>,
    ) -> Result<Joined, MatchError> {
        if self.in_match.contains_key(&session.id()) {
            mail.send(session, &ServerEvent::MatchJoinFail);
            return Err(MatchError::AlreadyInMatch);
        }
        let Some(id) = (1..=self.max_matches).find(|id| !self.matches.contains_key(id)) else {
            mail.send(session, &ServerEvent::MatchJoinFail);
            return Err(MatchError::TooManyMatches);
        };
        let limit = slot_limit(session);
        let slots = (0..SLOTS)
            .map(|i| {
                let locked =
                    i >= limit || settings.slots.get(i).is_none_or(|s| s.status == SlotStatus::LOCKED);
                let status = if locked { SlotStatus::LOCKED } else { SlotStatus::OPEN };
                MatchSlot { status, team: SlotTeam::Neutral, user_id: -1 }
            })
            .collect();
        let state = Match {
            id,
            in_progress: false,
            match_type: settings.match_type,
            mods: Mods::empty(),
            name: cut(&settings.name, MAX_NAME_CHARS),
            password: cut(&settings.password, MAX_PASSWORD_CHARS),
            beatmap_text: cut(&settings.beatmap_text, MAX_BEATMAP_TEXT_CHARS),
            beatmap_id: settings.beatmap_id,
            beatmap_checksum: cut(&settings.beatmap_checksum, MAX_CHECKSUM_CHARS),
            slots,
            host_id: session.user_id(),
            mode: settings.mode,
            scoring_type: settings.scoring_type,
            team_type: settings.team_type,
            freemod: false,
            slot_mods: vec![Mods::empty(); SLOTS],
            seed: settings.seed,
        };
        let mut room = Room {
            state,
            players: Default::default(),
            host: session.id(),
            first_completion: None,
            all_loaded_sent: false,
            skip_sent: false,
        };
        // A creator who locked every slot still sits in the first.
        let slot = room.first_open(limit).unwrap_or(0);
        room.seat(slot, session);
        mail.send(session, &ServerEvent::MatchJoinSuccess(room.state.clone()));
        mail.send_all(&self.lobby, &ServerEvent::MatchNew(room.lobby_view()), &[session.id()]);
        self.matches.insert(id, room);
        self.in_match.insert(session.id(), id);
        Ok(Joined { match_id: id, channel: match_channel(id) })
    }

    /// The session joins a match, in the first open slot it may use (on red in team
    /// modes): `MatchJoinSuccess` to it, `MatchUpdate` to the players and the lobby. A
    /// missing match (also told with `MatchDisband`, so the lobby drops it), a wrong
    /// password, a full match or a session in a match already get `MatchJoinFail`.
    pub fn join(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        match_id: i32,
        password: &str,
    ) -> Result<Joined, MatchError> {
        if self.in_match.contains_key(&session.id()) {
            mail.send(session, &ServerEvent::MatchJoinFail);
            return Err(MatchError::AlreadyInMatch);
        }
        let Some((id, room)) =
            u16::try_from(match_id).ok().and_then(|id| Some(id).zip(self.matches.get_mut(&id)))
        else {
            mail.send(session, &ServerEvent::MatchDisband(match_id));
            mail.send(session, &ServerEvent::MatchJoinFail);
            return Err(MatchError::NotFound);
        };
        if room.state.password != password {
            mail.send(session, &ServerEvent::MatchJoinFail);
            return Err(MatchError::WrongPassword);
        }
        let Some(slot) = room.first_open(slot_limit(session)) else {
            mail.send(session, &ServerEvent::MatchJoinFail);
            return Err(MatchError::Full);
        };
        room.seat(slot, session);
        mail.send(session, &ServerEvent::MatchJoinSuccess(room.state.clone()));
        room.update(mail, &self.lobby);
        self.in_match.insert(session.id(), id);
        Ok(Joined { match_id: id, channel: match_channel(id) })
    }

    /// The session leaves its match. Its slot opens; the last player out disbands the
    /// match (`MatchDisband` to it and the lobby); a leaving host hands over to the next
    /// occupied slot, which gets `MatchTransferHost`; then `MatchUpdate` to the players
    /// and the lobby.
    pub fn part(&mut self, mail: &mut Mailer, session: &SessionHandle) -> Result<Parted, MatchError> {
        self.leave(mail, session, true)
    }

    /// [`part`](Self::part), with the closing `MatchUpdate` left to the caller unless
    /// `announce` is set.
    fn leave(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        announce: bool,
    ) -> Result<Parted, MatchError> {
        let id = self.in_match.remove(&session.id()).ok_or(MatchError::NotInMatch)?;
        let Some(room) = self.matches.get_mut(&id) else {
            return Err(MatchError::NotInMatch);
        };
        if let Some(slot) = room.slot_of(session.id()) {
            room.vacate(slot, SlotStatus::OPEN);
        }
        let parted = |disbanded| Parted { match_id: id, channel: match_channel(id), disbanded };
        let Some(next) = room.players.iter().flatten().next().map(|p| p.handle.clone()) else {
            let disband = ServerEvent::MatchDisband(i32::from(id));
            mail.send(session, &disband);
            mail.send_all(&self.lobby, &disband, &[session.id()]);
            self.matches.remove(&id);
            return Ok(parted(true));
        };
        if room.host == session.id() {
            room.host = next.id();
            room.state.host_id = next.user_id();
            mail.send(&next, &ServerEvent::MatchTransferHost);
        }
        if room.state.in_progress {
            if room.any(SlotStatus::PLAYING) {
                room.check_round(mail);
            } else {
                // The one still playing left: the round is over.
                room.finish(mail, &self.lobby);
                return Ok(parted(false));
            }
        }
        if announce {
            room.update(mail, &self.lobby);
        }
        Ok(parted(false))
    }

    /// Moves the session to an open slot it may use. Refused while the match plays (score
    /// updates name slots).
    pub fn change_slot(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        slot: i32,
    ) -> Result<(), MatchError> {
        let target = slot_index(slot, session)?;
        let (room, from, lobby) = self.seat(session.id())?;
        if room.state.in_progress {
            return Err(MatchError::InProgress);
        }
        if room.status(target) != SlotStatus::OPEN {
            return Err(MatchError::BadSlot);
        }
        room.state.slots[target] = room.state.slots[from];
        room.state.slot_mods[target] = room.state.slot_mods[from];
        room.players[target] = room.players[from].take();
        room.vacate(from, SlotStatus::OPEN);
        room.update(mail, lobby);
        Ok(())
    }

    /// The host locks an open slot or opens a locked one. Locking a player's slot takes
    /// the player out of the match (`MatchDisband` to it, as anchor does), returned so
    /// the server takes it out of the channel. The host cannot lock its own slot.
    pub fn lock(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        slot: i32,
    ) -> Result<Option<Kicked>, MatchError> {
        let target = slot_index(slot, session)?;
        let (room, _) = self.hosted(session.id())?;
        let occupant = room.players[target].as_ref().map(|p| p.handle.clone());
        let kicked = match occupant {
            Some(player) if player.id() == session.id() => return Err(MatchError::BadSlot),
            Some(player) => {
                mail.send(&player, &ServerEvent::MatchDisband(i32::from(room.state.id)));
                // The host stays, so the match does not disband; the update follows the lock.
                let parted = self.leave(mail, &player, false)?;
                Some(Kicked { session: player.id(), parted })
            }
            None => None,
        };
        let (room, lobby) = self.hosted(session.id())?;
        let status =
            if room.status(target) == SlotStatus::LOCKED { SlotStatus::OPEN } else { SlotStatus::LOCKED };
        room.vacate(target, status);
        room.update(mail, lobby);
        Ok(kicked)
    }

    /// The host changes the settings: name, map, mode, match, scoring and team type,
    /// freemod, mods (without freemod), seed; builds without a password packet (before
    /// b20120703) also the password. A new map un-readies everyone; a new team type puts
    /// everyone on red (or no team). Refused while the match plays.
    pub fn change_settings(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        settings: &Match<'_>,
    ) -> Result<(), MatchError> {
        let (room, lobby) = self.hosted(session.id())?;
        if room.state.in_progress {
            return Err(MatchError::InProgress);
        }
        let host_slot = room.slot_of(room.host);
        let state = &mut room.state;
        let freemod_changed = state.freemod != settings.freemod;
        if freemod_changed {
            state.freemod = settings.freemod;
            if settings.freemod {
                // Players keep the match's other mods as their own; speed stays shared.
                for (mods, slot) in state.slot_mods.iter_mut().zip(&state.slots) {
                    if slot.status.has_player() {
                        *mods = state.mods & FREEMOD_ALLOWED;
                    }
                }
                state.mods &= SPEED_MODS;
            } else {
                // The host's own mods become the match's.
                if let Some(slot) = host_slot {
                    state.mods |= state.slot_mods[slot];
                }
                state.slot_mods.fill(Mods::empty());
            }
            room.unready(SlotStatus::READY);
        }
        let state = &mut room.state;
        let new_map =
            settings.beatmap_id <= 0 || state.beatmap_checksum != settings.beatmap_checksum.as_ref();
        if new_map {
            if settings.beatmap_id <= 0 {
                // The host is choosing: no map for now.
                state.beatmap_id = -1;
                state.beatmap_checksum = Cow::Borrowed("");
                state.beatmap_text = Cow::Borrowed("");
            } else {
                state.beatmap_id = settings.beatmap_id;
                state.beatmap_checksum = cut(&settings.beatmap_checksum, MAX_CHECKSUM_CHARS);
                state.beatmap_text = cut(&settings.beatmap_text, MAX_BEATMAP_TEXT_CHARS);
            }
            room.unready(SlotStatus::READY);
            room.unready(SlotStatus::NO_MAP);
        }
        let state = &mut room.state;
        if state.team_type != settings.team_type {
            state.team_type = settings.team_type;
            let team = if is_team_mode(settings.team_type) { SlotTeam::Red } else { SlotTeam::Neutral };
            for slot in state.slots.iter_mut().filter(|slot| slot.status.has_player()) {
                slot.team = team;
            }
        }
        // The settings carry the client's view of the mods, stale when freemod just changed.
        if !state.freemod && !freemod_changed {
            let mods = normalise(settings.mods);
            if mods != state.mods {
                state.mods = mods;
                room.unready(SlotStatus::READY);
            }
        }
        let state = &mut room.state;
        state.match_type = settings.match_type;
        state.scoring_type = settings.scoring_type;
        state.mode = settings.mode;
        state.seed = settings.seed;
        state.name = cut(&settings.name, MAX_NAME_CHARS);
        if !OsuMatchChangePassword::exists_in(session.ctx()) {
            state.password = cut(&settings.password, MAX_PASSWORD_CHARS);
        }
        room.update(mail, lobby);
        Ok(())
    }

    /// The host sets the password: `MatchChangePassword` to the players, then
    /// `MatchUpdate` (the lobby sees it masked).
    pub fn change_password(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        password: &str,
    ) -> Result<(), MatchError> {
        let (room, lobby) = self.hosted(session.id())?;
        room.state.password = cut(password, MAX_PASSWORD_CHARS);
        mail.send_all(room.players(), &ServerEvent::MatchChangePassword(room.state.password.clone()), &[]);
        room.update(mail, lobby);
        Ok(())
    }

    /// Mods. Without freemod only the host sets them, for the match. With freemod the host
    /// sets the match's speed mods, and every player (the host too) its own slot's
    /// freemod-allowed mods. A change to the match mods un-readies everyone.
    pub fn change_mods(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        mods: Mods,
    ) -> Result<(), MatchError> {
        let mods = normalise(mods);
        let (room, slot, lobby) = self.seat(session.id())?;
        let is_host = room.host == session.id();
        let before = room.state.mods;
        if room.state.freemod {
            if is_host {
                room.state.mods = mods & SPEED_MODS;
            }
            room.state.slot_mods[slot] = mods & FREEMOD_ALLOWED;
        } else if is_host {
            room.state.mods = mods;
        } else {
            return Err(MatchError::NotHost);
        }
        if room.state.mods != before {
            room.unready(SlotStatus::READY);
        }
        room.update(mail, lobby);
        Ok(())
    }

    /// Sets the session's slot status, between rounds.
    fn set_status(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        status: SlotStatus,
    ) -> Result<(), MatchError> {
        let (room, slot, lobby) = self.seat(session.id())?;
        if room.status(slot).intersects(SlotStatus::PLAYING | SlotStatus::COMPLETE) {
            return Err(MatchError::InProgress);
        }
        if status == SlotStatus::NO_MAP && room.state.beatmap_id <= 0 {
            return Err(MatchError::NoMapChosen);
        }
        room.state.slots[slot].status = status;
        room.update(mail, lobby);
        Ok(())
    }

    /// The session is ready.
    pub fn ready(&mut self, mail: &mut Mailer, session: &SessionHandle) -> Result<(), MatchError> {
        self.set_status(mail, session, SlotStatus::READY)
    }

    /// The session is not ready.
    pub fn not_ready(&mut self, mail: &mut Mailer, session: &SessionHandle) -> Result<(), MatchError> {
        self.set_status(mail, session, SlotStatus::NOT_READY)
    }

    /// The session lacks the map (ignored while the host is choosing one).
    pub fn no_beatmap(&mut self, mail: &mut Mailer, session: &SessionHandle) -> Result<(), MatchError> {
        self.set_status(mail, session, SlotStatus::NO_MAP)
    }

    /// The session now has the map: not ready.
    pub fn has_beatmap(&mut self, mail: &mut Mailer, session: &SessionHandle) -> Result<(), MatchError> {
        self.set_status(mail, session, SlotStatus::NOT_READY)
    }

    /// The session switches team (red ↔ blue), in team modes only.
    pub fn change_team(&mut self, mail: &mut Mailer, session: &SessionHandle) -> Result<(), MatchError> {
        let (room, slot, lobby) = self.seat(session.id())?;
        if !is_team_mode(room.state.team_type) {
            return Err(MatchError::NotTeamMode);
        }
        let team = &mut room.state.slots[slot].team;
        *team = if *team == SlotTeam::Red { SlotTeam::Blue } else { SlotTeam::Red };
        room.update(mail, lobby);
        Ok(())
    }

    /// The host hands the match to the player in `slot`, who gets `MatchTransferHost`.
    pub fn transfer_host(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        slot: i32,
    ) -> Result<(), MatchError> {
        let target = slot_index(slot, session)?;
        let (room, lobby) = self.hosted(session.id())?;
        let Some(player) = room.players[target].as_ref().map(|p| p.handle.clone()) else {
            return Err(MatchError::BadSlot);
        };
        room.host = player.id();
        room.state.host_id = player.user_id();
        mail.send(&player, &ServerEvent::MatchTransferHost);
        room.update(mail, lobby);
        Ok(())
    }

    /// The host starts the match: every player with the map plays (see the
    /// [module documentation](self)). `MatchStart` to them, `MatchUpdate` to the other
    /// players and the lobby.
    pub fn start(&mut self, mail: &mut Mailer, session: &SessionHandle) -> Result<(), MatchError> {
        let (room, lobby) = self.hosted(session.id())?;
        if room.state.in_progress {
            return Err(MatchError::InProgress);
        }
        if !room.state.slots.iter().any(|slot| slot.status.has_player() && slot.status != SlotStatus::NO_MAP)
        {
            return Err(MatchError::NobodyCanPlay);
        }
        for (slot, player) in room.state.slots.iter_mut().zip(&mut room.players) {
            if let Some(player) = player {
                player.loaded = false;
                player.skipped = false;
                if slot.status != SlotStatus::NO_MAP {
                    slot.status = SlotStatus::PLAYING;
                }
            }
        }
        room.state.in_progress = true;
        room.first_completion = None;
        room.all_loaded_sent = false;
        room.skip_sent = false;
        let playing: Vec<SessionId> = room.players_in(SlotStatus::PLAYING).map(SessionHandle::id).collect();
        mail.send_all(
            room.players_in(SlotStatus::PLAYING),
            &ServerEvent::MatchStart(room.state.clone()),
            &[],
        );
        mail.send_all(room.players(), &ServerEvent::MatchUpdate(room.state.clone()), &playing);
        mail.send_all(lobby, &ServerEvent::MatchUpdate(room.lobby_view()), &room.player_ids());
        Ok(())
    }

    /// The session loaded the map; once every playing client that can say so has,
    /// `MatchAllPlayersLoaded` to the players.
    pub fn load_complete(&mut self, mail: &mut Mailer, session: &SessionHandle) -> Result<(), MatchError> {
        let (room, slot, _) = self.playing(session.id())?;
        if let Some(player) = room.players[slot].as_mut() {
            player.loaded = true;
        }
        room.check_round(mail);
        Ok(())
    }

    /// The session's score: relayed as `MatchScoreUpdate` to the players of the round,
    /// the frame's id set to the session's slot.
    pub fn score_update(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        frame: &ScoreFrame<'_>,
    ) -> Result<(), MatchError> {
        let (room, slot, _) = self.playing(session.id())?;
        // The checksum is recomputed by the events layer for the builds that carry it.
        let frame = ScoreFrame { id: slot as u8, checksum: Cow::Borrowed(""), ..frame.clone() };
        let round = SlotStatus::PLAYING | SlotStatus::COMPLETE;
        mail.send_all(room.players_in(round), &ServerEvent::MatchScoreUpdate(frame), &[]);
        Ok(())
    }

    /// The session skips the intro: `MatchPlayerSkipped(slot)` to the players of the
    /// round, and `MatchSkip` once every player has skipped.
    pub fn skip(&mut self, mail: &mut Mailer, session: &SessionHandle) -> Result<(), MatchError> {
        let (room, slot, _) = self.playing(session.id())?;
        if let Some(player) = room.players[slot].as_mut() {
            player.skipped = true;
        }
        let round = SlotStatus::PLAYING | SlotStatus::COMPLETE;
        mail.send_all(room.players_in(round), &ServerEvent::MatchPlayerSkipped(slot as i32), &[]);
        room.check_round(mail);
        Ok(())
    }

    /// The session failed: `MatchPlayerFailed(slot)` to the players of the round.
    pub fn failed(&mut self, mail: &mut Mailer, session: &SessionHandle) -> Result<(), MatchError> {
        let (room, slot, _) = self.playing(session.id())?;
        let round = SlotStatus::PLAYING | SlotStatus::COMPLETE;
        mail.send_all(room.players_in(round), &ServerEvent::MatchPlayerFailed(slot as i32), &[]);
        Ok(())
    }

    /// The session finished the map at `now`. The first to finish starts the
    /// [`COMPLETION_TIMEOUT`]; when no one is still playing, the round ends:
    /// `MatchComplete` to the finishers, their slots not ready, `MatchUpdate`.
    pub fn complete(
        &mut self,
        mail: &mut Mailer,
        session: &SessionHandle,
        now: Instant,
    ) -> Result<(), MatchError> {
        let (room, slot, lobby) = self.playing(session.id())?;
        room.state.slots[slot].status = SlotStatus::COMPLETE;
        room.first_completion.get_or_insert(now);
        if room.any(SlotStatus::PLAYING) {
            room.update(mail, lobby);
        } else {
            room.finish(mail, lobby);
        }
        Ok(())
    }

    /// Finishes the matches whose first completion is [`COMPLETION_TIMEOUT`] or more
    /// before `now`, counting those still playing as finished. Call it every few seconds.
    pub fn tick(&mut self, mail: &mut Mailer, now: Instant) {
        for room in self.matches.values_mut() {
            let due = room
                .first_completion
                .is_some_and(|first| now.saturating_duration_since(first) >= COMPLETION_TIMEOUT);
            if room.state.in_progress && due {
                for slot in room.state.slots.iter_mut().filter(|slot| slot.status == SlotStatus::PLAYING) {
                    slot.status = SlotStatus::COMPLETE;
                }
                room.finish(mail, &self.lobby);
            }
        }
    }

    /// The host aborts the round: its players go back to not ready and get
    /// `MatchJoinSuccess`, which returns them to the match setup (anchor).
    pub fn abort(&mut self, mail: &mut Mailer, session: &SessionHandle) -> Result<(), MatchError> {
        let (room, lobby) = self.hosted(session.id())?;
        if !room.state.in_progress {
            return Err(MatchError::NotInProgress);
        }
        let round: Vec<SessionHandle> =
            room.players_in(SlotStatus::PLAYING | SlotStatus::COMPLETE).cloned().collect();
        room.unready(SlotStatus::PLAYING);
        room.unready(SlotStatus::COMPLETE);
        room.state.in_progress = false;
        room.first_completion = None;
        room.update(mail, lobby);
        mail.send_all(&round, &ServerEvent::MatchJoinSuccess(room.state.clone()), &[]);
        Ok(())
    }

    /// Forgets the session on logout: out of the lobby (`LobbyPart` to the rest) and out
    /// of its match as in [`part`](Self::part), whose outcome is returned.
    pub fn remove_session(&mut self, mail: &mut Mailer, session: &SessionHandle) -> Option<Parted> {
        self.lobby_part(mail, session);
        self.part(mail, session).ok()
    }
}

#[cfg(test)]
mod tests {
    use chio_packets::ServerPacket;
    use chio_packets::multiplayer::{
        BanchoMatchDisband, BanchoMatchJoinSuccess, BanchoMatchNew, BanchoMatchStart, BanchoMatchUpdate,
    };
    use chio_packets::spectating::BanchoMatchScoreUpdate;

    use super::*;
    use crate::testkit::{Kit, names, received};

    const MODERN: u32 = 20250306;
    const EIGHT_SLOTS: u32 = 20130815;

    fn settings(name: &str, password: &str) -> Match<'static> {
        Match {
            name: name.to_owned().into(),
            password: password.to_owned().into(),
            beatmap_id: 100,
            beatmap_checksum: "0123456789abcdef0123456789abcdef".into(),
            beatmap_text: "artist - title [diff]".into(),
            slots: vec![MatchSlot { status: SlotStatus::OPEN, ..MatchSlot::default() }; SLOTS],
            ..Match::default()
        }
    }

    /// The matches carried by the packets queued for the session, by packet name.
    fn matches(session: &SessionHandle) -> Vec<(&'static str, Match<'static>)> {
        received(session)
            .into_iter()
            .filter_map(|packet| {
                let name = packet.name();
                match packet {
                    ServerPacket::BanchoMatchUpdate(BanchoMatchUpdate(m))
                    | ServerPacket::BanchoMatchNew(BanchoMatchNew(m))
                    | ServerPacket::BanchoMatchJoinSuccess(BanchoMatchJoinSuccess(m))
                    | ServerPacket::BanchoMatchStart(BanchoMatchStart { r#match: m }) => Some((name, m)),
                    _ => None,
                }
            })
            .collect()
    }

    fn score_ids(session: &SessionHandle) -> Vec<u8> {
        received(session)
            .into_iter()
            .filter_map(|packet| match packet {
                ServerPacket::BanchoMatchScoreUpdate(BanchoMatchScoreUpdate(frame)) => Some(frame.id),
                _ => None,
            })
            .collect()
    }

    fn drain(sessions: &[&SessionHandle]) {
        for s in sessions {
            received(s);
        }
    }

    /// A host (user 1) online, and no match yet.
    fn lobby() -> (Kit, SessionHandle, Mailer, Multiplayer) {
        let kit = Kit::new();
        let host = kit.session(1, "host", MODERN);
        (kit, host, Mailer::new(), Multiplayer::new())
    }

    /// A host (user 1) and a guest (user 2), with the matches they are in.
    struct Room {
        kit: Kit,
        host: SessionHandle,
        guest: SessionHandle,
        mail: Mailer,
        mp: Multiplayer,
    }

    impl Room {
        /// The host and a guest of `guest_build` online, and no match yet.
        fn online(guest_build: u32) -> Self {
            let (kit, host, mail, mp) = lobby();
            let guest = kit.session(2, "guest", guest_build);
            Self { kit, host, guest, mail, mp }
        }

        /// The host has made match 1, "room" without a password, and a guest of
        /// `guest_build` has joined it.
        fn of_two(guest_build: u32) -> Self {
            let mut room = Self::online(guest_build);
            room.mp.create(&mut room.mail, &room.host, &settings("room", "")).unwrap();
            room.mp.join(&mut room.mail, &room.guest, 1, "").unwrap();
            room
        }

        /// `of_two`, and the host has started the round.
        fn playing(guest_build: u32) -> Self {
            let mut room = Self::of_two(guest_build);
            room.mp.start(&mut room.mail, &room.host).unwrap();
            room
        }

        /// Drops what the host and the guest have been sent so far.
        fn drained(self) -> Self {
            drain(&[&self.host, &self.guest]);
            self
        }
    }

    fn frame(score: u32) -> ScoreFrame<'static> {
        ScoreFrame {
            id: 7,
            total_score: score,
            hp: 200,
            checksum: "client text".into(),
            ..ScoreFrame::default()
        }
    }

    #[test]
    fn two_players_play_a_match_to_the_end() {
        let Room { kit, host, guest, mut mail, mut mp } = Room::online(20121224);
        let viewer = kit.session(3, "viewer", MODERN);
        mp.lobby_join(&mut mail, &viewer);

        let joined = mp.create(&mut mail, &host, &settings("room", "")).unwrap();
        assert_eq!(joined, Joined { match_id: 1, channel: "#multi_1".into() });
        assert_eq!(names(&host), ["BanchoMatchJoinSuccess"]);
        assert_eq!(names(&viewer), ["BanchoMatchNew"]);

        assert_eq!(mp.join(&mut mail, &guest, 1, "").unwrap().match_id, 1);
        assert_eq!(names(&guest), ["BanchoMatchJoinSuccess", "BanchoMatchUpdate"]);
        assert_eq!(names(&host), ["BanchoMatchUpdate"]);
        assert_eq!(names(&viewer), ["BanchoMatchUpdate"]);
        assert_eq!(mp.match_of(guest.id()), Some(1));

        mp.ready(&mut mail, &host).unwrap();
        mp.ready(&mut mail, &guest).unwrap();
        drain(&[&host, &guest, &viewer]);
        mp.start(&mut mail, &host).unwrap();
        assert_eq!(names(&host), ["BanchoMatchStart"]);
        assert_eq!(names(&guest), ["BanchoMatchStart"]);
        assert_eq!(names(&viewer), ["BanchoMatchUpdate"]);
        let state = mp.get(1).unwrap();
        assert!(state.in_progress);
        assert_eq!(state.slots[0].status, SlotStatus::PLAYING);
        assert_eq!(state.slots[1].status, SlotStatus::PLAYING);

        // Mid-round, slots and settings stay put.
        assert_eq!(mp.change_slot(&mut mail, &guest, 5), Err(MatchError::InProgress));
        assert_eq!(mp.ready(&mut mail, &guest), Err(MatchError::InProgress));
        assert_eq!(mp.change_settings(&mut mail, &host, &settings("x", "")), Err(MatchError::InProgress));
        assert_eq!(mp.start(&mut mail, &host), Err(MatchError::InProgress));
        mp.load_complete(&mut mail, &host).unwrap();
        assert!(names(&host).is_empty());
        mp.load_complete(&mut mail, &guest).unwrap();
        assert_eq!(names(&host), ["BanchoMatchAllPlayersLoaded"]);
        assert_eq!(names(&guest), ["BanchoMatchAllPlayersLoaded"]);

        mp.score_update(&mut mail, &guest, &frame(1000)).unwrap();
        mp.score_update(&mut mail, &host, &frame(2000)).unwrap();
        assert_eq!(score_ids(&host), [1, 0]);
        assert_eq!(score_ids(&guest), [1, 0]);
        assert!(names(&viewer).is_empty());

        let t0 = Instant::now();
        mp.complete(&mut mail, &host, t0).unwrap();
        assert_eq!(names(&host), ["BanchoMatchUpdate"]);
        assert!(mp.get(1).unwrap().in_progress);
        mp.complete(&mut mail, &guest, t0).unwrap();
        assert_eq!(names(&host), ["BanchoMatchComplete", "BanchoMatchUpdate"]);
        // The guest also saw the host finish.
        assert_eq!(names(&guest), ["BanchoMatchUpdate", "BanchoMatchComplete", "BanchoMatchUpdate"]);
        assert_eq!(names(&viewer), ["BanchoMatchUpdate", "BanchoMatchUpdate"]);
        let state = mp.get(1).unwrap();
        assert!(!state.in_progress);
        assert!(state.slots[..2].iter().all(|slot| slot.status == SlotStatus::NOT_READY));
        // Nothing more to do for a finished round.
        assert_eq!(mp.complete(&mut mail, &guest, t0), Err(MatchError::NotInProgress));
    }

    #[test]
    fn eight_slot_clients_never_see_slots_they_cannot_show() {
        let (kit, host, mut mail, mut mp) = lobby();
        let eights: Vec<SessionHandle> = (0..7).map(|i| kit.session(10 + i, "eight", EIGHT_SLOTS)).collect();
        let wide = kit.session(2, "wide", MODERN);
        let late = kit.session(3, "late", EIGHT_SLOTS);
        mp.create(&mut mail, &host, &settings("room", "")).unwrap();
        for s in &eights {
            mp.join(&mut mail, s, 1, "").unwrap();
        }
        // Slots 0-7 are taken: the 16-slot client sits in slot 8, the 8-slot one cannot.
        mp.join(&mut mail, &wide, 1, "").unwrap();
        assert_eq!(mp.get(1).unwrap().slots[8].user_id, 2);
        assert_eq!(mp.join(&mut mail, &late, 1, ""), Err(MatchError::Full));
        assert_eq!(names(&late), ["BanchoMatchJoinFail"]);
        // Nor may it move past its count.
        assert_eq!(mp.change_slot(&mut mail, &eights[0], 9), Err(MatchError::BadSlot));

        let eight = &eights[0];
        let updates = matches(eight);
        let (name, last) = updates.last().unwrap();
        assert_eq!(*name, "BanchoMatchUpdate");
        assert_eq!(last.slots.len(), 8);
        assert!(last.slots.iter().all(|slot| slot.user_id != 2));
        let (_, wide_view) = matches(&wide).pop().unwrap();
        assert_eq!(wide_view.slots.len(), 16);
        assert_eq!(wide_view.slots[8].user_id, 2);

        mp.start(&mut mail, &host).unwrap();
        let (name, started) = matches(eight).pop().unwrap();
        assert_eq!((name, started.slots.len()), ("BanchoMatchStart", 8));
        drain(&[&host, &wide]);
        mp.score_update(&mut mail, &wide, &frame(10)).unwrap();
        mp.score_update(&mut mail, eight, &frame(20)).unwrap();
        mp.failed(&mut mail, &wide).unwrap();
        mp.skip(&mut mail, &wide).unwrap();
        assert_eq!(score_ids(&host), [8, 1]);
        let for_eight = received(eight);
        let eight_names: Vec<&str> = for_eight.iter().map(ServerPacket::name).collect();
        assert_eq!(eight_names, ["BanchoMatchScoreUpdate"]);
        assert!(
            matches!(&for_eight[0], ServerPacket::BanchoMatchScoreUpdate(BanchoMatchScoreUpdate(f)) if f.id == 1)
        );
        // The 16-slot clients see both, the failure and the skip.
        assert_eq!(
            names(&wide),
            [
                "BanchoMatchScoreUpdate",
                "BanchoMatchScoreUpdate",
                "BanchoMatchPlayerFailed",
                "BanchoMatchPlayerSkipped"
            ]
        );
    }

    #[test]
    fn only_the_host_starts() {
        let Room { kit, host, guest, mut mail, mut mp } = Room::of_two(MODERN).drained();
        assert_eq!(mp.start(&mut mail, &guest), Err(MatchError::NotHost));
        assert_eq!(mp.abort(&mut mail, &guest), Err(MatchError::NotHost));
        assert_eq!(mp.lock(&mut mail, &guest, 0), Err(MatchError::NotHost));
        assert!(names(&host).is_empty() && names(&guest).is_empty());
        assert!(!mp.get(1).unwrap().in_progress);
        // Sessions in no match are refused too.
        let outsider = kit.session(3, "outsider", MODERN);
        assert_eq!(mp.start(&mut mail, &outsider), Err(MatchError::NotInMatch));
        assert_eq!(mp.ready(&mut mail, &outsider), Err(MatchError::NotInMatch));
    }

    #[test]
    fn a_password_is_required_and_masked_for_the_lobby() {
        let Room { kit, host, guest, mut mail, mut mp } = Room::online(MODERN);
        let viewer = kit.session(3, "viewer", MODERN);
        mp.create(&mut mail, &host, &settings("room", "secret")).unwrap();
        mp.lobby_join(&mut mail, &viewer);
        let (name, shown) = matches(&viewer).pop().unwrap();
        assert_eq!((name, shown.password.as_ref()), ("BanchoMatchNew", " "));

        assert_eq!(mp.join(&mut mail, &guest, 1, ""), Err(MatchError::WrongPassword));
        assert_eq!(mp.join(&mut mail, &guest, 1, "Secret"), Err(MatchError::WrongPassword));
        assert_eq!(names(&guest), ["BanchoMatchJoinFail", "BanchoMatchJoinFail"]);
        assert_eq!(mp.match_of(guest.id()), None);

        mp.join(&mut mail, &guest, 1, "secret").unwrap();
        let (name, joined) = matches(&guest).remove(0);
        assert_eq!((name, joined.password.as_ref()), ("BanchoMatchJoinSuccess", "secret"));
        let (_, shown) = matches(&viewer).pop().unwrap();
        assert_eq!(shown.password, " ");

        mp.change_password(&mut mail, &host, "").unwrap();
        assert_eq!(names(&guest), ["BanchoMatchChangePassword", "BanchoMatchUpdate"]);
        let (_, shown) = matches(&viewer).pop().unwrap();
        assert_eq!(shown.password, "");
    }

    #[test]
    fn the_host_leaving_hands_the_match_on_and_the_last_one_disbands_it() {
        let Room { kit, host, guest: second, mut mail, mut mp } = Room::of_two(MODERN);
        let third = kit.session(3, "third", 1000);
        let viewer = kit.session(4, "viewer", MODERN);
        mp.join(&mut mail, &third, 1, "").unwrap();
        mp.lobby_join(&mut mail, &viewer);
        drain(&[&host, &second, &third, &viewer]);

        let parted = mp.part(&mut mail, &host).unwrap();
        assert_eq!(parted, Parted { match_id: 1, channel: "#multi_1".into(), disbanded: false });
        assert_eq!(names(&second), ["BanchoMatchTransferHost", "BanchoMatchUpdate"]);
        assert_eq!(names(&third), ["BanchoMatchUpdate"]);
        assert!(names(&host).is_empty());
        let state = mp.get(1).unwrap();
        assert_eq!((state.host_id, state.slots[0].status), (2, SlotStatus::OPEN));
        // The new host may start; the old one is out.
        assert_eq!(mp.start(&mut mail, &host), Err(MatchError::NotInMatch));
        assert_eq!(mp.start(&mut mail, &third), Err(MatchError::NotHost));

        mp.part(&mut mail, &second).unwrap();
        assert_eq!(names(&third), ["BanchoMatchTransferHost", "BanchoMatchUpdate"]);
        drain(&[&viewer]);
        let parted = mp.remove_session(&mut mail, &third).unwrap();
        assert!(parted.disbanded);
        assert_eq!(received(&viewer), [ServerPacket::BanchoMatchDisband(BanchoMatchDisband { match_id: 1 })]);
        assert_eq!(names(&third), ["BanchoMatchDisband"]);
        assert!(mp.get(1).is_none() && mp.is_empty());
        assert_eq!(mp.match_of(third.id()), None);
        assert_eq!(mp.part(&mut mail, &third), Err(MatchError::NotInMatch));
        // The id is free again.
        assert_eq!(mp.create(&mut mail, &host, &settings("again", "")).unwrap().match_id, 1);
    }

    #[test]
    fn old_clients_see_byte_sized_match_ids() {
        let kit = Kit::new();
        let old = kit.session(1, "old", 1000);
        let mut mail = Mailer::new();
        let mut mp = Multiplayer::with_limits(300);
        // The old client's own match: an id below 256, read as its build reads it.
        mp.create(&mut mail, &old, &settings("old room", "")).unwrap();
        let (name, joined) = matches(&old).remove(0);
        assert_eq!((name, joined.id, joined.slots.len()), ("BanchoMatchJoinSuccess", 1, 8));
        assert_eq!(joined.slots[0].user_id, 1);

        // Past 255 matches, the lobby of an old client shows only the ids it can read.
        for i in 0..299 {
            let s = kit.session(100 + i, "creator", MODERN);
            mp.create(&mut mail, &s, &settings("room", "")).unwrap();
        }
        assert_eq!(mp.len(), 300);
        let refused = kit.session(99, "refused", MODERN);
        assert_eq!(mp.create(&mut mail, &refused, &settings("room", "")), Err(MatchError::TooManyMatches));
        assert_eq!(names(&refused), ["BanchoMatchJoinFail"]);
        let viewer = kit.session(2, "viewer", 1000);
        mp.lobby_join(&mut mail, &viewer);
        let shown = matches(&viewer);
        assert_eq!(shown.len(), 255);
        assert!(shown.iter().all(|(name, m)| *name == "BanchoMatchNew" && m.id <= 255));
        let modern = kit.session(3, "modern", MODERN);
        mp.lobby_join(&mut mail, &modern);
        assert_eq!(matches(&modern).len(), 300);
    }

    #[test]
    fn locking_a_player_slot_kicks_the_player() {
        let Room { host, guest, mut mail, mut mp, .. } = Room::of_two(MODERN).drained();
        assert_eq!(mp.lock(&mut mail, &host, 0), Err(MatchError::BadSlot));
        for bad in [-1, 16, 99, i32::MIN, i32::MAX] {
            assert_eq!(mp.lock(&mut mail, &host, bad), Err(MatchError::BadSlot));
            assert_eq!(mp.change_slot(&mut mail, &guest, bad), Err(MatchError::BadSlot));
            assert_eq!(mp.transfer_host(&mut mail, &host, bad), Err(MatchError::BadSlot));
        }

        let kicked = mp.lock(&mut mail, &host, 1).unwrap().expect("the guest is kicked");
        assert_eq!(kicked.session, guest.id());
        assert!(!kicked.parted.disbanded);
        assert_eq!(names(&guest), ["BanchoMatchDisband"]);
        assert_eq!(names(&host), ["BanchoMatchUpdate"]);
        assert_eq!(mp.match_of(guest.id()), None);
        assert_eq!(mp.get(1).unwrap().slots[1].status, SlotStatus::LOCKED);
        // Locked slots are skipped by joins; unlocking opens the slot again.
        mp.join(&mut mail, &guest, 1, "").unwrap();
        assert_eq!(mp.get(1).unwrap().slots[2].user_id, 2);
        assert_eq!(mp.lock(&mut mail, &host, 1).unwrap(), None);
        assert_eq!(mp.get(1).unwrap().slots[1].status, SlotStatus::OPEN);
        mp.change_slot(&mut mail, &guest, 1).unwrap();
        let state = mp.get(1).unwrap();
        assert_eq!((state.slots[1].user_id, state.slots[2].status), (2, SlotStatus::OPEN));
    }

    #[test]
    fn the_completion_timeout_finishes_a_stuck_round() {
        let Room { host, guest, mut mail, mut mp, .. } = Room::playing(MODERN);
        let t0 = Instant::now();
        mp.complete(&mut mail, &host, t0).unwrap();
        drain(&[&host, &guest]);

        mp.tick(&mut mail, t0 + Duration::from_secs(11));
        assert!(mp.get(1).unwrap().in_progress);
        assert!(names(&host).is_empty());
        mp.tick(&mut mail, t0 + COMPLETION_TIMEOUT);
        assert!(!mp.get(1).unwrap().in_progress);
        assert_eq!(names(&host), ["BanchoMatchComplete", "BanchoMatchUpdate"]);
        assert_eq!(names(&guest), ["BanchoMatchComplete", "BanchoMatchUpdate"]);
        // The next round starts a new timeout.
        mp.start(&mut mail, &host).unwrap();
        mp.tick(&mut mail, t0 + Duration::from_secs(60));
        assert!(mp.get(1).unwrap().in_progress);
    }

    #[test]
    fn the_last_player_still_playing_leaving_ends_the_round() {
        let Room { host, guest, mut mail, mut mp, .. } = Room::playing(MODERN);
        mp.complete(&mut mail, &host, Instant::now()).unwrap();
        drain(&[&host, &guest]);
        mp.part(&mut mail, &guest).unwrap();
        assert_eq!(names(&host), ["BanchoMatchComplete", "BanchoMatchUpdate"]);
        assert!(!mp.get(1).unwrap().in_progress);
    }

    #[test]
    fn missing_matches_and_repeated_joins_fail() {
        let (_, host, mut mail, mut mp) = lobby();
        for id in [-1, 0, 1, 70_000] {
            assert_eq!(mp.join(&mut mail, &host, id, ""), Err(MatchError::NotFound));
            assert_eq!(names(&host), ["BanchoMatchDisband", "BanchoMatchJoinFail"]);
        }
        mp.create(&mut mail, &host, &settings("room", "")).unwrap();
        received(&host);
        assert_eq!(mp.join(&mut mail, &host, 1, ""), Err(MatchError::AlreadyInMatch));
        assert_eq!(mp.create(&mut mail, &host, &settings("again", "")), Err(MatchError::AlreadyInMatch));
        assert_eq!(names(&host), ["BanchoMatchJoinFail", "BanchoMatchJoinFail"]);
        assert_eq!(mp.len(), 1);
    }

    #[test]
    fn freemod_splits_the_mods_between_host_and_players() {
        let Room { host, guest, mut mail, mut mp, .. } = Room::of_two(MODERN);
        assert_eq!(mp.change_mods(&mut mail, &guest, Mods::HIDDEN), Err(MatchError::NotHost));
        mp.change_mods(&mut mail, &host, Mods::DOUBLE_TIME | Mods::NIGHTCORE | Mods::HIDDEN).unwrap();
        assert_eq!(mp.get(1).unwrap().mods, Mods::NIGHTCORE | Mods::HIDDEN);

        let mut freemod = settings("room", "");
        freemod.freemod = true;
        mp.change_settings(&mut mail, &host, &freemod).unwrap();
        let state = mp.get(1).unwrap();
        assert_eq!(state.mods, Mods::NIGHTCORE);
        assert_eq!(&state.slot_mods[..2], [Mods::HIDDEN, Mods::HIDDEN]);

        mp.ready(&mut mail, &host).unwrap();
        mp.change_mods(&mut mail, &guest, Mods::HARD_ROCK | Mods::DOUBLE_TIME).unwrap();
        let state = mp.get(1).unwrap();
        assert_eq!((state.mods, state.slot_mods[1]), (Mods::NIGHTCORE, Mods::HARD_ROCK));
        // A player's own mods leave the others ready.
        assert_eq!(state.slots[0].status, SlotStatus::READY);
        mp.change_mods(&mut mail, &host, Mods::HALF_TIME | Mods::FLASHLIGHT).unwrap();
        let state = mp.get(1).unwrap();
        assert_eq!((state.mods, state.slot_mods[0]), (Mods::HALF_TIME, Mods::FLASHLIGHT));
        assert_eq!(state.slots[0].status, SlotStatus::NOT_READY);
        // The freemod match carries per-slot mods on the wire.
        let (_, seen) = matches(&guest).pop().unwrap();
        assert!(seen.freemod);
        assert_eq!(seen.slot_mods[1], Mods::HARD_ROCK);

        // Freemod off: the host's own mods join the match's, the players' are dropped.
        mp.change_settings(&mut mail, &host, &settings("room", "")).unwrap();
        let state = mp.get(1).unwrap();
        assert!(!state.freemod);
        assert_eq!(state.mods, Mods::HALF_TIME | Mods::FLASHLIGHT);
        assert!(state.slot_mods.iter().all(|mods| mods.is_empty()));
    }

    #[test]
    fn a_new_map_unreadies_everyone_and_text_is_bounded() {
        let Room { host, guest, mut mail, mut mp, .. } = Room::online(MODERN);
        let mut long = settings(&"n".repeat(1000), &"p".repeat(1000));
        long.beatmap_text = "t".repeat(10_000).into();
        mp.create(&mut mail, &host, &long).unwrap();
        let state = mp.get(1).unwrap();
        assert_eq!(state.name.chars().count(), MAX_NAME_CHARS);
        assert_eq!(state.password.chars().count(), MAX_PASSWORD_CHARS);
        assert_eq!(state.beatmap_text.chars().count(), MAX_BEATMAP_TEXT_CHARS);

        mp.join(&mut mail, &guest, 1, &"p".repeat(MAX_PASSWORD_CHARS)).unwrap();
        mp.ready(&mut mail, &guest).unwrap();
        mp.no_beatmap(&mut mail, &host).unwrap();
        let mut new_map = settings("room", "");
        new_map.beatmap_checksum = "ffffffffffffffffffffffffffffffff".into();
        new_map.beatmap_id = 200;
        new_map.team_type = TeamType::TeamVs;
        mp.change_settings(&mut mail, &host, &new_map).unwrap();
        let state = mp.get(1).unwrap();
        assert_eq!(state.beatmap_id, 200);
        assert_eq!(
            (state.slots[0].status, state.slots[1].status),
            (SlotStatus::NOT_READY, SlotStatus::NOT_READY)
        );
        assert_eq!((state.slots[0].team, state.slots[1].team), (SlotTeam::Red, SlotTeam::Red));
        // A modern client's settings do not carry the password: it is kept.
        assert_eq!(state.password.chars().count(), MAX_PASSWORD_CHARS);
        mp.change_team(&mut mail, &guest).unwrap();
        assert_eq!(mp.get(1).unwrap().slots[1].team, SlotTeam::Blue);
        assert_eq!(mp.change_settings(&mut mail, &guest, &new_map), Err(MatchError::NotHost));

        // The host choosing a map: nobody can lack it.
        let mut choosing = new_map.clone();
        choosing.beatmap_id = -1;
        mp.change_settings(&mut mail, &host, &choosing).unwrap();
        assert_eq!(mp.no_beatmap(&mut mail, &guest), Err(MatchError::NoMapChosen));
    }

    #[test]
    fn clients_without_a_load_packet_are_not_waited_for() {
        // The guest is a b320 client: it has no packet to say it has loaded.
        let Room { host, mut mail, mut mp, .. } = Room::playing(320).drained();
        mp.load_complete(&mut mail, &host).unwrap();
        assert_eq!(names(&host), ["BanchoMatchAllPlayersLoaded"]);
        // Sent once.
        mp.load_complete(&mut mail, &host).unwrap();
        assert!(names(&host).is_empty());
    }

    #[test]
    fn skipping_waits_for_everyone_and_abort_returns_to_setup() {
        let Room { kit, host, guest, mut mail, mut mp } = Room::of_two(MODERN);
        let idle = kit.session(3, "idle", MODERN);
        mp.join(&mut mail, &idle, 1, "").unwrap();
        mp.no_beatmap(&mut mail, &idle).unwrap();
        mp.start(&mut mail, &host).unwrap();
        assert_eq!(names(&idle).last(), Some(&"BanchoMatchUpdate"));
        assert_eq!(mp.skip(&mut mail, &idle), Err(MatchError::NotPlaying));
        drain(&[&host, &guest]);

        mp.skip(&mut mail, &host).unwrap();
        assert_eq!(names(&guest), ["BanchoMatchPlayerSkipped"]);
        mp.skip(&mut mail, &guest).unwrap();
        assert_eq!(names(&host), ["BanchoMatchPlayerSkipped", "BanchoMatchPlayerSkipped", "BanchoMatchSkip"]);
        assert!(names(&idle).is_empty());

        assert_eq!(mp.abort(&mut mail, &guest), Err(MatchError::NotHost));
        mp.abort(&mut mail, &host).unwrap();
        assert_eq!(names(&host), ["BanchoMatchUpdate", "BanchoMatchJoinSuccess"]);
        assert_eq!(names(&idle), ["BanchoMatchUpdate"]);
        let state = mp.get(1).unwrap();
        assert!(!state.in_progress);
        assert_eq!(state.slots[2].status, SlotStatus::NO_MAP);
        assert_eq!(state.slots[0].status, SlotStatus::NOT_READY);
    }

    #[test]
    fn transfer_host_and_lobby_membership() {
        let Room { kit, host, guest, mut mail, mut mp } = Room::online(MODERN);
        let old = kit.session(3, "old", 1000);
        mp.lobby_join(&mut mail, &old);
        mp.lobby_join(&mut mail, &guest);
        mp.lobby_join(&mut mail, &guest);
        assert_eq!(mp.lobby().len(), 2);
        // Builds before b20121211 list who is in the lobby.
        assert_eq!(names(&old), ["BanchoLobbyJoin"]);
        assert!(names(&guest).is_empty());
        mp.lobby_part(&mut mail, &guest);
        assert_eq!(names(&old), ["BanchoLobbyPart"]);

        mp.create(&mut mail, &host, &settings("room", "")).unwrap();
        mp.join(&mut mail, &guest, 1, "").unwrap();
        drain(&[&host, &guest, &old]);
        assert_eq!(mp.transfer_host(&mut mail, &host, 5), Err(MatchError::BadSlot));
        mp.transfer_host(&mut mail, &host, 1).unwrap();
        assert_eq!(names(&guest), ["BanchoMatchTransferHost", "BanchoMatchUpdate"]);
        assert_eq!(mp.get(1).unwrap().host_id, 2);
        assert_eq!(mp.start(&mut mail, &host), Err(MatchError::NotHost));
        mp.start(&mut mail, &guest).unwrap();
        assert_eq!(mp.remove_session(&mut mail, &old), None);
        assert!(mp.lobby().is_empty());
    }
}
