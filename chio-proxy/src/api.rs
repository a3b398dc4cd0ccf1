//! The osu! client API fed from proxied traffic: [`TrafficState`] is a [`Tap`] that
//! follows the player who logged in through the proxy and keeps a `chio-api`
//! [`SharedState`] up to date, and injects what applications ask to show.
//!
//! # Where each field comes from
//!
//! | API field | source in the traffic |
//! |---|---|
//! | `status.status`, `gamemode`, `mods` | the client's `OsuUserStatus` (action, mode, mods) |
//! | `status.beatmap.file_md5`, `beatmap_id` | the same packet's map checksum and map id (b490+; none before) |
//! | `beatmap.artist`, `title`, `version` | parsed from the status text, `Artist - Title [Version]` |
//! | `beatmap.bpm`, difficulty, lengths, `creator`, `approved`, `max_combo`, ... | the [`BeatmapMetadata`] provider; the default knows nothing, so they are 0, empty or unknown |
//! | `spectating.is_spectating`, the host | the client's `OsuStartSpectating` / `OsuStopSpectating` |
//! | `spectating.other_spectators` | `BanchoFellowSpectatorJoined` / `Left`, names from presence and stats packets |
//! | `spectating.host_status` | the host's frames: the action of the last `BanchoSpectateFrames` (`Fail` → failed, `Pause` → paused, `Completion` → passed, `SongSelect` → selecting, else playing) |
//! | `spectating.beatmap` | the host's status, from the `BanchoUserStats` the server sends about the host |
//! | `multiplayer.room` | `BanchoMatchJoinSuccess` / `BanchoMatchUpdate` of the match the player sits in; `BanchoMatchDisband` or the client's `OsuMatchPart` ends it |
//! | `username` | the login lines of the session |
//!
//! # Write side
//!
//! What applications ask for is injected into the player's bancho stream (between two
//! server frames on TCP; appended to the next poll answer on HTTP), and marked as injected
//! in the proxy's log and capture:
//!
//! - a `notification` (needs `notify`) as `BanchoAnnounce` (`"<application>: <message>"`),
//!   the packet every build shows as a notification;
//! - a `get_attention` (needs `interact`) as `BanchoGetAttention`, which flashes the game's
//!   window; builds without that packet get nothing.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use chio_api::source::{Interaction, SharedState};
use chio_api::state::{
    Beatmap, HostStatus, MatchType as ApiMatchType, MultiplayerStatus, Room, RoomUser,
    ScoringType as ApiScoring, SlotStatus as ApiSlotStatus, Specials, SpectatingStatus, Status, Team,
    TeamType as ApiTeamType, UserStatus,
};
use chio_packets::events::client::ClientEvent;
use chio_packets::events::{Activity, ServerEvent};
use chio_packets::multiplayer::{Match, MatchType, ScoringType, SlotStatus, SlotTeam, TeamType};
use chio_packets::types::{Mode, Status as Action};
use chio_packets::{ClientPacket, Context, ServerPacket};
use chio_server::tcp_login::OwnedLogin;
use serde_json::Value;

use crate::tap::{Injector, SessionId, Tap};

/// What the traffic cannot say about a map: its metadata, from wherever the host has it
/// (a local database, the osu! API).
pub trait BeatmapMetadata: Send + Sync + 'static {
    /// What is known of the map with this checksum (and online id, when known); `None`
    /// when nothing is.
    fn lookup(&self, checksum: &str, beatmap_id: Option<u32>) -> Option<Metadata>;
}

/// A map's metadata beyond what the traffic carries.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metadata {
    /// The set's online id.
    pub beatmapset_id: Option<u32>,
    /// The ranked status as the osu! API numbers it.
    pub approved: i8,
    /// The mapper.
    pub creator: String,
    /// Beats per minute.
    pub bpm: f64,
    /// Star rating.
    pub difficultyrating: f64,
    /// Circle size.
    pub diff_size: f64,
    /// Overall difficulty.
    pub diff_overall: f64,
    /// Approach rate.
    pub diff_approach: f64,
    /// HP drain.
    pub diff_drain: f64,
    /// Seconds of drain time.
    pub hit_length: u32,
    /// Seconds in total.
    pub total_length: u32,
    /// The highest combo (0 when unknown, as the API writes it).
    pub max_combo: u32,
}

