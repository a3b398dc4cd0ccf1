//! Differential tests against the reference (chio 1.1.21), run through
//! scripts/differential.py with the interpreter of scripts/reference-env.sh.
//!
//! - Server direction: the script generates seeded random events (the JSON of
//!   [`ServerEvent`]) for every server packet writer of every revision, with the
//!   reference's packets for each; [`ServerEvent::packets`] must give the same packets
//!   (only the documented departures allowed, each checked exactly), and every reference
//!   payload must decode to the packet we produce.
//! - Client direction: seeded random wire values of every client packet type in every
//!   revision are framed as the build's clients do ([`ClientPacket::write`]); the reference reads each frame and the
//!   script compares what it returns with [`ClientEvent::from_packet`].
//!
//! A missing reference fails the tests (run scripts/reference-env.sh); they never skip.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use chio_packets::beatmaps::OsuBeatmapInfoRequest;
use chio_packets::build::REVISIONS;
use chio_packets::catalog::{CLIENT_PACKETS, ClientPacket, PacketInfo, ServerPacket};
use chio_packets::chat::{self, ClientMessage};
use chio_packets::events::ServerEvent;
use chio_packets::events::client::ClientEvent;
use chio_packets::framing::{CompressionChoice, Frames};
use chio_packets::ids::canonical_id;
use chio_packets::multiplayer::{
    self, Match, MatchSlot, MatchType, ScoringType, SlotStatus, SlotTeam, TeamType,
};
use chio_packets::presence::{OsuUserStatus, UserStatus};
use chio_packets::session::{self as session_packets, PresenceFilter};
use chio_packets::spectating::{self, ButtonState, ReplayAction, ReplayFrame, ReplayFrameBundle, ScoreFrame};
use chio_packets::types::{Mode, Mods, Status};
use chio_packets::{Context, Encode, Limits};
use chio_tests::{hex, reference, unhex};
use serde_json::Value;

/// The seed of both directions (printed, so a failure can be reproduced with the script).
const SEED: u64 = 20250306;
/// Random cases per server writer and revision (unit events get one).
const SERVER_CASES_PER_PACKET: u32 = 24;

use chio_tests::departures::{COMPACT_PRESENCE_BUILD, Departure, Recorded, USER_PRESENCE, compare, encode};

/// How a reference payload decoded compared with the packet we produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Decoded {
    /// Exactly our packet.
    Exact,
    /// Our packet with the fields the build does not send at their defaults (the event
    /// layer fills some of those; they are not on the wire).
    ExactOnTheWire,
}

