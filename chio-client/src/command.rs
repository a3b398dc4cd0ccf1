//! One-line text commands (`say #osu hello`) to the [`ClientEvent`] a client sends: the
//! language of `chio client`, usable by any REPL or script.
//!
//! ```
//! use chio_client::command;
//! use chio_packets::Context;
//! use chio_packets::events::client::ClientEvent;
//!
//! let event = command::parse("join #osu", Context::new(20250306)).unwrap();
//! assert_eq!(event, ClientEvent::ChannelJoin("#osu".into()));
//! assert!(command::parse("dance", Context::new(20250306)).is_err());
//! ```

use std::borrow::Cow;

use chio_packets::Context;
use chio_packets::events::client::{ClientEvent, ClientEventError};
use chio_packets::events::{Activity, ChatMessage};
use chio_packets::multiplayer::{Match, MatchSlot, SlotStatus};
use chio_packets::spectating::{ButtonState, ReplayAction, ReplayFrame, ReplayFrameBundle, ScoreFrame};
use chio_packets::types::Status;

/// The commands, one per line, for help texts.
pub const HELP: &str = "\
Commands (one per line):
  join #CHAN                  join a channel
  part #CHAN                  leave a channel
  say #CHAN TEXT              send a message to a channel
  msg USER TEXT               send a direct message
  status ACTION [TEXT]        set the status: idle, afk, playing, editing, modding,
                              multiplayer, watching, unknown, testing, submitting,
                              paused, lobby, multiplaying, osudirect
  stats ID...                 ask for users' statistics
  presence ID...              ask for users' presence
  presence-all                ask for every online user's presence
  spectate ID                 start spectating a user
  stop-spectating             stop spectating
  frames                      send a small sample bundle of replay frames
  away [TEXT]                 set (or, without text, clear) the away message
  friend-add ID               add a friend
  friend-remove ID            remove a friend
  lobby-join                  enter the multiplayer lobby
  lobby-part                  leave the multiplayer lobby
  match-create NAME [PASSWORD]  create a match (a NAME with spaces: use _ )
  match-join ID [PASSWORD]    join a match
  match-part                  leave the match
  ready / not-ready           set the ready state
  start                       start the match (host)
  loaded                      tell the match the map is loaded
  score                       send a sample score frame
  complete                    tell the match the map is finished
  logout                      log out and quit";

/// Why a line is not a command.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CommandError {
    /// The line is empty (or only whitespace).
    #[error("empty line")]
    Empty,
    /// No such command.
    #[error("unknown command {0:?} (see the list of commands)")]
    Unknown(String),
    /// A required argument is missing.
    #[error("{command}: missing {argument}")]
    Missing {
        /// The command.
        command: &'static str,
        /// What is missing.
        argument: &'static str,
    },
    /// An argument is not what the command takes.
    #[error("{command}: {argument:?} is not {expected}")]
    Invalid {
        /// The command.
        command: &'static str,
        /// The argument as given.
        argument: String,
        /// What was expected.
        expected: &'static str,
    },
    /// The command takes no more arguments.
    #[error("{command}: unexpected {argument:?}")]
    Extra {
        /// The command.
        command: &'static str,
        /// The first extra argument.
        argument: String,
    },
    /// The build's client cannot send the event.
    #[error(transparent)]
    NotInBuild(#[from] ClientEventError),
}