/// The default provider: knows nothing, so those fields are zero or empty.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoMetadata;

impl BeatmapMetadata for NoMetadata {
    fn lookup(&self, _checksum: &str, _beatmap_id: Option<u32>) -> Option<Metadata> {
        None
    }
}

/// The player followed: the first session to log in through the proxy, until it ends.
#[derive(Clone, Debug)]
struct Player {
    session: SessionId,
    user_id: Option<i32>,
}

#[derive(Debug, Default)]
struct Tracked {
    player: Option<Player>,
    /// Names of the users the player has heard of, by id.
    names: HashMap<i32, String>,
    /// The latest status text/map of each user, from the stats the server sends.
    activities: HashMap<i32, Activity<'static>>,
    /// Whom the player spectates.
    host: Option<i32>,
    fellows: BTreeSet<i32>,
    host_action: Option<HostStatus>,
    /// The match the player sits in.
    room: Option<Match<'static>>,
}

/// A [`Tap`] that turns the player's traffic into the client API's state; see the
/// [module documentation](self).
pub struct TrafficState {
    state: Arc<SharedState>,
    injector: Injector,
    metadata: Arc<dyn BeatmapMetadata>,
    tracked: Mutex<Tracked>,
}

impl std::fmt::Debug for TrafficState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrafficState").field("tracked", &self.tracked).finish_non_exhaustive()
    }
}

impl TrafficState {
    /// Follows the traffic into `state`, injecting through `injector`, with no metadata.
    pub fn new(state: Arc<SharedState>, injector: Injector) -> Self {
        Self::with_metadata(state, injector, Arc::new(NoMetadata))
    }

    /// The same with a metadata provider.
    pub fn with_metadata(
        state: Arc<SharedState>,
        injector: Injector,
        metadata: Arc<dyn BeatmapMetadata>,
    ) -> Self {
        Self { state, injector, metadata, tracked: Mutex::new(Tracked::default()) }
    }

    /// The state the API serves.
    pub fn state(&self) -> &Arc<SharedState> {
        &self.state
    }

    /// The proxied session followed, if a player is logged in.
    pub fn player_session(&self) -> Option<SessionId> {
        self.lock().player.as_ref().map(|p| p.session)
    }

    fn lock(&self) -> MutexGuard<'_, Tracked> {
        self.tracked.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Shows an application's notification to the player: `BanchoAnnounce` injected into
    /// its stream. Returns whether a player was there to show it to.
    pub fn show_notification(&self, application: &str, message: &str) -> bool {
        let Some(session) = self.player_session() else { return false };
        let text = format!("{application}: {message}");
        self.injector.inject(session, &ServerEvent::Announce(text.into())).is_ok()
    }

    /// Draws the player's attention: `BanchoGetAttention` injected into its stream.
    /// Returns whether a player was there and its build has the packet.
    pub fn get_attention(&self) -> bool {
        let Some(session) = self.player_session() else { return false };
        self.injector.inject(session, &ServerEvent::GetAttention).is_ok()
    }

