//! The game state the API serves: status, spectating and multiplayer, with the beatmap object.
//!
//! Every text-valued enum here is open: a value this version does not know is kept as
//! `Other(text)`, so a client built against this crate keeps working when the game adds
//! a status.

use serde::{Deserialize, Serialize};

/// Declares an open string enum: known values as variants, anything else kept as `Other`.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version does not know, kept as written.
            Other(String),
        }

        impl $name {
            /// The wire text of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(text) => text,
                }
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                match text {
                    $($wire => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok(Self::from(&*text))
            }
        }
    };
}

open_enum! {
    /// What the player is doing.
    UserStatus {
        /// In the main menu, doing nothing in particular.
        Idle = "idle",
        /// Playing a map.
        Playing = "playing",
        /// Watching another player.
        Spectating = "spectating",
        /// Away from the keyboard.
        Afk = "afk",
        /// In the beatmap editor.
        Editing = "editing",
        /// Modding a map.
        Modding = "modding",
        /// Choosing a map in song select.
        Choosing = "choosing",
        /// In a multiplayer room.
        Multiplayer = "multiplayer",
    }
}

open_enum! {
    /// What the spectated player is doing.
    HostStatus {
        /// Playing a map.
        Playing = "playing",
        /// Choosing a map.
        Selecting = "selecting",
        /// Paused in a map.
        Paused = "paused",
        /// Failed the map.
        Failed = "failed",
        /// Passed the map.
        Passed = "passed",
    }
}

open_enum! {
    /// The kind of a multiplayer room.
    MatchType {
        /// An ordinary room.
        Standard = "standard",
        /// A powerplay room.
        Powerplay = "powerplay",
    }
}

open_enum! {
    /// How a room ranks its players.
    ScoringType {
        /// By score.
        Score = "score",
        /// By accuracy.
        Accuracy = "accuracy",
        /// By combo.
        Combo = "combo",
    }
}

open_enum! {
    /// How a room forms teams.
    TeamType {
        /// Every player for themself.
        HeadToHead = "head_to_head",
        /// Everyone plays one map together.
        TagCoop = "tag_coop",
        /// Red against blue.
        TeamVs = "team_vs",
        /// Red against blue, taking turns.
        TagTeamVs = "tag_team_vs",
    }
}

open_enum! {
    /// A room's special rules.
    Specials {
        /// Each player picks their own mods.
        Freemods = "freemods",
    }
}

open_enum! {
    /// What a player in a room is doing.
    SlotStatus {
        /// Not ready.
        Idle = "idle",
        /// Ready to start.
        Ready = "ready",
        /// Missing the room's map.
        NoMap = "no_map",
        /// Playing.
        Playing = "playing",
    }
}

open_enum! {
    /// A team in a team room.
    Team {
        /// The red team.
        Red = "red",
        /// The blue team.
        Blue = "blue",
    }
}

/// A beatmap as the API describes it (the fields of the osu! web API's beatmap object).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Beatmap {
    /// Ranked status: 4 loved, 3 qualified, 2 approved, 1 ranked, 0 pending, -1 WIP, -2 graveyard.
    pub approved: i8,
    /// When the map was ranked (`YYYY-MM-DD hh:mm:ss`), if it is.
    pub approved_date: Option<String>,
    /// When the map was last updated (`YYYY-MM-DD hh:mm:ss`).
    pub last_update: String,
    /// The song's artist.
    pub artist: String,
    /// The difficulty's id, if submitted.
    pub beatmap_id: Option<u32>,
    /// The set's id, if submitted.
    pub beatmapset_id: Option<u32>,
    /// Beats per minute.
    pub bpm: f64,
    /// The mapper.
    pub creator: String,
    /// Star rating, with the current mods.
    pub difficultyrating: f64,
    /// Circle size, with the current mods.
    pub diff_size: f64,
    /// Overall difficulty, with the current mods.
    pub diff_overall: f64,
    /// Approach rate, with the current mods.
    pub diff_approach: f64,
    /// HP drain, with the current mods.
    pub diff_drain: f64,
    /// Seconds from the first to the last object, breaks excluded.
    pub hit_length: u32,
    /// The song's title.
    pub title: String,
    /// Seconds from start to end.
    pub total_length: u32,
    /// The difficulty's name.
    pub version: String,
    /// MD5 of the `.osu` file, in lowercase hex.
    pub file_md5: String,
    /// The map's own mode: 0 osu!, 1 taiko, 2 catch, 3 mania.
    pub gamemode: u8,
    /// Space-separated search tags.
    pub tags: String,
    /// The highest combo the map allows; `0` when the game does not know it (an
    /// unsubmitted or unparsed map). Always a number on the wire, as in the concept; a
    /// `null` from another server reads as `0`.
    #[serde(deserialize_with = "null_as_zero")]
    pub max_combo: u32,
}