/// Decodes each reference payload and checks it is the packet we produce (same order as
/// checked by [`compare`]), and that it re-encodes to the reference's bytes.
fn decode_check(
    ours: &[ServerPacket<'_>],
    reference: &[Recorded],
    ctx: Context,
) -> Result<Vec<Decoded>, String> {
    let mut outcomes = Vec::new();
    for (packet, recorded) in ours.iter().zip(reference) {
        let id = canonical_id(recorded.wire_id, ctx.build()).ok_or("unknown wire id")?;
        let decoded = ServerPacket::decode(id, &recorded.payload, ctx, Limits::DEFAULT)
            .map_err(|error| format!("{recorded} does not decode: {error}"))?;
        let mut expected_bytes = recorded.payload.clone();
        if id == USER_PRESENCE && ctx.build() >= COMPACT_PRESENCE_BUILD {
            // Departure 1: the extra mode byte is left unread.
            expected_bytes.pop();
        }
        if encode(&decoded, ctx)? != expected_bytes {
            return Err(format!("{recorded} decodes as {decoded:?}, which re-encodes differently"));
        }
        if decoded == *packet {
            outcomes.push(Decoded::Exact);
            continue;
        }
        let ours_bytes = encode(packet, ctx)?;
        let on_the_wire = ServerPacket::decode(id, &ours_bytes, ctx, Limits::DEFAULT)
            .map_err(|error| format!("our {} does not decode: {error}", packet.name()))?;
        if decoded != on_the_wire {
            return Err(format!("{recorded} decodes as\n  {decoded:?}\nwe produce\n  {packet:?}"));
        }
        outcomes.push(Decoded::ExactOnTheWire);
    }
    Ok(outcomes)
}

/// The random server cases of the script, as (build, event JSON, reference packets).
fn server_cases() -> Vec<(u32, Value, Vec<Recorded>)> {
    let seed = SEED.to_string();
    let cases = SERVER_CASES_PER_PACKET.to_string();
    println!("server direction: scripts/differential.py --seed {seed} --cases-per-packet {cases}");
    let output =
        reference::run(&["scripts/differential.py", "--seed", &seed, "--cases-per-packet", &cases], b"");
    let text = String::from_utf8(output).expect("UTF-8 output");
    text.lines()
        .map(|line| {
            let mut value: Value = serde_json::from_str(line).expect("a JSON line");
            let build = u32::try_from(value["build"].as_u64().expect("build")).expect("u32 build");
            let packets = value["packets"]
                .as_array()
                .expect("packets")
                .iter()
                .map(|packet| Recorded {
                    wire_id: u16::try_from(packet["wire_id"].as_u64().expect("wire_id")).expect("u16"),
                    payload: unhex(packet["payload"].as_str().expect("payload")),
                })
                .collect();
            (build, value["event"].take(), packets)
        })
        .collect()
}

fn variant_name(event: &Value) -> String {
    match event {
        Value::Object(map) => map.keys().next().cloned().unwrap_or_default(),
        other => other.as_str().unwrap_or_default().to_owned(),
    }
}

#[test]
fn server_events_match_the_reference() {
    let cases = server_cases();
    let mut failures: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut departures: BTreeMap<Departure, usize> = BTreeMap::new();
    let mut decoded: BTreeMap<Decoded, usize> = BTreeMap::new();
    let mut builds = BTreeSet::new();
    let mut variants = BTreeSet::new();
    let mut packets = 0;
    for (build, event_json, reference) in &cases {
        builds.insert(*build);
        let variant = variant_name(event_json);
        variants.insert(variant.clone());
        packets += reference.len();
        let event: ServerEvent<'_> = serde_json::from_value(event_json.clone())
            .unwrap_or_else(|error| panic!("{event_json}: {error}"));
        let ctx = Context::new(*build);
        let ours = event.packets(ctx);
        let result = compare(&event, ctx, &ours, reference).and_then(|applied| {
            // The IRC-quit departures have no packet pairs to decode (one side is empty).
            if applied.iter().all(|departure| *departure == Departure::PresenceModeByte) {
                for outcome in decode_check(&ours, reference, ctx)? {
                    *decoded.entry(outcome).or_default() += 1;
                }
            }
            Ok(applied)
        });
        match result {
            Ok(applied) => {
                applied.into_iter().for_each(|departure| *departures.entry(departure).or_default() += 1)
            }
            Err(error) => failures
                .entry(format!("{variant} b{build}"))
                .or_default()
                .push(format!("{event_json}\n{error}")),
        }
    }
    let failed: usize = failures.values().map(Vec::len).sum();
    println!(
        "server direction: {} revisions, {} event kinds, {} cases, {packets} reference packets, {failed} mismatches; departures applied: {departures:?}; reference payloads decoded as our packets: {decoded:?}",
        builds.len(),
        variants.len(),
        cases.len(),
    );
    // The reference's revisions are ours, and every one has cases.
    let revisions: BTreeSet<u32> = REVISIONS.iter().map(|revision| revision.build).collect();
    assert_eq!(builds, revisions, "the reference's revisions with cases");
    if !failures.is_empty() {
        // Per event kind and kind of difference (its message with the digits blanked): the
        // revisions, and the first case.
        let mut groups: BTreeMap<(String, String), (BTreeSet<u32>, usize, String)> = BTreeMap::new();
        for (at, cases) in &failures {
            let (variant, build) = at.split_once(" b").unwrap();
            for case in cases {
                let message = case.lines().nth(1).unwrap_or_default();
                let kind: String =
                    message.chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect();
                let group = groups
                    .entry((variant.to_owned(), kind))
                    .or_insert_with(|| (Default::default(), 0, case.clone()));
                group.0.insert(build.parse().unwrap());
                group.1 += 1;
            }
        }
        let report: Vec<String> = groups
            .iter()
            .map(|((variant, _), (builds, count, example))| {
                let builds: Vec<String> = builds.iter().map(|build| format!("b{build}")).collect();
                format!("{variant}: {count} cases in {}; e.g.:\n{example}", builds.join(" "))
            })
            .collect();
        panic!("{failed} of {} cases differ from the reference:\n\n{}", cases.len(), report.join("\n\n"));
    }
}

// ---------------------------------------------------------------------------------------
// Client direction

/// Random frames per client packet type and revision (packets without a payload get one).
const CLIENT_CASES_PER_PACKET: u32 = 32;

/// SplitMix64: a small deterministic generator, so the cases depend on the seed only.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, build: u32, type_name: &str) -> Self {
        let mut state = seed ^ u64::from(build).rotate_left(32);
        for byte in type_name.bytes() {
            state = (state ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        Self(state)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    fn bool(&mut self) -> bool {
        self.percent(50)
    }

    fn pick<T: Copy>(&mut self, options: &[T]) -> T {
        options[usize::try_from(self.below(options.len() as u64)).unwrap()]
    }

    /// An integer in `min..=max`, biased towards the edges and small values.
    fn int(&mut self, min: i64, max: i64) -> i64 {
        match self.below(10) {
            0 => self.pick(&[min, max, 0.clamp(min, max), 1.clamp(min, max), (-1).clamp(min, max)]),
            1..=4 => (self.below(70_000) as i64 - 300).clamp(min, max),
            _ => min + i64::try_from(self.next() % u64::try_from(max - min + 1).unwrap_or(u64::MAX)).unwrap(),
        }
    }

    fn i32(&mut self) -> i32 {
        i32::try_from(self.int(i32::MIN.into(), i32::MAX.into())).unwrap()
    }

    fn u32(&mut self) -> u32 {
        u32::try_from(self.int(0, u32::MAX.into())).unwrap()
    }

    fn u16(&mut self) -> u16 {
        u16::try_from(self.int(0, u16::MAX.into())).unwrap()
    }

    fn u8(&mut self) -> u8 {
        u8::try_from(self.int(0, u8::MAX.into())).unwrap()
    }

    /// A finite `f32` (any bit pattern but NaN and infinities, or a common value).
    fn f32(&mut self) -> f32 {
        if self.percent(20) {
            return self.pick(&[0.0, -0.0, 1.0, 256.0, -12.5, f32::MAX, f32::MIN_POSITIVE, 1e-45]);
        }
        loop {
            let value = f32::from_bits(self.next() as u32);
            if value.is_finite() {
                return value;
            }
        }
    }

    /// A finite `f64`.
    fn f64(&mut self) -> f64 {
        if self.percent(20) {
            return self.pick(&[0.0, -0.0, 0.5, 1.0, f64::MAX, 5e-324]);
        }
        loop {
            let value = f64::from_bits(self.next());
            if value.is_finite() {
                return value;
            }
        }
    }

    /// Text with multi-byte characters, the whitespace both sides know, and sometimes more
    /// than 127 bytes (a two-byte length).
    fn text(&mut self) -> String {
        #[rustfmt::skip]
        const PIECES: &[&str] = &[
            "a", "b", "z", "A", "0", "9", " ", "_", "#", "[", "]", "(", ")", "é", "ß", "日本", "😀", "\t",
            "\n", "\u{1c}", "\u{a0}", "\u{3000}", "\u{200b}", "[https://osu.ppy.sh osu!]",
        ];
        let len = match self.below(10) {
            0 => 0,
            1 => 60 + self.below(100),
            _ => 1 + self.below(12),
        };
        (0..len).map(|_| self.pick(PIECES)).collect()
    }

    fn ids(&mut self) -> Vec<i32> {
        (0..self.below(6)).map(|_| self.i32()).collect()
    }
}

/// Random wire values for `ctx`'s build: only what the build's layout can carry (the
/// encoder rejects the rest), so every value is one a client of the build can send.
struct WireGen {
    rng: Rng,
    ctx: Context,
}

impl WireGen {
    fn build(&self) -> u32 {
        self.ctx.build()
    }

    /// Mods as wide as the build's status and match fields (16 bits before protocol 11).
    fn mods(&mut self) -> Mods {
        let bits = if self.build() >= 20120818 && self.ctx.protocol() >= 11 {
            self.rng.u32()
        } else {
            u32::from(self.rng.u16())
        };
        Mods::from_bits_retain(bits)
    }

    fn text(&mut self) -> Cow<'static, str> {
        Cow::Owned(self.rng.text())
    }

    fn status(&mut self) -> UserStatus<'static> {
        UserStatus {
            action: Status::try_from(u8::try_from(self.rng.below(14)).unwrap()).unwrap(),
            beatmap_update: self.rng.percent(80),
            text: self.text(),
            beatmap_checksum: if self.rng.percent(30) { Cow::Borrowed("") } else { self.text() },
            mods: self.mods(),
            mode: self.rng.pick(&[Mode::Osu, Mode::Taiko, Mode::CatchTheBeat, Mode::OsuMania]),
            beatmap_id: self.rng.i32(),
        }
    }

    fn message(&mut self) -> ClientMessage<'static> {
        ClientMessage {
            sender: self.text(),
            content: self.text(),
            target: if self.rng.bool() { Cow::Borrowed("#osu") } else { self.text() },
            sender_id: self.rng.i32(),
        }
    }

    fn score_frame(&mut self) -> ScoreFrame<'static> {
        let using_scorev2 = self.build() >= 20151106 && self.rng.bool();
        ScoreFrame {
            checksum: self.text(),
            time: self.rng.i32(),
            id: self.rng.u8(),
            total_300: self.rng.u16(),
            total_100: self.rng.u16(),
            total_50: self.rng.u16(),
            total_geki: self.rng.u16(),
            total_katu: self.rng.u16(),
            total_miss: self.rng.u16(),
            total_score: self.rng.u32(),
            max_combo: self.rng.u16(),
            current_combo: self.rng.u16(),
            perfect: self.rng.bool(),
            hp: if self.rng.percent(20) { 254 } else { self.rng.u8() },
            tag_byte: self.rng.u8(),
            using_scorev2,
            combo_portion: if using_scorev2 { self.rng.f64() } else { 0.0 },
            bonus_portion: if using_scorev2 { self.rng.f64() } else { 0.0 },
        }
    }

    fn bundle(&mut self) -> ReplayFrameBundle<'static> {
        let frames = (0..self.rng.below(6))
            .map(|_| ReplayFrame {
                left: self.rng.bool(),
                right: self.rng.bool(),
                button_state: ButtonState::from_bits_retain(self.rng.u8()),
                legacy_right: if self.rng.percent(70) { 0 } else { self.rng.u8() },
                x: self.rng.f32(),
                y: self.rng.f32(),
                time: self.rng.i32(),
            })
            .collect();
        const ACTIONS: &[ReplayAction] = &[
            ReplayAction::Standard,
            ReplayAction::NewSong,
            ReplayAction::Skip,
            ReplayAction::Completion,
            ReplayAction::Fail,
            ReplayAction::Pause,
            ReplayAction::Unpause,
            ReplayAction::SongSelect,
            ReplayAction::WatchingOther,
        ];
        ReplayFrameBundle {
            extra: self.rng.i32(),
            frames,
            action: self.rng.pick(ACTIONS),
            score_frame: (self.build() >= 294 && self.rng.bool()).then(|| self.score_frame()),
            sequence: self.rng.u16(),
        }
    }

    fn r#match(&mut self) -> Match<'static> {
        let slots = usize::from(self.ctx.slots());
        let freemod = self.rng.bool();
        let slot_mods = if freemod && self.build() >= 20130303 {
            (0..slots).map(|_| self.mods()).collect()
        } else {
            Vec::new()
        };
        Match {
            id: if self.build() < 1796 { u16::from(self.rng.u8()) } else { self.rng.u16() },
            in_progress: self.rng.bool(),
            match_type: self.rng.pick(&[MatchType::Standard, MatchType::Powerplay]),
            mods: self.mods(),
            name: self.text(),
            password: self.text(),
            beatmap_text: self.text(),
            beatmap_id: self.rng.i32(),
            beatmap_checksum: self.text(),
            slots: (0..slots)
                .map(|_| MatchSlot {
                    status: SlotStatus::from_bits_retain(if self.rng.bool() {
                        self.rng.pick(&[1, 2, 4, 8, 16, 32, 64, 128])
                    } else {
                        self.rng.u8()
                    }),
                    team: self.rng.pick(&[SlotTeam::Neutral, SlotTeam::Blue, SlotTeam::Red]),
                    user_id: self.rng.i32(),
                })
                .collect(),
            host_id: self.rng.i32(),
            mode: self.rng.pick(&[Mode::Osu, Mode::Taiko, Mode::CatchTheBeat, Mode::OsuMania]),
            scoring_type: self.rng.pick(&[
                ScoringType::Score,
                ScoringType::Accuracy,
                ScoringType::Combo,
                ScoringType::ScoreV2,
            ]),
            team_type: self.rng.pick(&[
                TeamType::HeadToHead,
                TeamType::TagCoop,
                TeamType::TeamVs,
                TeamType::TagTeamVs,
            ]),
            freemod,
            slot_mods,
            seed: self.rng.i32(),
        }
    }

    /// A random packet of the type called `type_name` (a `ClientPacket` variant).
    fn packet(&mut self, info: &PacketInfo) -> ClientPacket<'static> {
        use ClientPacket as P;
        let r = &mut self.rng;
        match info.type_name {
            "OsuUserStatus" => P::OsuUserStatus(OsuUserStatus(self.status())),
            "OsuMessage" => P::OsuMessage(chat::OsuMessage(self.message())),
            "OsuPrivateMessage" => P::OsuPrivateMessage(chat::OsuPrivateMessage(self.message())),
            "OsuSetIrcAwayMessage" => P::OsuSetIrcAwayMessage(chat::OsuSetIrcAwayMessage(self.message())),
            "OsuLegacyPrivateMessage" => P::OsuLegacyPrivateMessage(chat::OsuLegacyPrivateMessage {
                target: self.text(),
                content: self.text(),
                is_dm: self.rng.percent(80),
            }),
            "OsuExit" => P::OsuExit(session_packets::OsuExit {
                reason: if r.bool() { r.pick(&[0, 1]) } else { r.i32() },
            }),
            "OsuStartSpectating" => {
                P::OsuStartSpectating(spectating::OsuStartSpectating { user_id: r.i32() })
            }
            "OsuSpectateFrames" => P::OsuSpectateFrames(spectating::OsuSpectateFrames(self.bundle())),
            "OsuErrorReport" => P::OsuErrorReport(session_packets::OsuErrorReport(self.text())),
            "OsuMatchCreate" => P::OsuMatchCreate(multiplayer::OsuMatchCreate(self.r#match())),
            "OsuMatchChangeSettings" => {
                P::OsuMatchChangeSettings(multiplayer::OsuMatchChangeSettings(self.r#match()))
            }
            "OsuMatchChangePassword" => {
                P::OsuMatchChangePassword(multiplayer::OsuMatchChangePassword(self.r#match()))
            }
            "OsuMatchChangeBeatmap" => {
                P::OsuMatchChangeBeatmap(multiplayer::OsuMatchChangeBeatmap(self.r#match()))
            }
            "OsuMatchJoin" => {
                P::OsuMatchJoin(multiplayer::OsuMatchJoin { match_id: self.rng.i32(), password: self.text() })
            }
            "OsuMatchChangeSlot" => {
                P::OsuMatchChangeSlot(multiplayer::OsuMatchChangeSlot { slot_id: r.i32() })
            }
            "OsuMatchLock" => P::OsuMatchLock(multiplayer::OsuMatchLock { slot_id: r.i32() }),
            "OsuMatchTransferHost" => {
                P::OsuMatchTransferHost(multiplayer::OsuMatchTransferHost { slot_id: r.i32() })
            }
            "OsuMatchScoreUpdate" => {
                P::OsuMatchScoreUpdate(spectating::OsuMatchScoreUpdate(self.score_frame()))
            }
            // An `i32` on the wire.
            "OsuMatchChangeMods" => P::OsuMatchChangeMods(multiplayer::OsuMatchChangeMods {
                mods: Mods::from_bits_retain(r.u32() & 0x7fff_ffff),
            }),
            "OsuChannelJoin" => P::OsuChannelJoin(chat::OsuChannelJoin(self.text())),
            "OsuChannelLeave" => P::OsuChannelLeave(chat::OsuChannelLeave(self.text())),
            "OsuBeatmapInfoRequest" => P::OsuBeatmapInfoRequest(OsuBeatmapInfoRequest {
                filenames: (0..self.rng.below(5)).map(|_| self.text()).collect(),
                ids: if self.build() >= 490 { self.rng.ids() } else { Vec::new() },
            }),
            "OsuFriendsAdd" => P::OsuFriendsAdd(session_packets::OsuFriendsAdd { user_id: r.i32() }),
            "OsuFriendsRemove" => P::OsuFriendsRemove(session_packets::OsuFriendsRemove { user_id: r.i32() }),
            "OsuReceiveUpdates" => P::OsuReceiveUpdates(session_packets::OsuReceiveUpdates(r.pick(&[
                PresenceFilter::NoPlayers,
                PresenceFilter::All,
                PresenceFilter::Friends,
            ]))),
            "OsuUserStatsRequest" => {
                P::OsuUserStatsRequest(session_packets::OsuUserStatsRequest { ids: r.ids() })
            }
            "OsuPresenceRequest" => {
                P::OsuPresenceRequest(session_packets::OsuPresenceRequest { ids: r.ids() })
            }
            "OsuInvite" => P::OsuInvite(chat::OsuInvite { user_id: r.i32() }),
            "OsuTournamentMatchInfo" => {
                P::OsuTournamentMatchInfo(multiplayer::OsuTournamentMatchInfo { match_id: r.i32() })
            }
            "OsuTournamentJoinMatchChannel" => {
                P::OsuTournamentJoinMatchChannel(multiplayer::OsuTournamentJoinMatchChannel {
                    match_id: r.i32(),
                })
            }
            "OsuTournamentLeaveMatchChannel" => {
                P::OsuTournamentLeaveMatchChannel(multiplayer::OsuTournamentLeaveMatchChannel {
                    match_id: r.i32(),
                })
            }
            "OsuChangeFriendOnlyDms" => {
                P::OsuChangeFriendOnlyDms(chat::OsuChangeFriendOnlyDms(if r.bool() {
                    r.pick(&[0, 1])
                } else {
                    r.i32()
                }))
            }
            // The rest have no payload.
            other => match ClientPacket::decode(info.id, &[], self.ctx, Limits::DEFAULT) {
                Ok(packet) if packet.info().type_name == other && packet.encoded_len(self.ctx) == 0 => packet,
                _ => panic!("no generator for {other} (b{})", self.build()),
            },
        }
    }
}

/// Our event as JSON for the script: `f32` fields are written as the `f64` of the same
/// value (the reference reads them into Python floats, which are doubles).
fn event_json(event: &ClientEvent<'_>) -> Value {
    let mut value = serde_json::to_value(event).expect("event JSON");
    if let ClientEvent::SpectateFrames(bundle) = event {
        for (frame, json) in
            bundle.frames.iter().zip(value["SpectateFrames"]["frames"].as_array_mut().unwrap())
        {
            json["x"] = serde_json::json!(f64::from(frame.x));
            json["y"] = serde_json::json!(f64::from(frame.y));
        }
    }
    value
}

#[test]
fn client_packets_read_as_the_reference_reads_them() {
    let mut lines = String::new();
    let mut types = BTreeSet::new();
    let mut frames = 0;
    let mut rejected = 0;
    for revision in REVISIONS {
        let ctx = Context::new(revision.build);
        for info in CLIENT_PACKETS.iter().filter(|info| info.exists_in(revision.build)) {
            types.insert(info.type_name);
            let mut generator = WireGen { rng: Rng::new(SEED, revision.build, info.type_name), ctx };
            let cases = if info.layout.fields_in(ctx).next().is_none() { 1 } else { CLIENT_CASES_PER_PACKET };
            for _ in 0..cases {
                let packet = generator.packet(info);
                let mut frame = Vec::new();
                packet.write(&mut frame, ctx, CompressionChoice::BuildDefault).unwrap_or_else(|error| {
                    panic!("b{} {}: {error}: {packet:?}", revision.build, info.type_name)
                });
                // What we read back from our own frame, and what it means.
                let read =
                    Frames::new(&frame, ctx, Limits::DEFAULT).next().expect("one frame").expect("a frame");
                let decoded =
                    ClientPacket::decode_frame(&read, ctx, Limits::DEFAULT).expect("our frame decodes");
                let mut line = serde_json::json!({
                    "build": revision.build,
                    "packet": info.name,
                    "hex": hex(&frame),
                });
                match ClientEvent::from_packet(decoded, ctx) {
                    Ok(event) => line["expected"] = event_json(&event),
                    Err(error) => {
                        // The variant name (`NotDirectMessage`), which the script maps to the
                        // reference's error.
                        let debug = format!("{error:?}");
                        let kind = debug.split([' ', '{', '(']).next().unwrap_or_default();
                        line["expected_error"] =
                            serde_json::json!({"kind": kind, "message": error.to_string()});
                        rejected += 1;
                    }
                }
                lines.push_str(&line.to_string());
                lines.push('\n');
                frames += 1;
            }
        }
    }
    // Kept when the check fails, to rerun the script on it.
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("differential-client-{}.jsonl", std::process::id()));
    std::fs::write(&path, &lines).expect("writing the client frames");
    let python = reference::python();
    println!("client direction: scripts/differential.py --check-client {}", path.display());
    let output = std::process::Command::new(&python)
        .arg("scripts/differential.py")
        .arg("--check-client")
        .arg(&path)
        .current_dir(reference::workspace())
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}; {}", python.display(), reference::SETUP));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mismatches: Vec<&str> = stdout.lines().collect();
    println!(
        "client direction: {} revisions, {} packet types, {frames} frames ({rejected} that both sides must reject), {} mismatches\n{stderr}",
        REVISIONS.len(),
        types.len(),
        mismatches.len(),
    );
    if output.status.success() && mismatches.is_empty() {
        let _ = std::fs::remove_file(&path);
    }
    assert!(
        output.status.success() && mismatches.is_empty(),
        "the reference reads {} of {frames} frames differently ({}):\n{}\n{stderr}",
        mismatches.len(),
        output.status,
        mismatches.iter().take(40).copied().collect::<Vec<_>>().join("\n"),
    );
}