    /// Carries out what applications ask through the API (notifications, interactions)
    /// on the player's stream, until the state is dropped. Needs a tokio runtime.
    pub fn spawn_write_side(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        use tokio::sync::broadcast::error::RecvError;
        let mut notifications = self.state.notifications();
        let mut interactions = self.state.interactions();
        let this = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    shown = notifications.recv() => match shown {
                        Ok(shown) => {
                            let Some(this) = this.upgrade() else { return };
                            this.show_notification(&shown.application, &shown.message);
                        }
                        Err(RecvError::Lagged(_)) => {}
                        Err(RecvError::Closed) => return,
                    },
                    asked = interactions.recv() => match asked {
                        Ok(asked) => {
                            let Some(this) = this.upgrade() else { return };
                            match asked.interaction {
                                Interaction::GetAttention => this.get_attention(),
                                _ => false,
                            };
                        }
                        Err(RecvError::Lagged(_)) => {}
                        Err(RecvError::Closed) => return,
                    },
                }
            }
        })
    }

    fn is_player(&self, session: SessionId) -> bool {
        self.lock().player.as_ref().is_some_and(|p| p.session == session)
    }

    fn beatmap(&self, activity: &Activity<'_>) -> Option<Beatmap> {
        if activity.beatmap_checksum.is_empty() && activity.beatmap_id <= 0 {
            return None;
        }
        let beatmap_id = u32::try_from(activity.beatmap_id).ok().filter(|id| *id > 0);
        let (artist, title, version) = parse_status_text(&activity.text);
        let meta = self.metadata.lookup(&activity.beatmap_checksum, beatmap_id).unwrap_or_default();
        Some(Beatmap {
            approved: meta.approved,
            approved_date: None,
            last_update: String::new(),
            artist,
            beatmap_id,
            beatmapset_id: meta.beatmapset_id,
            bpm: meta.bpm,
            creator: meta.creator,
            difficultyrating: meta.difficultyrating,
            diff_size: meta.diff_size,
            diff_overall: meta.diff_overall,
            diff_approach: meta.diff_approach,
            diff_drain: meta.diff_drain,
            hit_length: meta.hit_length,
            title,
            total_length: meta.total_length,
            version,
            file_md5: activity.beatmap_checksum.to_string(),
            gamemode: mode_number(activity.mode),
            tags: String::new(),
            max_combo: meta.max_combo,
        })
    }

    /// Publishes the spectating state from what is tracked.
    fn publish_spectating(&self, tracked: &Tracked) {
        let spectating = match tracked.host {
            None => SpectatingStatus {
                is_spectating: false,
                host_status: None,
                other_spectators: Vec::new(),
                beatmap: None,
            },
            Some(host) => SpectatingStatus {
                is_spectating: true,
                host_status: tracked.host_action.clone(),
                other_spectators: tracked
                    .fellows
                    .iter()
                    .map(|id| tracked.names.get(id).cloned().unwrap_or_else(|| id.to_string()))
                    .collect(),
                beatmap: tracked.activities.get(&host).and_then(|a| self.beatmap(a)),
            },
        };
        self.state.set_spectating_status(spectating);
    }

    fn publish_room(&self, tracked: &Tracked) {
        let room = tracked.room.as_ref().map(|m| room(m, &tracked.names));
        self.state.set_multiplayer_status(MultiplayerStatus {
            multiplayer_enabled: tracked.player.is_some(),
            room,
        });
    }

    fn on_server_json(&self, tracked: &mut Tracked, name: &str, data: &Value) {
        // Names and activities of users, whichever era's presence or stats packet.
        remember_user(tracked, data);
        let player_id = tracked.player.as_ref().and_then(|p| p.user_id);
        match name {
            "BanchoLoginReply" => {
                if let (Some(player), Some(id)) = (tracked.player.as_mut(), data.as_i64()) {
                    player.user_id = i32::try_from(id).ok().filter(|id| *id > 0);
                }
                self.publish_room(tracked);
            }
            "BanchoFellowSpectatorJoined" | "BanchoFellowSpectatorLeft" => {
                let Some(id) = first_int(data) else { return };
                if name.ends_with("Joined") {
                    tracked.fellows.insert(id);
                } else {
                    tracked.fellows.remove(&id);
                }
                self.publish_spectating(tracked);
            }
            "BanchoSpectateFrames" if tracked.host.is_some() => {
                let action = data.get("action").and_then(Value::as_str).unwrap_or("Standard");
                tracked.host_action = Some(host_status(action));
                self.publish_spectating(tracked);
            }
            "BanchoMatchJoinSuccess" | "BanchoMatchUpdate" | "BanchoMatchStart" => {
                let Ok(m) = serde_json::from_value::<Match<'static>>(data.clone()) else { return };
                let seated = player_id.is_some_and(|id| m.slots.iter().any(|s| s.user_id == id));
                let same_room = tracked.room.as_ref().is_some_and(|r| r.id == m.id);
                if name == "BanchoMatchJoinSuccess" || seated || same_room {
                    tracked.room = (name == "BanchoMatchJoinSuccess" || seated).then_some(m);
                    self.publish_room(tracked);
                }
            }
            "BanchoMatchDisband" => {
                if tracked
                    .room
                    .as_ref()
                    .is_some_and(|r| Some(i64::from(r.id)) == first_int(data).map(i64::from))
                {
                    tracked.room = None;
                    self.publish_room(tracked);
                }
            }
            _ => {
                if tracked.host.is_some() && name.contains("Stats") {
                    self.publish_spectating(tracked);
                }
            }
        }
    }
}

