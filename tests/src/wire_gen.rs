//! Seeded random client packets for every client packet type of every build: the
//! differential test sends them to the reference, the CLI tests through `chio`.

use std::borrow::Cow;

use chio_packets::beatmaps::OsuBeatmapInfoRequest;
use chio_packets::catalog::{ClientPacket, PacketInfo};
use chio_packets::chat::{self, ClientMessage};
use chio_packets::multiplayer::{
    self, Match, MatchSlot, MatchType, ScoringType, SlotStatus, SlotTeam, TeamType,
};
use chio_packets::presence::{OsuUserStatus, UserStatus};
use chio_packets::session::{self as session_packets, PresenceFilter};
use chio_packets::spectating::{self, ButtonState, ReplayAction, ReplayFrame, ReplayFrameBundle, ScoreFrame};
use chio_packets::types::{Mode, Mods, Status};
use chio_packets::{Context, Encode};

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
pub struct WireGen {
    rng: Rng,
    ctx: Context,
}

impl WireGen {
    /// A generator for `ctx`'s build whose values depend on `seed`, the build and
    /// `type_name` only (so adding a packet type leaves the others' cases alone).
    pub fn new(seed: u64, ctx: Context, type_name: &str) -> Self {
        Self { rng: Rng::new(seed, ctx.build(), type_name), ctx }
    }

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
    /// A random packet of type `info` that a client of the build can send.
    ///
    /// Panics for a client packet type it has no generator for (a new type needs one).
    pub fn packet(&mut self, info: &PacketInfo) -> ClientPacket<'static> {
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
            other => match <chio_packets::FromClient as chio_packets::PacketSet>::decode(
                info.id,
                &mut chio_packets::Reader::new(&[]),
                self.ctx,
            ) {
                Ok(packet) if packet.info().type_name == other && packet.encoded_len(self.ctx) == 0 => packet,
                _ => panic!("no generator for {other} (b{})", self.build()),
            },
        }
    }
}
