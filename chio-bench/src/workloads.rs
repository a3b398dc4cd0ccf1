//! The workloads of the benchmarks, built deterministically (a fixed-seed generator), so
//! that every run, every test and the reference timing script see the same values and
//! the same bytes.
//!
//! | workload | direction | content |
//! |---|---|---|
//! | [`login_events`] | server → client | the login burst: login reply, protocol, permissions, presence and statistics of [`USERS`] users, [`CHANNELS`] channels, the end of the channel list, [`MESSAGES`] chat messages |
//! | [`client_upload`] | client → server | [`CLIENT_PACKETS`] mixed packets: status changes, chat messages, pongs, spectator frame bundles of [`REPLAY_FRAMES`] frames |
//!
//! The login burst is a list of [`ServerEvent`]s: [`login_burst`] lays it out for a build
//! through the event layer, the way the reference's writers do, so the same events give
//! the modern workload and the old-era ones (b20120818, b282).
//!
//! Every string is non-empty and every time zone is at least UTC: `bancho-packets` 5.3.1
//! cannot read the empty-string form `0x00`, and adds 24 to a `u8` offset (negative
//! offsets overflow it), and the comparison with it needs both directions to work.

use std::borrow::Cow;

use chio_packets::Context;
use chio_packets::catalog::{ClientPacket, ServerPacket};
use chio_packets::chat::{Channel, ClientMessage, OsuMessage};
use chio_packets::country::Country;
use chio_packets::events::{Activity, ChatMessage, LoginResult, Presence, ServerEvent, Stats, UserInfo};
use chio_packets::presence::{OsuUserStatus, UserStatus};
use chio_packets::session::OsuPong;
use chio_packets::spectating::{
    ButtonState, OsuSpectateFrames, ReplayAction, ReplayFrame, ReplayFrameBundle, ScoreFrame,
};
use chio_packets::types::{Mode, Mods, Permissions, Status};

/// The modern build (workloads 1, 2 and 4).
pub const MODERN_BUILD: u32 = 20250306;
/// A 2012 build (workload 3): the issue expects gzip above 150 bytes here, but servers
/// stopped compressing at b1800 (the reference's b1800 writer and chio-rs alike), so this
/// is the old layouts uncompressed.
pub const UNCOMPRESSED_ERA_BUILD: u32 = 20120818;
/// The last build of the gzip-above-150-bytes era, b334–b1799 (workload 3).
pub const THRESHOLD_ERA_BUILD: u32 = 1797;
/// The first build: gzip on every payload (workload 3).
pub const GZIP_ERA_BUILD: u32 = 282;
/// The builds of workload 3, newest first.
pub const OLD_BUILDS: [u32; 3] = [UNCOMPRESSED_ERA_BUILD, THRESHOLD_ERA_BUILD, GZIP_ERA_BUILD];
/// Users in the login burst (one presence and one statistics packet each, modern).
pub const USERS: usize = 1_000;
/// Channels in the login burst.
pub const CHANNELS: usize = 20;
/// Chat messages in the login burst.
pub const MESSAGES: usize = 200;
/// Packets in the client upload.
pub const CLIENT_PACKETS: usize = 10_000;
/// Replay frames in each spectator frame bundle of the client upload.
pub const REPLAY_FRAMES: usize = 20;
/// The chunk size of the streaming decoder's input (one TCP segment of a 1500-byte MTU).
pub const CHUNK: usize = 1_460;
/// The user id of the logged-in user.
pub const SELF_ID: i32 = 1_000;