/// Records a user's name and activity from a presence or stats packet's data.
fn remember_user(tracked: &mut Tracked, data: &Value) {
    let Some(id) = data.get("user_id").and_then(Value::as_i64).and_then(|id| i32::try_from(id).ok()) else {
        return;
    };
    if let Some(name) = data.get("name").and_then(Value::as_str).filter(|n| !n.is_empty()) {
        tracked.names.insert(id, name.to_owned());
    }
    if let Some(status) = data.get("status")
        && let Ok(activity) = serde_json::from_value::<WireStatus>(status.clone())
    {
        tracked.activities.insert(id, activity.into_activity());
    }
}

/// The map fields of a status as the stats packets serialize them.
#[derive(serde::Deserialize)]
struct WireStatus {
    #[serde(default)]
    text: String,
    #[serde(default)]
    beatmap_checksum: String,
    #[serde(default = "no_map")]
    beatmap_id: i32,
    #[serde(default)]
    mode: Option<Mode>,
}

fn no_map() -> i32 {
    -1
}

impl WireStatus {
    fn into_activity(self) -> Activity<'static> {
        Activity {
            text: self.text.into(),
            beatmap_checksum: self.beatmap_checksum.into(),
            beatmap_id: self.beatmap_id,
            mode: self.mode.unwrap_or_default(),
            ..Activity::default()
        }
    }
}

fn first_int(data: &Value) -> Option<i32> {
    let number = match data {
        Value::Number(n) => n.as_i64(),
        Value::Object(map) => map.values().find_map(Value::as_i64),
        _ => None,
    }?;
    i32::try_from(number).ok()
}

fn host_status(action: &str) -> HostStatus {
    match action {
        "Fail" => HostStatus::Failed,
        "Pause" => HostStatus::Paused,
        "Completion" => HostStatus::Passed,
        "SongSelect" => HostStatus::Selecting,
        _ => HostStatus::Playing,
    }
}

fn mode_number(mode: Mode) -> u8 {
    mode as u8
}

/// `Artist - Title [Version]` as clients write their status text; parts that are not
/// there are empty.
pub fn parse_status_text(text: &str) -> (String, String, String) {
    let (rest, version) = match (text.rfind('['), text.ends_with(']')) {
        (Some(open), true) => (text[..open].trim_end(), text[open + 1..text.len() - 1].to_owned()),
        _ => (text.trim(), String::new()),
    };
    match rest.split_once(" - ") {
        Some((artist, title)) => (artist.trim().to_owned(), title.trim().to_owned(), version),
        None => (String::new(), rest.to_owned(), version),
    }
}

fn user_status(action: Action) -> UserStatus {
    match action {
        Action::Idle | Action::Unknown | Action::Testing | Action::Submitting | Action::OsuDirect => {
            UserStatus::Idle
        }
        Action::Afk => UserStatus::Afk,
        Action::Playing | Action::Paused => UserStatus::Playing,
        Action::Editing => UserStatus::Editing,
        Action::Modding => UserStatus::Modding,
        Action::Watching => UserStatus::Spectating,
        Action::Multiplayer | Action::Lobby | Action::Multiplaying => UserStatus::Multiplayer,
    }
}

