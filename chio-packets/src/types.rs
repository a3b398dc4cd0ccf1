//! Enums and flag sets shared by many packets.
//!
//! Values are the modern ones. Early builds number some of them differently (statuses
//! before b338); the wire structs carry the value as sent, and the event layer above them
//! translates.

use crate::{BanchoEnum, BanchoFlags};

/// What a user is doing.
///
/// The default is [`Idle`](Status::Idle): in the menus, doing nothing, the status a client
/// reports before it does anything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, BanchoEnum)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[repr(u8)]
pub enum Status {
    /// In the menus.
    #[default]
    Idle = 0,
    /// Away from keyboard.
    Afk = 1,
    /// Playing a map.
    Playing = 2,
    /// In the editor.
    Editing = 3,
    /// Modding a map.
    Modding = 4,
    /// In a multiplayer room.
    Multiplayer = 5,
    /// Spectating.
    Watching = 6,
    /// Unknown; before b338 it also means "no status fields follow".
    Unknown = 7,
    /// Testing a map.
    Testing = 8,
    /// Submitting a map.
    Submitting = 9,
    /// Paused (before b338 this value is the "stats update" marker).
    Paused = 10,
    /// In the multiplayer lobby.
    Lobby = 11,
    /// Playing in a multiplayer match.
    Multiplaying = 12,
    /// Browsing osu!direct.
    OsuDirect = 13,
}

/// A game mode.
///
/// The default is [`Osu`](Mode::Osu): value 0, which the builds that send no mode imply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, BanchoEnum)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[repr(u8)]
pub enum Mode {
    /// osu!standard.
    #[default]
    Osu = 0,
    /// osu!taiko.
    Taiko = 1,
    /// osu!catch.
    CatchTheBeat = 2,
    /// osu!mania.
    OsuMania = 3,
}

/// Why a login failed, sent in place of a user id in `BanchoLoginReply`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, BanchoEnum)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[repr(i32)]
pub enum LoginError {
    /// Wrong name or password.
    InvalidLogin = -1,
    /// The client build is too old.
    InvalidVersion = -2,
    /// The account is banned.
    UserBanned = -3,
    /// The account is not activated (clients from b20130801 show it as banned).
    UserInactive = -4,
    /// The server failed.
    ServerError = -5,
    /// Test builds are not allowed for this account.
    UnauthorizedTestBuild = -6,
    /// The password must be reset.
    PasswordReset = -7,
    /// The account must be verified.
    VerificationRequired = -8,
}

bitflags::bitflags! {
    /// Gameplay mods. Carried as `u16` before protocol 11 and `u32` from it; a mod above
    /// bit 15 cannot be sent to an older client (an error, not a silent drop).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, BanchoFlags)]
    #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
    pub struct Mods: u32 {
        /// No fail.
        const NO_FAIL = 1 << 0;
        /// Easy.
        const EASY = 1 << 1;
        /// No video (later: touch device).
        const NO_VIDEO = 1 << 2;
        /// Hidden.
        const HIDDEN = 1 << 3;
        /// Hard rock.
        const HARD_ROCK = 1 << 4;
        /// Sudden death.
        const SUDDEN_DEATH = 1 << 5;
        /// Double time.
        const DOUBLE_TIME = 1 << 6;
        /// Relax.
        const RELAX = 1 << 7;
        /// Half time.
        const HALF_TIME = 1 << 8;
        /// Nightcore (the "Taiko" mod of early builds).
        const NIGHTCORE = 1 << 9;
        /// Flashlight.
        const FLASHLIGHT = 1 << 10;
        /// Autoplay.
        const AUTOPLAY = 1 << 11;
        /// Spun out.
        const SPUN_OUT = 1 << 12;
        /// Autopilot.
        const AUTOPILOT = 1 << 13;
        /// Perfect.
        const PERFECT = 1 << 14;
        /// 4K.
        const KEY4 = 1 << 15;
        /// 5K.
        const KEY5 = 1 << 16;
        /// 6K.
        const KEY6 = 1 << 17;
        /// 7K.
        const KEY7 = 1 << 18;
        /// 8K.
        const KEY8 = 1 << 19;
        /// Fade in.
        const FADE_IN = 1 << 20;
        /// Random.
        const RANDOM = 1 << 21;
        /// Cinema.
        const CINEMA = 1 << 22;
        /// Target practice.
        const TARGET = 1 << 23;
        /// 9K.
        const KEY9 = 1 << 24;
        /// Co-op.
        const KEY_COOP = 1 << 25;
        /// 1K.
        const KEY1 = 1 << 26;
        /// 3K.
        const KEY3 = 1 << 27;
        /// 2K.
        const KEY2 = 1 << 28;
        /// Score V2.
        const SCORE_V2 = 1 << 29;
        /// Mirror.
        const MIRROR = 1 << 30;
    }
}

bitflags::bitflags! {
    /// What a user may do; shown as the colour of their name.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, BanchoFlags)]
    #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
    pub struct Permissions: u32 {
        /// A registered player.
        const REGULAR = 1 << 0;
        /// Beatmap Approval Team.
        const BAT = 1 << 1;
        /// osu!supporter.
        const SUPPORTER = 1 << 2;
        /// A friend of the viewer.
        const FRIEND = 1 << 3;
        /// peppy.
        const PEPPY = 1 << 4;
        /// A tournament client.
        const TOURNAMENT = 1 << 5;
    }
}