/// SplitMix64: a tiny, fixed, well-mixed generator, so the workloads never change.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator with a fixed seed.
    pub const fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        // The span of every range used here fits an i64 and is positive.
        lo + i64::try_from(self.below(u64::try_from(hi - lo + 1).unwrap_or(1))).unwrap_or(0)
    }

    /// One element of `items` (non-empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const NAME_PARTS: &[&str] = &[
    "cookie",
    "Shiro",
    "mrekk",
    "Akolibed",
    "Rafis",
    "nyan",
    "Vaxei",
    "kano",
    "Lunar",
    "azer",
    "Mathi",
    "Ryuk",
    "yaya",
    "_Rei",
    "Spare",
    "Aireu",
    "Whitecat",
    "fieryrage",
    "Karthy",
    "idke",
    "Nagi",
    "BeasttrollMC",
    "Cel",
    "WubWoofWolf",
    "Bubbleman",
    "ppy",
];
const MAP_NAMES: &[&str] = &[
    "Camellia - Exit This Earth's Atomosphere [Evolution]",
    "xi - FREEDOM DiVE [FOUR DIMENSIONS]",
    "Will Stetson - Harumachi Clover (Swing Arrangement) [Dictate Edit]",
    "Tsukiyama Sachiko - Hoshi no Kakera [Insane]",
    "DragonForce - Through the Fire and Flames [Legend]",
    "Various Artists - Songs Compilation [Marathon]",
    "ClariS - Connect [Hard]",
    "Eve - Kaikai Kitan [Extra]",
    "YOASOBI - Yoru ni Kakeru [Night]",
    "nekodex - little drop [Easy]",
];
const IDLE_TEXTS: &[&str] = &["in the menus", "browsing", "afk", "listening to music"];
const CHANNEL_NAMES: &[&str] = &[
    "#osu",
    "#announce",
    "#lobby",
    "#english",
    "#japanese",
    "#german",
    "#french",
    "#spanish",
    "#russian",
    "#korean",
    "#chinese",
    "#polish",
    "#taiko",
    "#mania",
    "#ctb",
    "#help",
    "#modreqs",
    "#videogames",
    "#balkan",
    "#indonesian",
];
const WORDS: &[&str] = &[
    "hello",
    "gg",
    "wp",
    "that",
    "map",
    "is",
    "so",
    "hard",
    "anyone",
    "want",
    "to",
    "play",
    "multi",
    "?",
    "lol",
    "the",
    "new",
    "ranked",
    "set",
    "has",
    "great",
    "jumps",
    "streams",
    "and",
    "I",
    "just",
    "got",
    "a",
    "pp",
    "record",
    "on",
    "it",
    "farm",
    "aim",
    "speed",
    "reading",
    "nice",
    "rank",
    "up",
    "ありがとう",
    "よろしく",
    "💀",
    "🎉",
    "Grüße",
    "ça",
    "va",
];

/// A 32-character lowercase hex string, like a map's MD5.
fn checksum(rng: &mut Rng) -> String {
    format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64())
}

/// A chat line of roughly `words` words.
fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut text = String::new();
    for i in 0..words.max(1) {
        if i > 0 {
            text.push(' ');
        }
        let word: &&str = rng.pick(WORDS);
        text.push_str(word);
    }
    text
}

/// Message lengths as chat has them: mostly short, some long.
fn message_words(rng: &mut Rng) -> usize {
    match rng.below(10) {
        0..=5 => usize::try_from(rng.range(1, 8)).unwrap_or(1),
        6..=8 => usize::try_from(rng.range(9, 25)).unwrap_or(9),
        _ => usize::try_from(rng.range(26, 70)).unwrap_or(26),
    }
}

fn mods(rng: &mut Rng) -> Mods {
    let choices = [
        Mods::empty(),
        Mods::HIDDEN,
        Mods::HIDDEN | Mods::DOUBLE_TIME,
        Mods::HARD_ROCK,
        Mods::HIDDEN | Mods::HARD_ROCK,
        Mods::DOUBLE_TIME | Mods::NIGHTCORE,
        Mods::FLASHLIGHT | Mods::HIDDEN,
        Mods::NO_FAIL | Mods::EASY,
    ];
    *rng.pick(&choices)
}