fn room(m: &Match<'_>, names: &HashMap<i32, String>) -> Room {
    let users = m
        .slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.user_id >= 0 && s.status.intersects(SlotStatus::HAS_PLAYER))
        .map(|(i, s)| RoomUser {
            slot: u8::try_from(i).unwrap_or(u8::MAX),
            username: names.get(&s.user_id).cloned().unwrap_or_default(),
            user_id: u32::try_from(s.user_id).unwrap_or(0),
            status: if s.status.contains(SlotStatus::PLAYING) {
                ApiSlotStatus::Playing
            } else if s.status.contains(SlotStatus::READY) {
                ApiSlotStatus::Ready
            } else if s.status.contains(SlotStatus::NO_MAP) {
                ApiSlotStatus::NoMap
            } else {
                ApiSlotStatus::Idle
            },
            mods: m.freemod.then(|| m.slot_mods.get(i).map_or(0, |mods| mods.bits())),
            team: match (m.team_type, s.team) {
                (TeamType::TeamVs | TeamType::TagTeamVs, SlotTeam::Red) => Some(Team::Red),
                (TeamType::TeamVs | TeamType::TagTeamVs, SlotTeam::Blue) => Some(Team::Blue),
                _ => None,
            },
        })
        .collect();
    Room {
        matchtype: match m.match_type {
            MatchType::Standard => ApiMatchType::Standard,
            MatchType::Powerplay => ApiMatchType::Powerplay,
        },
        scoring_type: match m.scoring_type {
            ScoringType::Score => ApiScoring::Score,
            ScoringType::Accuracy => ApiScoring::Accuracy,
            ScoringType::Combo => ApiScoring::Combo,
            ScoringType::ScoreV2 => ApiScoring::Other("score_v2".to_owned()),
        },
        team_type: match m.team_type {
            TeamType::HeadToHead => ApiTeamType::HeadToHead,
            TeamType::TagCoop => ApiTeamType::TagCoop,
            TeamType::TeamVs => ApiTeamType::TeamVs,
            TeamType::TagTeamVs => ApiTeamType::TagTeamVs,
        },
        name: m.name.to_string(),
        has_password: !m.password.is_empty(),
        password: Some(m.password.to_string()),
        max_slots: u8::try_from(m.slots.iter().filter(|s| !s.status.contains(SlotStatus::LOCKED)).count())
            .unwrap_or(u8::MAX),
        mods: m.mods.bits(),
        specials: m.freemod.then_some(Specials::Freemods),
        users,
    }
}

impl Tap for TrafficState {
    fn login(&self, session: SessionId, login: &OwnedLogin, _ctx: Context) {
        let mut tracked = self.lock();
        if tracked.player.is_some() {
            return;
        }
        *tracked = Tracked { player: Some(Player { session, user_id: None }), ..Tracked::default() };
        self.state.set_username(Some(login.username.clone()));
        self.publish_room(&tracked);
    }

    fn client_packet(&self, session: SessionId, ctx: Context, packet: &ClientPacket<'_>) {
        if !self.is_player(session) {
            return;
        }
        let Ok(event) = ClientEvent::from_packet(packet.clone(), ctx) else { return };
        let mut tracked = self.lock();
        match event {
            ClientEvent::UserStatus(activity) => {
                let status = Status {
                    status: user_status(activity.action),
                    gamemode: mode_number(activity.mode),
                    mods: activity.mods.bits(),
                    beatmap: self.beatmap(&activity),
                };
                self.state.set_status(status);
            }
            ClientEvent::StartSpectating(host) => {
                tracked.host = Some(host);
                tracked.fellows.clear();
                tracked.host_action = None;
                self.publish_spectating(&tracked);
            }
            ClientEvent::StopSpectating => {
                tracked.host = None;
                tracked.fellows.clear();
                self.publish_spectating(&tracked);
            }
            ClientEvent::MatchPart => {
                tracked.room = None;
                self.publish_room(&tracked);
            }
            _ => {}
        }
    }

    fn server_packet(&self, session: SessionId, _ctx: Context, packet: &ServerPacket<'_>) {
        if !self.is_player(session) {
            return;
        }
        let Ok(value) = serde_json::to_value(packet) else { return };
        let name = value.get("packet").and_then(Value::as_str).unwrap_or_default();
        let data = value.get("data").unwrap_or(&Value::Null);
        let mut tracked = self.lock();
        self.on_server_json(&mut tracked, name, data);
    }

    fn closed(&self, session: SessionId) {
        let mut tracked = self.lock();
        if tracked.player.as_ref().is_some_and(|p| p.session == session) {
            *tracked = Tracked::default();
            self.state.set_username(None);
            self.state.set_status(Status { status: UserStatus::Idle, gamemode: 0, mods: 0, beatmap: None });
            self.publish_spectating(&tracked);
            self.publish_room(&tracked);
        }
    }
}

#[cfg(test)]
mod tests {
    use chio_api::source::StateSource;
    use chio_packets::events::{LoginResult, UserInfo};
    use chio_packets::multiplayer::MatchSlot;
    use chio_packets::spectating::{ReplayAction, ReplayFrameBundle};
    use chio_packets::types::Mods;
    use chio_packets::wire::{Decoded, PacketDecoder};
    use chio_packets::{FromClient, FromServer};