/// The event `line` asks for, checked against `ctx`'s build (it must have a packet for
/// it). See [`HELP`] for the commands.
pub fn parse(line: &str, ctx: Context) -> Result<ClientEvent<'static>, CommandError> {
    let line = line.trim();
    let (name, rest) = match line.split_once(char::is_whitespace) {
        Some((name, rest)) => (name, rest.trim_start()),
        None => (line, ""),
    };
    let event = match name {
        "" => return Err(CommandError::Empty),
        "join" => ClientEvent::ChannelJoin(owned(one(rest, "join", "a channel")?)),
        "part" => ClientEvent::ChannelLeave(owned(one(rest, "part", "a channel")?)),
        "say" => {
            let (target, text) = word_and_text(rest, "say", "a channel")?;
            ClientEvent::Message(message(target, text))
        }
        "msg" => {
            let (target, text) = word_and_text(rest, "msg", "a user")?;
            ClientEvent::PrivateMessage(message(target, text))
        }
        "status" => {
            let (action, text) = match rest.split_once(char::is_whitespace) {
                Some((action, text)) => (action, text.trim_start()),
                None => (rest, ""),
            };
            if action.is_empty() {
                return Err(CommandError::Missing { command: "status", argument: "an action" });
            }
            let action = status(action).ok_or_else(|| CommandError::Invalid {
                command: "status",
                argument: action.to_owned(),
                expected: "a status (idle, afk, playing, ...)",
            })?;
            ClientEvent::UserStatus(Activity { action, text: owned(text), ..Activity::default() })
        }
        "stats" => ClientEvent::UserStatsRequest(ids(rest, "stats")?),
        "presence" => ClientEvent::PresenceRequest(ids(rest, "presence")?),
        "presence-all" => none(rest, "presence-all", ClientEvent::PresenceRequestAll)?,
        "spectate" => ClientEvent::StartSpectating(id(one(rest, "spectate", "a user id")?, "spectate")?),
        "stop-spectating" => none(rest, "stop-spectating", ClientEvent::StopSpectating)?,
        "frames" => none(rest, "frames", ClientEvent::SpectateFrames(sample_frames()))?,
        "away" => {
            ClientEvent::SetIrcAwayMessage(ChatMessage { content: owned(rest), ..ChatMessage::default() })
        }
        "friend-add" => ClientEvent::FriendsAdd(id(one(rest, "friend-add", "a user id")?, "friend-add")?),
        "friend-remove" => {
            ClientEvent::FriendsRemove(id(one(rest, "friend-remove", "a user id")?, "friend-remove")?)
        }
        "lobby-join" => none(rest, "lobby-join", ClientEvent::LobbyJoin)?,
        "lobby-part" => none(rest, "lobby-part", ClientEvent::LobbyPart)?,
        "match-create" => {
            let mut words = rest.split_whitespace();
            let name =
                words.next().ok_or(CommandError::Missing { command: "match-create", argument: "a name" })?;
            let password = words.next().unwrap_or("");
            no_more(words, "match-create")?;
            ClientEvent::MatchCreate(new_match(&name.replace('_', " "), password, ctx))
        }
        "match-join" => {
            let mut words = rest.split_whitespace();
            let match_id = words
                .next()
                .ok_or(CommandError::Missing { command: "match-join", argument: "a match id" })?;
            let match_id = id(match_id, "match-join")?;
            let password = owned(words.next().unwrap_or(""));
            no_more(words, "match-join")?;
            ClientEvent::MatchJoin { match_id, password }
        }
        "match-part" => none(rest, "match-part", ClientEvent::MatchPart)?,
        "ready" => none(rest, "ready", ClientEvent::MatchReady)?,
        "not-ready" => none(rest, "not-ready", ClientEvent::MatchNotReady)?,
        "start" => none(rest, "start", ClientEvent::MatchStart)?,
        "loaded" => none(rest, "loaded", ClientEvent::MatchLoadComplete)?,
        "score" => none(rest, "score", ClientEvent::MatchScoreUpdate(sample_score()))?,
        "complete" => none(rest, "complete", ClientEvent::MatchComplete)?,
        "logout" => none(rest, "logout", ClientEvent::Exit(false))?,
        other => return Err(CommandError::Unknown(other.to_owned())),
    };
    event.to_packet(ctx)?;
    Ok(event)
}

fn owned(text: &str) -> Cow<'static, str> {
    Cow::Owned(text.to_owned())
}

fn message(target: &str, text: &str) -> ChatMessage<'static> {
    ChatMessage { content: owned(text), target: owned(target), ..ChatMessage::default() }
}

/// Exactly one word.
fn one<'l>(rest: &'l str, command: &'static str, argument: &'static str) -> Result<&'l str, CommandError> {
    let mut words = rest.split_whitespace();
    let word = words.next().ok_or(CommandError::Missing { command, argument })?;
    no_more(words, command)?;
    Ok(word)
}

/// A word and the (non-empty) text after it.
fn word_and_text<'l>(
    rest: &'l str,
    command: &'static str,
    argument: &'static str,
) -> Result<(&'l str, &'l str), CommandError> {
    let Some((word, text)) = rest.split_once(char::is_whitespace) else {
        let argument = if rest.is_empty() { argument } else { "the text" };
        return Err(CommandError::Missing { command, argument });
    };
    Ok((word, text.trim_start()))
}

fn none(
    rest: &str,
    command: &'static str,
    event: ClientEvent<'static>,
) -> Result<ClientEvent<'static>, CommandError> {
    no_more(rest.split_whitespace(), command)?;
    Ok(event)
}