fn user(rng: &mut Rng, index: usize) -> UserInfo<'static> {
    let id = SELF_ID + 1 + i32::try_from(index).unwrap_or(0);
    let name = format!("{}{}", *rng.pick(NAME_PARTS), rng.below(10_000));
    let playing = rng.chance(60);
    let (action, text, beatmap_checksum, beatmap_id) = if playing {
        let action = *rng.pick(&[Status::Playing, Status::Multiplaying, Status::Watching, Status::Editing]);
        (
            action,
            (*rng.pick(MAP_NAMES)).to_owned(),
            checksum(rng),
            i32::try_from(rng.below(4_000_000)).unwrap_or(0),
        )
    } else {
        let action = *rng.pick(&[Status::Idle, Status::Afk, Status::Lobby, Status::OsuDirect]);
        (action, (*rng.pick(IDLE_TEXTS)).to_owned(), checksum(rng), 0)
    };
    // Accuracy as the reference stores it: a percentage with two decimals over 100, in f32,
    // so that every library in the comparison writes the same f32 bits.
    #[allow(clippy::cast_precision_loss)]
    let accuracy_percent = rng.range(8_500, 9_999) as f32 / 100.0;
    UserInfo {
        id,
        name: Cow::Owned(name),
        presence: Presence {
            is_irc: false,
            timezone: i8::try_from(rng.range(0, 14)).unwrap_or(0),
            country: Country::from_index(u8::try_from(rng.range(1, 252)).unwrap_or(0)).unwrap_or_default(),
            city: Cow::Borrowed(""),
            permissions: if rng.chance(30) {
                Permissions::REGULAR | Permissions::SUPPORTER
            } else {
                Permissions::REGULAR
            },
            #[allow(clippy::cast_precision_loss)]
            longitude: rng.range(-18_000, 18_000) as f32 / 100.0,
            #[allow(clippy::cast_precision_loss)]
            latitude: rng.range(-9_000, 9_000) as f32 / 100.0,
        },
        status: Activity {
            action,
            text: Cow::Owned(text),
            beatmap_checksum: Cow::Owned(beatmap_checksum),
            mods: mods(rng),
            mode: *rng.pick(&[
                Mode::Osu,
                Mode::Osu,
                Mode::Osu,
                Mode::Taiko,
                Mode::CatchTheBeat,
                Mode::OsuMania,
            ]),
            beatmap_id,
            update_stats: false,
        },
        stats: Stats {
            rank: i32::try_from(rng.range(1, 2_000_000)).unwrap_or(1),
            ranked_score: rng.below(40_000_000_000),
            total_score: rng.below(200_000_000_000),
            accuracy: f64::from(accuracy_percent / 100.0),
            play_count: u32::try_from(rng.below(200_000)).unwrap_or(0),
            pp: u16::try_from(rng.below(30_000)).unwrap_or(0),
        },
    }
}

/// The users of the login burst.
pub fn users() -> Vec<UserInfo<'static>> {
    let mut rng = Rng::new(0x0c41_0b0e);
    (0..USERS).map(|index| user(&mut rng, index)).collect()
}

/// The login burst as events, in the order a server sends them after a login.
pub fn login_events() -> Vec<ServerEvent<'static>> {
    let mut rng = Rng::new(0x1060_1b0c);
    let users = users();
    let mut events = vec![
        ServerEvent::LoginReply(LoginResult::Success(SELF_ID)),
        ServerEvent::ProtocolNegotiation(Some(19)),
        ServerEvent::LoginPermissions(Permissions::REGULAR | Permissions::SUPPORTER),
    ];
    for user in &users {
        events.push(ServerEvent::UserPresence(user.clone()));
        events.push(ServerEvent::UserStats(user.clone()));
    }
    for name in CHANNEL_NAMES.iter().take(CHANNELS) {
        let topic = format!("{} {}", name.trim_start_matches('#'), sentence(&mut rng, 4));
        events.push(ServerEvent::ChannelAvailable(Channel {
            name: Cow::Borrowed(name),
            topic: Cow::Owned(topic),
            user_count: i16::try_from(rng.range(1, 3_000)).unwrap_or(1),
        }));
    }
    events.push(ServerEvent::ChannelInfoComplete);
    for _ in 0..MESSAGES {
        let sender = rng.pick(&users);
        let words = message_words(&mut rng);
        let target = match rng.below(10) {
            0..=5 => Cow::Borrowed("#osu"),
            6 => Cow::Borrowed("#announce"),
            7..=8 => Cow::Borrowed(*rng.pick(&CHANNEL_NAMES[2..])),
            _ => Cow::Owned(rng.pick(&users).name.to_string()),
        };
        events.push(ServerEvent::Message(ChatMessage {
            sender: sender.name.clone(),
            content: Cow::Owned(sentence(&mut rng, words)),
            target,
            sender_id: sender.id,
        }));
    }
    events
}