    use super::*;

    const BUILD: u32 = 20250306;

    fn ctx() -> Context {
        Context::new(BUILD)
    }

    fn login(name: &str) -> OwnedLogin {
        let body = format!("{name}\n5f4dcc3b5aa765d61d8327deb882cf99\nb{BUILD}|0|0|a:b:c:d:e:|0\n");
        OwnedLogin::from(chio_packets::login::request::LoginRequest::parse(body.as_bytes()).unwrap())
    }

    /// Feeds the server event's packets for the build to the tap, as the proxy would.
    fn from_server(tap: &TrafficState, session: SessionId, event: &ServerEvent<'_>) {
        let mut bytes = Vec::new();
        event.write(&mut bytes, ctx()).unwrap();
        let mut decoder = PacketDecoder::<FromServer>::new(ctx());
        for frame in decoder.clone().frames(&bytes) {
            let frame = frame.unwrap();
            if let Decoded::Packet(packet) = decoder.decode(&frame).unwrap() {
                tap.server_packet(session, ctx(), &packet);
            }
        }
    }

    fn from_client(tap: &TrafficState, session: SessionId, event: &ClientEvent<'_>) {
        let packet = event.to_packet(ctx()).unwrap();
        let mut bytes = Vec::new();
        packet.write(&mut bytes, ctx()).unwrap();
        let mut decoder = PacketDecoder::<FromClient>::new(ctx());
        let frame = decoder.frames(&bytes).next().unwrap().unwrap();
        let Decoded::Packet(packet) = decoder.decode(&frame).unwrap() else { panic!("raw") };
        tap.client_packet(session, ctx(), &packet);
    }

    fn traffic() -> TrafficState {
        TrafficState::new(Arc::new(SharedState::new()), Injector::new())
    }

    #[test]
    fn the_status_follows_the_client() {
        let tap = traffic();
        tap.login(1, &login("peppy"), ctx());
        assert_eq!(tap.state().username().as_deref(), Some("peppy"));
        let mut changes = tap.state().changes();
        from_client(
            &tap,
            1,
            &ClientEvent::UserStatus(Activity {
                action: Action::Playing,
                text: "Camellia - Exit This Earth's Atomosphere [Evolution]".into(),
                beatmap_checksum: "0123456789abcdef0123456789abcdef".into(),
                mods: Mods::HIDDEN | Mods::DOUBLE_TIME,
                mode: Mode::Taiko,
                beatmap_id: 1_234_567,
                update_stats: false,
            }),
        );
        assert_eq!(changes.try_recv().unwrap(), chio_api::message::EventKind::Status);
        let status = tap.state().status();
        assert_eq!(status.status, UserStatus::Playing);
        assert_eq!((status.gamemode, status.mods), (1, (Mods::HIDDEN | Mods::DOUBLE_TIME).bits()));
        let map = status.beatmap.unwrap();
        assert_eq!((map.artist.as_str(), map.title.as_str()), ("Camellia", "Exit This Earth's Atomosphere"));
        assert_eq!((map.version.as_str(), map.beatmap_id), ("Evolution", Some(1_234_567)));
        assert_eq!(map.file_md5, "0123456789abcdef0123456789abcdef");
        assert_eq!(map.bpm, 0.0, "no metadata provider");
        // Another session's traffic is not the player's.
        tap.login(2, &login("someone else"), ctx());
        from_client(
            &tap,
            2,
            &ClientEvent::UserStatus(Activity { action: Action::Afk, ..Activity::default() }),
        );
        assert_eq!(tap.state().status().status, UserStatus::Playing);
    }