fn no_more<'l>(mut words: impl Iterator<Item = &'l str>, command: &'static str) -> Result<(), CommandError> {
    match words.next() {
        Some(extra) => Err(CommandError::Extra { command, argument: extra.to_owned() }),
        None => Ok(()),
    }
}

fn id(word: &str, command: &'static str) -> Result<i32, CommandError> {
    word.parse().map_err(|_| CommandError::Invalid { command, argument: word.to_owned(), expected: "an id" })
}

fn ids(rest: &str, command: &'static str) -> Result<Vec<i32>, CommandError> {
    let ids = rest.split_whitespace().map(|word| id(word, command)).collect::<Result<Vec<_>, _>>()?;
    if ids.is_empty() {
        return Err(CommandError::Missing { command, argument: "user ids" });
    }
    Ok(ids)
}

/// A status by name, case and `-`/`_` ignored (`osu-direct`, `OsuDirect`).
pub fn status(name: &str) -> Option<Status> {
    let wanted: String =
        name.chars().filter(|c| *c != '-' && *c != '_').collect::<String>().to_ascii_lowercase();
    (0..=u8::MAX)
        .map_while(|raw| Status::try_from(raw).ok())
        .find(|status| format!("{status:?}").to_ascii_lowercase() == wanted)
}

/// A match as a client creates it: the name, the password, the build's slot count with
/// the first slot open for the creator and the others open too.
fn new_match(name: &str, password: &str, ctx: Context) -> Match<'static> {
    let open = MatchSlot { status: SlotStatus::OPEN, ..MatchSlot::default() };
    Match {
        name: owned(name),
        password: owned(password),
        slots: vec![open; usize::from(ctx.slots())],
        ..Match::default()
    }
}

/// Three replay frames of a cursor moving right, left button held in the middle one.
pub fn sample_frames() -> ReplayFrameBundle<'static> {
    let frame = |time: i32, x: f32, left: bool| ReplayFrame {
        button_state: if left { ButtonState::LEFT1 } else { ButtonState::empty() },
        x,
        y: 192.0,
        time,
        ..ReplayFrame::default()
    };
    ReplayFrameBundle {
        frames: vec![frame(1000, 100.0, false), frame(1016, 110.0, true), frame(1032, 120.0, false)],
        action: ReplayAction::default(),
        ..ReplayFrameBundle::default()
    }
}

/// A score frame early in a map: ten 300s, one 100, a combo of 11.
pub fn sample_score() -> ScoreFrame<'static> {
    ScoreFrame {
        time: 5000,
        total_300: 10,
        total_100: 1,
        total_score: 3300,
        max_combo: 11,
        current_combo: 11,
        perfect: true,
        hp: 200,
        ..ScoreFrame::default()
    }
}

#[cfg(test)]
mod tests {
    use chio_packets::session::PresenceFilter;

    use super::*;

    const NEW: Context = Context::new(20250306);

