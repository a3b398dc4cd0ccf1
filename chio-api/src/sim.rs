//! A simulated osu! client: a fixed loop of scenes (menus, a map played, a player
//! spectated, a multiplayer room) written into a [`SharedState`], so that an application can
//! be built against the API without the game.
//!
//! The maps and players are made up.

use std::sync::Arc;
use std::time::Duration;

use crate::source::SharedState;
use crate::state::{
    Beatmap, HostStatus, MatchType, MultiplayerStatus, Room, RoomUser, ScoringType, SlotStatus, Specials,
    SpectatingStatus, Status, Team, TeamType, UserStatus,
};

/// The simulated player's name.
pub const SIM_USERNAME: &str = "chio_sim";

/// Mod flags used by the scenes.
const HIDDEN: u32 = 8;
const HARD_ROCK: u32 = 16;
const DOUBLE_TIME: u32 = 64;

/// One moment of the simulated game: every snapshot at once.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    /// What the scene is, for logs.
    pub label: &'static str,
    /// The player's status.
    pub status: Status,
    /// What the player is spectating.
    pub spectating: SpectatingStatus,
    /// The player's room.
    pub multiplayer: MultiplayerStatus,
}

/// The loop of scenes.
pub fn scenes() -> Vec<Scene> {
    let lullaby = lullaby();
    let marathon = marathon();
    let idle = status(UserStatus::Idle, 0, None);
    let online = MultiplayerStatus { multiplayer_enabled: true, room: None };
    let watching = |host_status: HostStatus| SpectatingStatus {
        is_spectating: true,
        host_status: Some(host_status),
        other_spectators: vec!["quiet_viewer".into(), "night_owl".into()],
        beatmap: Some(marathon.clone()),
    };
    let in_room = |statuses: [SlotStatus; 3]| MultiplayerStatus {
        multiplayer_enabled: true,
        room: Some(room(statuses)),
    };
    let scene = |label, status, spectating, multiplayer| Scene { label, status, spectating, multiplayer };
    vec![
        scene("idle in the main menu", idle.clone(), not_spectating(), online.clone()),
        scene(
            "choosing a map",
            status(UserStatus::Choosing, 0, Some(&lullaby)),
            not_spectating(),
            online.clone(),
        ),
        scene(
            "playing with HD",
            status(UserStatus::Playing, HIDDEN, Some(&lullaby)),
            not_spectating(),
            online.clone(),
        ),
        scene(
            "choosing another map",
            status(UserStatus::Choosing, 0, Some(&marathon)),
            not_spectating(),
            online.clone(),
        ),
        scene("afk", status(UserStatus::Afk, 0, Some(&marathon)), not_spectating(), online.clone()),
        scene(
            "spectating a player",
            status(UserStatus::Spectating, 0, Some(&marathon)),
            watching(HostStatus::Playing),
            online.clone(),
        ),
        scene(
            "the spectated player paused",
            status(UserStatus::Spectating, 0, Some(&marathon)),
            watching(HostStatus::Paused),
            online.clone(),
        ),
        scene(
            "the spectated player passed",
            status(UserStatus::Spectating, 0, Some(&marathon)),
            watching(HostStatus::Passed),
            online.clone(),
        ),
        scene(
            "joined a multiplayer room",
            status(UserStatus::Multiplayer, 0, Some(&lullaby)),
            not_spectating(),
            in_room([SlotStatus::Idle, SlotStatus::NoMap, SlotStatus::Idle]),
        ),
        scene(
            "everyone ready",
            status(UserStatus::Multiplayer, 0, Some(&lullaby)),
            not_spectating(),
            in_room([SlotStatus::Ready, SlotStatus::Ready, SlotStatus::Ready]),
        ),
        scene(
            "playing in the room",
            status(UserStatus::Playing, 0, Some(&lullaby)),
            not_spectating(),
            in_room([SlotStatus::Playing, SlotStatus::Playing, SlotStatus::Playing]),
        ),
        scene("left the room", idle, not_spectating(), online),
    ]
}

fn status(status: UserStatus, mods: u32, beatmap: Option<&Beatmap>) -> Status {
    let beatmap = beatmap.map(|map| with_mods(map, mods));
    Status { status, gamemode: 0, mods, beatmap }
}

fn not_spectating() -> SpectatingStatus {
    SpectatingStatus { is_spectating: false, host_status: None, other_spectators: Vec::new(), beatmap: None }
}

/// The map's difficulty as the mods change it (roughly; enough to see numbers move).
fn with_mods(map: &Beatmap, mods: u32) -> Beatmap {
    let mut map = map.clone();
    if mods & HARD_ROCK != 0 {
        map.diff_size = (map.diff_size * 1.3).min(10.0);
        map.diff_approach = (map.diff_approach * 1.4).min(10.0);
        map.diff_overall = (map.diff_overall * 1.4).min(10.0);
        map.difficultyrating *= 1.1;
    }
    if mods & DOUBLE_TIME != 0 {
        map.bpm *= 1.5;
        map.difficultyrating *= 1.4;
    }
    if mods & HIDDEN != 0 {
        map.difficultyrating *= 1.05;
    }
    map
}