    #[test]
    fn spectating_and_the_room_follow_the_traffic() {
        let tap = traffic();
        tap.login(1, &login("peppy"), ctx());
        from_server(&tap, 1, &ServerEvent::LoginReply(LoginResult::Success(1000)));
        let host = UserInfo {
            id: 2000,
            name: "host".into(),
            status: Activity {
                text: "xi - FREEDOM DiVE [FOUR DIMENSIONS]".into(),
                beatmap_checksum: "da8aae79c8f3306b5d65ec951874a7fb".into(),
                beatmap_id: 129891,
                ..Activity::default()
            },
            ..UserInfo::default()
        };
        from_server(&tap, 1, &ServerEvent::UserPresence(host.clone()));
        from_server(&tap, 1, &ServerEvent::UserStats(host));
        from_server(
            &tap,
            1,
            &ServerEvent::UserPresence(UserInfo { id: 3000, name: "fellow".into(), ..UserInfo::default() }),
        );
        from_client(&tap, 1, &ClientEvent::StartSpectating(2000));
        from_server(&tap, 1, &ServerEvent::FellowSpectatorJoined(3000));
        let bundle = ReplayFrameBundle { action: ReplayAction::Pause, ..ReplayFrameBundle::default() };
        from_server(&tap, 1, &ServerEvent::SpectateFrames(bundle));
        let spectating = tap.state().spectating_status();
        assert!(spectating.is_spectating);
        assert_eq!(spectating.other_spectators, ["fellow"]);
        assert_eq!(spectating.host_status, Some(HostStatus::Paused));
        assert_eq!(spectating.beatmap.unwrap().title, "FREEDOM DiVE");
        from_client(&tap, 1, &ClientEvent::StopSpectating);
        assert!(!tap.state().spectating_status().is_spectating);

        let mut slots = vec![MatchSlot { status: SlotStatus::OPEN, ..MatchSlot::default() }; 16];
        slots[0] = MatchSlot { status: SlotStatus::READY, team: SlotTeam::Neutral, user_id: 1000 };
        slots[1] = MatchSlot { status: SlotStatus::NOT_READY, team: SlotTeam::Neutral, user_id: 3000 };
        let m = Match { id: 7, name: "room".into(), password: "pw".into(), slots, ..Match::default() };
        from_server(&tap, 1, &ServerEvent::MatchJoinSuccess(m.clone()));
        let room = tap.state().multiplayer_status().room.unwrap();
        assert_eq!((room.name.as_str(), room.has_password, room.max_slots), ("room", true, 16));
        assert_eq!(room.users.len(), 2);
        assert_eq!(
            (room.users[1].username.as_str(), &room.users[0].status),
            ("fellow", &ApiSlotStatus::Ready)
        );
        // Another match's update does not replace it; a disband of it ends it.
        from_server(&tap, 1, &ServerEvent::MatchUpdate(Match { id: 8, ..Match::default() }));
        assert_eq!(tap.state().multiplayer_status().room.unwrap().name, "room");
        from_server(&tap, 1, &ServerEvent::MatchDisband(7));
        assert!(tap.state().multiplayer_status().room.is_none());
        tap.closed(1);
        assert_eq!(tap.state().username(), None);
    }

    #[tokio::test]
    async fn notifications_are_injected_into_the_player_stream() {
        let injector = Injector::new();
        let tap = Arc::new(TrafficState::new(Arc::new(SharedState::new()), injector.clone()));
        let _write_side = tap.spawn_write_side();
        assert!(!tap.show_notification("app", "nobody to show it to"));
        let queue = injector.open(1, ctx());
        tap.login(1, &login("peppy"), ctx());
        tap.state().notify("Overlay", "now live");
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
        while queue.queued_frames() == 0 {
            assert!(tokio::time::Instant::now() < deadline, "nothing injected");
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let bytes = queue.drain_up_to(usize::MAX).concat();
        let mut decoder = PacketDecoder::<FromServer>::new(ctx());
        let frame = decoder.frames(&bytes).next().unwrap().unwrap();
        let Decoded::Packet(packet) = decoder.decode(&frame).unwrap() else { panic!("raw") };
        let json = serde_json::to_value(&packet).unwrap();
        assert_eq!(json["packet"], "BanchoAnnounce");
        assert_eq!(json["data"], "Overlay: now live");
    }

    #[test]
    fn status_texts_parse_into_artist_title_version() {
        let parse = |t: &str| parse_status_text(t);
        assert_eq!(parse("A - B [C]"), ("A".into(), "B".into(), "C".into()));
        assert_eq!(parse("A - B - C [Hard [2]]").2, "2]");
        assert_eq!(parse("just a title"), (String::new(), "just a title".into(), String::new()));
        assert_eq!(parse(""), (String::new(), String::new(), String::new()));
    }
}