    fn ok(line: &str) -> ClientEvent<'static> {
        parse(line, NEW).unwrap_or_else(|error| panic!("{line}: {error}"))
    }

    #[test]
    fn chat_commands() {
        assert_eq!(ok("join #osu"), ClientEvent::ChannelJoin("#osu".into()));
        assert_eq!(ok("  part   #lobby  "), ClientEvent::ChannelLeave("#lobby".into()));
        assert_eq!(ok("say #osu hello  there"), ClientEvent::Message(message("#osu", "hello  there")));
        assert_eq!(ok("msg peppy hi"), ClientEvent::PrivateMessage(message("peppy", "hi")));
        let ClientEvent::SetIrcAwayMessage(away) = ok("away back soon") else { panic!() };
        assert_eq!(away.content, "back soon");
        let ClientEvent::SetIrcAwayMessage(away) = ok("away") else { panic!() };
        assert_eq!(away.content, "");
        let _ = PresenceFilter::All;
    }

    #[test]
    fn status_names() {
        let ClientEvent::UserStatus(activity) = ok("status playing Camellia - Exit") else { panic!() };
        assert_eq!((activity.action, activity.text.as_ref()), (Status::Playing, "Camellia - Exit"));
        let ClientEvent::UserStatus(activity) = ok("status AFK") else { panic!() };
        assert_eq!(activity.action, Status::Afk);
        assert_eq!(status("osu-direct"), Some(Status::OsuDirect));
        assert_eq!(status("multiplaying"), Some(Status::Multiplaying));
        assert_eq!(status("sleeping"), None);
        assert!(matches!(parse("status sleeping", NEW), Err(CommandError::Invalid { .. })));
        assert!(matches!(parse("status", NEW), Err(CommandError::Missing { .. })));
    }

    #[test]
    fn user_and_match_commands() {
        assert_eq!(ok("stats 1 2 3"), ClientEvent::UserStatsRequest(vec![1, 2, 3]));
        assert_eq!(ok("presence 4"), ClientEvent::PresenceRequest(vec![4]));
        assert_eq!(ok("presence-all"), ClientEvent::PresenceRequestAll);
        assert_eq!(ok("spectate 1000"), ClientEvent::StartSpectating(1000));
        assert_eq!(ok("stop-spectating"), ClientEvent::StopSpectating);
        assert!(matches!(ok("frames"), ClientEvent::SpectateFrames(bundle) if bundle.frames.len() == 3));
        assert_eq!(ok("friend-add 7"), ClientEvent::FriendsAdd(7));
        assert_eq!(ok("friend-remove 7"), ClientEvent::FriendsRemove(7));
        assert_eq!(ok("lobby-join"), ClientEvent::LobbyJoin);
        assert_eq!(ok("lobby-part"), ClientEvent::LobbyPart);
        let ClientEvent::MatchCreate(m) = ok("match-create my_room secret") else { panic!() };
        assert_eq!((m.name.as_ref(), m.password.as_ref(), m.slots.len()), ("my room", "secret", 16));
        assert_eq!(ok("match-join 3 pw"), ClientEvent::MatchJoin { match_id: 3, password: "pw".into() });
        assert_eq!(ok("match-join 3"), ClientEvent::MatchJoin { match_id: 3, password: "".into() });
        assert_eq!(ok("match-part"), ClientEvent::MatchPart);
        assert_eq!(ok("ready"), ClientEvent::MatchReady);
        assert_eq!(ok("not-ready"), ClientEvent::MatchNotReady);
        assert_eq!(ok("start"), ClientEvent::MatchStart);
        assert_eq!(ok("loaded"), ClientEvent::MatchLoadComplete);
        assert!(matches!(ok("score"), ClientEvent::MatchScoreUpdate(frame) if frame.total_300 == 10));
        assert_eq!(ok("complete"), ClientEvent::MatchComplete);
        assert_eq!(ok("logout"), ClientEvent::Exit(false));
    }

    #[test]
    fn every_command_encodes_for_a_range_of_builds() {
        let lines = [
            "join #osu",
            "part #osu",
            "say #osu hi",
            "status idle",
            "stats 1",
            "presence-all",
            "spectate 2",
            "stop-spectating",
            "frames",
            "lobby-join",
            "match-create room",
            "match-join 1",
            "ready",
            "start",
            "loaded",
            "score",
            "complete",
            "logout",
        ];
        for build in [1800, 20121224, 20160404, 20250306] {
            let ctx = Context::new(build);
            for line in lines {
                let event = match parse(line, ctx) {
                    Ok(event) => event,
                    // Older builds lack some packets (presence requests before b20121224).
                    Err(CommandError::NotInBuild(_)) if build < 20121224 => continue,
                    Err(error) => panic!("b{build} {line}: {error}"),
                };
                let packet = event.to_packet(ctx).unwrap();
                let mut wire = Vec::new();
                packet.write(&mut wire, ctx).unwrap_or_else(|error| panic!("b{build} {line}: {error}"));
            }
        }
        // b282 clients can only talk in #osu.
        let old = Context::new(282);
        assert!(parse("say #osu hi", old).is_ok());
        assert!(matches!(parse("say #lobby hi", old), Err(CommandError::NotInBuild(_))));
    }

    #[test]
    fn bad_lines() {
        assert_eq!(parse("   ", NEW), Err(CommandError::Empty));
        assert_eq!(parse("dance now", NEW), Err(CommandError::Unknown("dance".to_owned())));
        assert!(matches!(parse("join", NEW), Err(CommandError::Missing { argument: "a channel", .. })));
        assert!(matches!(parse("join #a #b", NEW), Err(CommandError::Extra { .. })));
        assert!(matches!(parse("say #osu", NEW), Err(CommandError::Missing { argument: "the text", .. })));
        assert!(matches!(parse("stats", NEW), Err(CommandError::Missing { .. })));
        assert!(matches!(parse("stats 1 x", NEW), Err(CommandError::Invalid { .. })));
        assert!(matches!(parse("spectate me", NEW), Err(CommandError::Invalid { .. })));
        assert!(matches!(parse("ready now", NEW), Err(CommandError::Extra { .. })));
    }
}