fn lullaby() -> Beatmap {
    Beatmap {
        approved: 1,
        approved_date: Some("2021-03-14 15:09:26".into()),
        last_update: "2021-03-01 12:00:00".into(),
        artist: "Loopback Choir".into(),
        beatmap_id: Some(3_000_001),
        beatmapset_id: Some(1_400_001),
        bpm: 174.0,
        creator: "chio".into(),
        difficultyrating: 5.25,
        diff_size: 4.0,
        diff_overall: 8.0,
        diff_approach: 9.0,
        diff_drain: 5.0,
        hit_length: 142,
        title: "Localhost Lullaby".into(),
        total_length: 151,
        version: "Insane".into(),
        file_md5: "0c9e3a8b1d2f4a5b6c7d8e9f0a1b2c3d".into(),
        gamemode: 0,
        tags: "simulation demo chio".into(),
        max_combo: 1024,
    }
}

fn marathon() -> Beatmap {
    Beatmap {
        approved: -2,
        approved_date: None,
        last_update: "2019-11-02 08:30:00".into(),
        artist: "The Handshakes".into(),
        beatmap_id: None,
        beatmapset_id: None,
        bpm: 128.0,
        creator: "wanderer".into(),
        difficultyrating: 3.1,
        diff_size: 3.5,
        diff_overall: 6.0,
        diff_approach: 7.0,
        diff_drain: 4.0,
        hit_length: 600,
        title: "Keepalive Marathon".into(),
        total_length: 640,
        version: "Stamina".into(),
        file_md5: "f1e2d3c4b5a697887766554433221100".into(),
        gamemode: 0,
        tags: "long unsubmitted".into(),
        max_combo: 0,
    }
}

fn room(statuses: [SlotStatus; 3]) -> Room {
    let players = [
        ("chio_sim", 4_000_001, Team::Red),
        ("night_owl", 4_000_002, Team::Blue),
        ("quiet_viewer", 4_000_003, Team::Blue),
    ];
    let users = players
        .into_iter()
        .zip(statuses)
        .enumerate()
        .map(|(slot, ((username, user_id, team), status))| RoomUser {
            slot: u8::try_from(slot).unwrap_or(u8::MAX),
            username: username.into(),
            user_id,
            status,
            mods: Some(if slot == 0 { HIDDEN } else { 0 }),
            team: Some(team),
        })
        .collect();
    Room {
        matchtype: MatchType::Standard,
        scoring_type: ScoringType::Score,
        team_type: TeamType::TeamVs,
        name: "chio sim lobby".into(),
        has_password: true,
        password: Some("sesame".into()),
        max_slots: 8,
        mods: 0,
        specials: Some(Specials::Freemods),
        users,
    }
}

/// Plays [`scenes`] into a [`SharedState`], one step at a time.
#[derive(Debug)]
pub struct Simulation {
    state: Arc<SharedState>,
    scenes: Vec<Scene>,
    next: usize,
}

impl Simulation {
    /// A simulation writing into `state`: logs [`SIM_USERNAME`] in and shows the first scene.
    pub fn new(state: Arc<SharedState>) -> Self {
        state.set_username(Some(SIM_USERNAME.into()));
        let mut simulation = Self { state, scenes: scenes(), next: 0 };
        simulation.step();
        simulation
    }

    /// Moves to the next scene (after the last, the first again); the scene shown.
    pub fn step(&mut self) -> &Scene {
        let index = self.next % self.scenes.len();
        self.next = index + 1;
        let scene = &self.scenes[index];
        self.state.set_status(scene.status.clone());
        self.state.set_spectating_status(scene.spectating.clone());
        self.state.set_multiplayer_status(scene.multiplayer.clone());
        scene
    }

    /// Steps every `interval`, forever, calling `on_scene` with each scene shown.
    pub async fn run(mut self, interval: Duration, mut on_scene: impl FnMut(&Scene)) {
        let mut ticks = tokio::time::interval(interval);
        ticks.tick().await; // The first tick is immediate; the first scene is already shown.
        loop {
            ticks.tick().await;
            on_scene(self.step());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::EventKind;
    use crate::source::StateSource;

    #[test]
    fn every_kind_of_state_changes_over_the_loop() {
        let state = Arc::new(SharedState::new());
        let mut changes = state.changes();
        let mut simulation = Simulation::new(Arc::clone(&state));
        assert_eq!(state.username().as_deref(), Some(SIM_USERNAME));
        for _ in 0..scenes().len() {
            simulation.step();
        }
        let mut seen = std::collections::BTreeSet::new();
        while let Ok(event) = changes.try_recv() {
            seen.insert(event);
        }
        assert_eq!(seen.into_iter().collect::<Vec<_>>(), EventKind::ALL);
    }

    #[test]
    fn the_loop_wraps_around() {
        let state = Arc::new(SharedState::new());
        let mut simulation = Simulation::new(Arc::clone(&state));
        let first = state.status();
        for _ in 0..scenes().len() {
            simulation.step();
        }
        assert_eq!(state.status(), first);
    }

    #[test]
    fn mods_change_the_numbers() {
        let map = lullaby();
        let hard = with_mods(&map, HARD_ROCK | DOUBLE_TIME);
        assert!(hard.difficultyrating > map.difficultyrating);
        assert!(hard.bpm > map.bpm);
        assert_eq!(with_mods(&map, 0), map);
    }

    #[tokio::test]
    async fn run_steps_on_the_interval() {
        let state = Arc::new(SharedState::new());
        let simulation = Simulation::new(Arc::clone(&state));
        let (seen_tx, mut seen) = tokio::sync::mpsc::unbounded_channel();
        let task = tokio::spawn(simulation.run(Duration::from_millis(5), move |scene| {
            let _ = seen_tx.send(scene.label);
        }));
        assert_eq!(seen.recv().await, Some(scenes()[1].label));
        assert_eq!(seen.recv().await, Some(scenes()[2].label));
        task.abort();
    }
}