/// Reads a number, or `null` as `0`.
fn null_as_zero<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    Ok(Option::<u32>::deserialize(deserializer)?.unwrap_or(0))
}

/// The player's status, answered to `status` and pushed to its subscribers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Status {
    /// What the player is doing.
    pub status: UserStatus,
    /// The selected mode: 0 osu!, 1 taiko, 2 catch, 3 mania.
    pub gamemode: u8,
    /// The enabled mods as the game's bit flags.
    pub mods: u32,
    /// The selected map, or `null` with none.
    pub beatmap: Option<Beatmap>,
}

/// What the player is spectating, answered to `spectating_status` and pushed to its subscribers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpectatingStatus {
    /// Whether the player is spectating someone.
    pub is_spectating: bool,
    /// What the spectated player is doing, `null` when not spectating.
    pub host_status: Option<HostStatus>,
    /// The other players watching the same host.
    pub other_spectators: Vec<String>,
    /// The host's map, or `null` when the player does not have it.
    pub beatmap: Option<Beatmap>,
}

/// The player's multiplayer room, answered to `multiplayer_status` and pushed to its subscribers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MultiplayerStatus {
    /// Whether multiplayer is available (the player is online).
    pub multiplayer_enabled: bool,
    /// The room, or `null` when not in one.
    pub room: Option<Room>,
}

/// A multiplayer room.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Room {
    /// The room's kind.
    pub matchtype: MatchType,
    /// How players are ranked.
    pub scoring_type: ScoringType,
    /// How teams are formed.
    pub team_type: TeamType,
    /// The room's name.
    pub name: String,
    /// Whether joining needs a password.
    pub has_password: bool,
    /// The password (`""` for none); present only for sessions holding `interact`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// How many slots the room has.
    pub max_slots: u8,
    /// The room's mods as the game's bit flags.
    pub mods: u32,
    /// Special rules, or `null`.
    pub specials: Option<Specials>,
    /// The players, by slot.
    pub users: Vec<RoomUser>,
}

impl Room {
    /// The room without its password, as readers without `interact` see it.
    #[must_use]
    pub fn redacted(mut self) -> Self {
        self.password = None;
        self
    }
}

/// A player in a room.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomUser {
    /// The slot, from 0.
    pub slot: u8,
    /// The player's name.
    pub username: String,
    /// The player's id.
    pub user_id: u32,
    /// What the player is doing.
    pub status: SlotStatus,
    /// The player's own mods; present only in free-mod rooms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mods: Option<u32>,
    /// The player's team; present only in team rooms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<Team>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn open_enums_keep_unknown_values() {
        assert_eq!(UserStatus::from("choosing"), UserStatus::Choosing);
        let other: UserStatus = serde_json::from_value(json!("testing")).unwrap();
        assert_eq!(other, UserStatus::Other("testing".into()));
        assert_eq!(serde_json::to_value(&other).unwrap(), json!("testing"));
        assert_eq!(serde_json::to_value(TeamType::TagTeamVs).unwrap(), json!("tag_team_vs"));
        assert_eq!(SlotStatus::NoMap.to_string(), "no_map");
    }

    #[test]
    fn optional_room_fields_are_left_out_when_absent() {
        let user = RoomUser {
            slot: 0,
            username: "a".into(),
            user_id: 1,
            status: SlotStatus::Ready,
            mods: None,
            team: None,
        };
        assert_eq!(
            serde_json::to_value(&user).unwrap(),
            json!({"slot": 0, "username": "a", "user_id": 1, "status": "ready"})
        );
    }

    #[test]
    fn max_combo_is_always_a_number() {
        // The simulation's unsubmitted map: ids null, max_combo 0 (unknown), never null.
        let map = crate::sim::scenes()
            .into_iter()
            .find_map(|scene| scene.status.beatmap.filter(|map| map.beatmap_id.is_none()))
            .expect("an unsubmitted map");
        let value = serde_json::to_value(&map).unwrap();
        assert_eq!(value["beatmap_id"], json!(null));
        assert_eq!(value["max_combo"], json!(0));
        // Another server's null reads as 0.
        let mut sent = value;
        sent["max_combo"] = json!(null);
        assert_eq!(serde_json::from_value::<Beatmap>(sent).unwrap().max_combo, 0);
    }
}