/// The packets `events` become for `ctx`'s build (events a build has no packet for give
/// none, as in the reference).
pub fn login_burst<'e>(events: &'e [ServerEvent<'_>], ctx: Context) -> Vec<ServerPacket<'e>> {
    events.iter().flat_map(|event| event.packets(ctx)).collect()
}

fn replay_frame(rng: &mut Rng, time: i32) -> ReplayFrame {
    #[allow(clippy::cast_precision_loss)]
    ReplayFrame {
        left: false,
        right: false,
        button_state: ButtonState::from_bits_retain(u8::try_from(rng.below(4)).unwrap_or(0)),
        legacy_right: 0,
        x: rng.range(0, 51_200) as f32 / 100.0,
        y: rng.range(0, 38_400) as f32 / 100.0,
        time,
    }
}

fn score_frame(rng: &mut Rng, time: i32) -> ScoreFrame<'static> {
    let total_300 = u16::try_from(rng.below(2_000)).unwrap_or(0);
    ScoreFrame {
        checksum: Cow::Borrowed(""),
        time,
        id: 0,
        total_300,
        total_100: u16::try_from(rng.below(100)).unwrap_or(0),
        total_50: u16::try_from(rng.below(20)).unwrap_or(0),
        total_geki: u16::try_from(rng.below(300)).unwrap_or(0),
        total_katu: u16::try_from(rng.below(100)).unwrap_or(0),
        total_miss: u16::try_from(rng.below(10)).unwrap_or(0),
        total_score: u32::try_from(rng.below(100_000_000)).unwrap_or(0),
        max_combo: total_300,
        current_combo: u16::try_from(rng.below(u64::from(total_300) + 1)).unwrap_or(0),
        perfect: false,
        hp: u8::try_from(rng.below(201)).unwrap_or(0),
        tag_byte: 0,
        using_scorev2: false,
        combo_portion: 0.0,
        bonus_portion: 0.0,
    }
}

/// The client upload: [`CLIENT_PACKETS`] packets in a fixed pseudo-random mix of 40 %
/// spectator frame bundles, 25 % pongs, 20 % chat messages and 15 % status changes.
///
/// The chat messages carry the player's own name as sender (real clients send an empty
/// one, which `bancho-packets` cannot read back).
pub fn client_upload() -> Vec<ClientPacket<'static>> {
    let mut rng = Rng::new(0xc11e_2700);
    let me = user(&mut rng, 0);
    let mut time = 0i32;
    let mut sequence = 0u16;
    (0..CLIENT_PACKETS)
        .map(|_| match rng.below(100) {
            0..40 => {
                let frames = (0..REPLAY_FRAMES)
                    .map(|_| {
                        time += i32::try_from(rng.range(8, 24)).unwrap_or(16);
                        replay_frame(&mut rng, time)
                    })
                    .collect();
                sequence = sequence.wrapping_add(1);
                ClientPacket::OsuSpectateFrames(OsuSpectateFrames(ReplayFrameBundle {
                    extra: 0,
                    frames,
                    action: ReplayAction::Standard,
                    score_frame: Some(score_frame(&mut rng, time)),
                    sequence,
                }))
            }
            40..65 => ClientPacket::OsuPong(OsuPong),
            65..85 => {
                let words = message_words(&mut rng);
                ClientPacket::OsuMessage(OsuMessage(ClientMessage {
                    sender: me.name.clone(),
                    content: Cow::Owned(sentence(&mut rng, words)),
                    target: Cow::Borrowed(*rng.pick(&CHANNEL_NAMES[..6])),
                    sender_id: me.id,
                }))
            }
            _ => {
                let other = user(&mut rng, 1);
                ClientPacket::OsuUserStatus(OsuUserStatus(UserStatus {
                    action: other.status.action,
                    beatmap_update: true,
                    text: other.status.text,
                    beatmap_checksum: other.status.beatmap_checksum,
                    mods: other.status.mods,
                    mode: other.status.mode,
                    beatmap_id: other.status.beatmap_id,
                }))
            }
        })
        .collect()
}

/// The packets of the client upload that `bancho-packets` models (status changes, chat
/// messages, pongs): it carries spectator frames only as opaque bytes.
pub fn client_upload_peer_subset(upload: &[ClientPacket<'static>]) -> Vec<ClientPacket<'static>> {
    upload.iter().filter(|packet| !matches!(packet, ClientPacket::OsuSpectateFrames(_))).cloned().collect()
}

/// The context of a build, with its default protocol and slots.
pub const fn ctx(build: u32) -> Context {
    Context::new(build)
}
