//! `#[bancho(default)]`: the `Default` of a wire struct holds, for each field absent in
//! some builds, the value decoding gives there (never an invented one), and JSON that
//! leaves such fields out deserializes to it.

use std::borrow::Cow;

use chio_packets::beatmaps::{BeatmapInfo, OsuBeatmapInfoRequest, Rank};
use chio_packets::catalog::ServerPacket;
use chio_packets::chat::{BanchoMessage, Channel, ClientMessage, Message};
use chio_packets::multiplayer::{BanchoMatchStart, Match, OsuMatchJoin};
use chio_packets::presence::{
    BanchoUserPresence, Completeness, UserStats, UserStatsB323, UserStatsB338, UserStatus,
};
use chio_packets::session::{BanchoTitleUpdate, OsuExit};
use chio_packets::spectating::{ReplayFrame, ReplayFrameBundle, ScoreFrame};
use chio_packets::types::{Mode, Mods, Status};
use chio_packets::{Context, Decode, Encode};

/// Builds at the edges of the windows of the structs below, oldest first.
const BUILDS: &[u32] = &[282, 294, 300, 338, 452, 1000, 1788, 1796, 20120101, 20121225, 20160404, 20250306];

/// For every build in [`BUILDS`] and the oldest protocol version: the default value
/// encodes, and decodes back to itself. Decoding fills each absent field with its
/// `default = ...`, so this holds only if `Default` uses those same values.
macro_rules! default_is_what_absent_fields_decode_to {
    ($($ty:ty),* $(,)?) => {$(
        for &build in BUILDS {
            for ctx in [Context::new(build), Context::new(build).with_protocol(0)] {
                let value = <$ty>::default();
                let bytes = value.encode_payload(ctx).unwrap_or_else(|e| {
                    panic!("{} for b{build}: {e}", stringify!($ty))
                });
                let decoded = <$ty>::decode_payload(&bytes, ctx).unwrap();
                assert_eq!(decoded, value, "{} in b{build}, protocol {}", stringify!($ty), ctx.protocol());
            }
        }
    )*};
}

#[test]
fn every_generated_default_agrees_with_decoding() {
    default_is_what_absent_fields_decode_to!(
        UserStatus<'_>,
        UserStats<'_>,
        UserStatsB323<'_>,
        UserStatsB338<'_>,
        BanchoUserPresence<'_>,
        Message<'_>,
        ClientMessage<'_>,
        Channel<'_>,
        OsuMatchJoin<'_>,
        ReplayFrame,
        ScoreFrame<'_>,
        ReplayFrameBundle<'_>,
        BeatmapInfo<'_>,
        OsuBeatmapInfoRequest<'_>,
        OsuExit,
        BanchoTitleUpdate<'_>,
    );
}

/// Field defaults other than `Default::default()` come through.
#[test]
fn field_defaults_are_used() {
    let status = UserStatus::default();
    assert!(status.beatmap_update, "the map fields follow where the flag is not sent");
    assert_eq!((status.action, status.mode, status.mods), (Status::Idle, Mode::Osu, Mods::empty()));

    let message = Message::default();
    assert_eq!((message.target.as_ref(), message.sender_id, message.is_dm), ("#osu", -1, false));
    let message = ClientMessage::default();
    assert_eq!((message.target.as_ref(), message.sender_id), ("#osu", -1));

    let presence = BanchoUserPresence::default();
    assert_eq!((presence.avatar_extension, presence.mode, presence.rank), (1, Mode::Osu, 0));

    assert_eq!(ReplayFrameBundle::default().extra, -1);
    assert_eq!(ReplayFrameBundle::default().score_frame, None);
    assert_eq!(UserStatsB338::default().completeness, Completeness::StatusOnly);
    assert_eq!(BeatmapInfo::default().mania_rank, Rank::N);
    assert_eq!(BanchoMatchStart::default().r#match, Match::default());
}

/// A value written for a new build and decoded from an old one's bytes equals the new
/// value with the fields the old build lacks at their defaults: building the expected
/// value with `..Default::default()` needs no knowledge of those fields' values.
#[test]
fn struct_update_from_default_is_the_old_builds_view() {
    let modern = Message {
        sender: "peppy".into(),
        content: "hello".into(),
        is_dm: false,
        target: "#lobby".into(),
        sender_id: 2,
    };
    let old = Context::new(293);
    let bytes = modern.encode_payload(old).unwrap();
    let expected = Message { sender: "peppy".into(), content: "hello".into(), ..Message::default() };
    assert_eq!(Message::decode_payload(&bytes, old).unwrap(), expected);
}

#[test]
fn json_without_absent_fields_deserializes_to_the_defaults() {
    let message: Message<'_> = serde_json::from_str(r#"{"sender": "peppy", "content": "hi"}"#).unwrap();
    assert_eq!(message, Message { sender: "peppy".into(), content: "hi".into(), ..Message::default() });

    let status: UserStatus<'_> = serde_json::from_str(r#"{"action": "Playing", "text": "a map"}"#).unwrap();
    assert_eq!(status, UserStatus { action: Status::Playing, text: "a map".into(), ..UserStatus::default() });

    let bundle: ReplayFrameBundle<'_> =
        serde_json::from_str(r#"{"frames": [{"x": 1.5, "y": 2.0, "time": 30}], "action": "Pause"}"#).unwrap();
    assert_eq!(bundle.extra, -1);
    assert_eq!(bundle.frames, [ReplayFrame { x: 1.5, y: 2.0, time: 30, ..ReplayFrame::default() }]);

    // The hand-written default of a match: eight locked slots.
    let game: Match<'_> = serde_json::from_str(r#"{"name": "game"}"#).unwrap();
    assert_eq!(game, Match { name: "game".into(), ..Match::default() });

    // Through the packet enum, as the CLI reads packets.
    let packet: ServerPacket<'_> =
        serde_json::from_str(r#"{"packet": "BanchoMessage", "data": {"sender": "a", "content": "b"}}"#)
            .unwrap();
    assert_eq!(
        packet,
        ServerPacket::BanchoMessage(BanchoMessage(Message {
            sender: Cow::Borrowed("a"),
            content: Cow::Borrowed("b"),
            ..Message::default()
        }))
    );

    // A default value survives JSON both ways.
    let json = serde_json::to_string(&UserStatsB338::default()).unwrap();
    assert_eq!(serde_json::from_str::<UserStatsB338<'_>>(&json).unwrap(), UserStatsB338::default());
}
