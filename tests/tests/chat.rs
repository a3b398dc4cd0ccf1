//! Chat packets against the reference.
//!
//! Every expected payload (and wire id) below was recorded from chio 1.1.21: server
//! packets with `io.write_packet_to_bytes` (payload gunzipped where the era compresses),
//! client packets by feeding the bytes to `io.read_packet_from_bytes` and checking the
//! decoded `Message`/string/bool the reference returns (noted next to each case) and that
//! its reader consumes every byte.

use std::borrow::Cow;

use chio_packets::chat::*;
use chio_packets::ids::IRC_JOIN;
use chio_packets::{Context, Decode, Direction, Encode, Packet};
use proptest::prelude::*;

use chio_tests::unhex as bytes;

/// [`chio_tests::check_reference`] with the payload given as hex; `$wire` is the id the
/// reference frames the packet with.
macro_rules! check {
    ($value:expr, $ctx:expr, $wire:expr, $hex:expr) => {
        chio_tests::check_reference(&$value, $ctx, Some($wire), &bytes($hex))
    };
}

fn b(build: u32) -> Context {
    Context::new(build)
}

fn s(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text)
}

/// A server message as it is on the wire (absent fields at their defaults).
fn msg<'a>(sender: &'a str, content: &'a str, is_dm: bool, target: &'a str, sender_id: i32) -> Message<'a> {
    Message { sender: s(sender), content: s(content), is_dm, target: s(target), sender_id }
}

/// A client message as it is on the wire (absent fields at their defaults).
fn cmsg(
    sender: &'static str,
    content: &'static str,
    target: &'static str,
    sender_id: i32,
) -> ClientMessage<'static> {
    ClientMessage { sender: s(sender), content: s(content), target: s(target), sender_id }
}

fn channel(name: &'static str, topic: &'static str, user_count: i16) -> Channel<'static> {
    Channel { name: s(name), topic: s(topic), user_count }
}

#[test]
fn identities_match_the_reference() {
    // Packet-level builds: where the reference has the writer (server) or reader (client).
    fn meta<T: Packet>(name: &str, id: u16, direction: Direction, since: u32, until: u32) {
        assert_eq!((T::NAME, T::ID, T::DIRECTION), (name, id, direction));
        assert_eq!((T::BUILDS.since, T::BUILDS.until), (since, until), "{name}");
    }
    use Direction::{ClientToServer as C, ServerToClient as S};
    const ALL: u32 = u32::MAX;
    meta::<BanchoMessage<'_>>("BanchoMessage", 7, S, 0, ALL);
    meta::<BanchoInvite<'_>>("BanchoInvite", 88, S, 1817, ALL);
    meta::<BanchoUserDmsBlocked<'_>>("BanchoUserDmsBlocked", 100, S, 20130131, ALL);
    meta::<BanchoTargetIsSilenced<'_>>("BanchoTargetIsSilenced", 101, S, 20130209, ALL);
    meta::<OsuMessage<'_>>("OsuMessage", 1, C, 0, ALL);
    meta::<OsuLegacyPrivateMessage<'_>>("OsuPrivateMessage", 25, C, 294, 320);
    meta::<OsuPrivateMessage<'_>>("OsuPrivateMessage", 25, C, 320, ALL);
    meta::<OsuSetIrcAwayMessage<'_>>("OsuSetIrcAwayMessage", 82, C, 1600, ALL);
    meta::<OsuChangeFriendOnlyDms>("OsuChangeFriendOnlyDms", 99, C, 20130131, ALL);
    meta::<BanchoChannelAvailable<'_>>("BanchoChannelAvailable", 65, S, 349, ALL);
    meta::<BanchoChannelAvailableAutojoin<'_>>("BanchoChannelAvailableAutojoin", 67, S, 349, ALL);
    meta::<BanchoChannelJoinSuccess<'_>>("BanchoChannelJoinSuccess", 64, S, 349, ALL);
    meta::<BanchoChannelRevoked<'_>>("BanchoChannelRevoked", 66, S, 349, ALL);
    meta::<BanchoChannelInfoComplete>("BanchoChannelInfoComplete", 89, S, 20120518, ALL);
    meta::<OsuChannelJoin<'_>>("OsuChannelJoin", 63, C, 349, ALL);
    meta::<OsuChannelLeave<'_>>("OsuChannelLeave", 78, C, 613, ALL);
    meta::<BanchoAnnounce<'_>>("BanchoAnnounce", 24, S, 291, ALL);
    meta::<BanchoIrcChangeUsername<'_>>("BanchoIrcChangeUsername", 9, S, 0, ALL);
    meta::<BanchoIrcQuit<'_>>("BanchoIrcQuit", 10, S, 0, 1788);
    meta::<BanchoIrcJoin<'_>>("BanchoIrcJoin", IRC_JOIN, S, 0, 1788);
    meta::<BanchoRTX<'_>>("BanchoRTX", 105, S, 20140731, ALL);
}

#[test]
fn server_message_windows() {
    let hi = || msg("peppy", "hi", false, "#osu", -1);
    // MSG-A: sender, content.
    check!(BanchoMessage(hi()), b(282), 7, "0b0570657070790b026869");
    check!(BanchoMessage(hi()), b(293), 7, "0b0570657070790b026869");
    // MSG-B: sender, content, is_dm (the reference sent these for targets "#osu" and "bob").
    check!(BanchoMessage(hi()), b(294), 7, "0b0570657070790b02686900");
    check!(BanchoMessage(msg("peppy", "yo", true, "#osu", -1)), b(319), 7, "0b0570657070790b02796f01");
    // MSG-C: sender, content, target.
    check!(
        BanchoMessage(msg("peppy", "yo", false, "bob", -1)),
        b(320),
        7,
        "0b0570657070790b02796f0b03626f62"
    );
    check!(BanchoMessage(hi()), b(1788), 7, "0b0570657070790b0268690b04236f7375");
    let lobby = msg("peppy", "gl", false, "#lobby", -1);
    check!(BanchoMessage(lobby), b(20121224), 7, "0b0570657070790b02676c0b06236c6f626279");
    // MSG-D: sender, content, target, sender id.
    let hi2 = msg("peppy", "hi", false, "#osu", 2);
    check!(BanchoMessage(hi2.clone()), b(20121225), 7, "0b0570657070790b0268690b04236f737502000000");
    check!(BanchoMessage(hi2), b(20250306), 7, "0b0570657070790b0268690b04236f737502000000");
    // Multi-byte UTF-8 and a two-byte ULEB length (140 bytes of content).
    let long = "é".repeat(70);
    let hex = format!("0b0ce383a6e383bce382b6e383bc0b8c01{}0b04236f7375ffffffff", "c3a9".repeat(70));
    check!(BanchoMessage(msg("ユーザー", &long, false, "#osu", -1)), b(20250306), 7, &hex);
}

#[test]
fn messages_in_other_server_packets() {
    // The reference's invite, DMs-blocked and target-silenced payloads.
    let invite = || msg("peppy", "join", false, "bob", -1);
    check!(BanchoInvite(invite()), b(1817), 88, "0b0570657070790b046a6f696e0b03626f62");
    let invite2 = Message { sender_id: 2, ..invite() };
    check!(BanchoInvite(invite2), b(20121225), 88, "0b0570657070790b046a6f696e0b03626f6202000000");
    let blocked = || msg("", "", false, "bob", -1);
    check!(BanchoUserDmsBlocked(blocked()), b(20130131), 100, "00000b03626f62ffffffff");
    check!(BanchoTargetIsSilenced(blocked()), b(20130209), 101, "00000b03626f62ffffffff");
}

#[test]
fn sender_id_needs_protocol_15() {
    // The reference cannot lower a build's protocol; MSG-D at protocol 14 is MSG-C.
    let value = msg("peppy", "hi", false, "#osu", -1);
    let ctx = b(20121225).with_protocol(14);
    let bytes = value.encode_payload(ctx).unwrap();
    assert_eq!(bytes, value.encode_payload(b(20121224)).unwrap());
    assert_eq!(Message::decode_payload(&bytes, ctx).unwrap(), value);
}

#[test]
fn client_message_windows() {
    // Content only; the reference reads Message(sender "", content "hi", target "#osu", -1).
    check!(OsuMessage(cmsg("", "hi", "#osu", -1)), b(282), 1, "0b026869");
    check!(OsuMessage(cmsg("", "hi", "#osu", -1)), b(319), 1, "0b026869");
    // Sender, content, target; read as ("", "hi", "#osu", -1). A client writes the empty
    // sender as `0b 00` (a present string of length 0), as real clients do.
    check!(OsuMessage(cmsg("", "hi", "#osu", -1)), b(320), 1, "0b000b0268690b04236f7375");
    check!(OsuMessage(cmsg("", "hi", "#osu", -1)), b(20121224), 1, "0b000b0268690b04236f7375");
    // Plus sender id; read as ("", "hi", "#osu", -1) and ("peppy", "hi", "#osu", 2).
    check!(OsuMessage(cmsg("", "hi", "#osu", -1)), b(20121225), 1, "0b000b0268690b04236f7375ffffffff");
    let hex = "0b0570657070790b0268690b04236f737502000000";
    check!(OsuMessage(cmsg("peppy", "hi", "#osu", 2)), b(20250306), 1, hex);

    // Private messages: target, content, is_dm in b294–b319; read as ("", "yo", "bob", -1).
    let legacy = || OsuLegacyPrivateMessage { target: s("bob"), content: s("yo"), is_dm: true };
    check!(legacy(), b(294), 26, "0b03626f620b02796f01");
    check!(legacy(), b(319), 26, "0b03626f620b02796f01");
    // The reference rejects is_dm = 0 (ValueError) and reads 2 as true; kept as sent here.
    let zero = bytes("0b03626f620b02796f00");
    assert!(!OsuLegacyPrivateMessage::decode_payload(&zero, b(319)).unwrap().is_dm);
    assert!(!OsuPrivateMessage::exists_in(b(319)) && !OsuLegacyPrivateMessage::exists_in(b(320)));
    // From b320 the OsuMessage layout; read as ("", "yo", "bob", -1).
    check!(OsuPrivateMessage(cmsg("", "yo", "bob", -1)), b(320), 26, "0b000b02796f0b03626f62");
    check!(OsuPrivateMessage(cmsg("", "yo", "bob", -1)), b(20121225), 25, "0b000b02796f0b03626f62ffffffff");

    // Away message; read as ("", "brb", "", -1).
    check!(OsuSetIrcAwayMessage(cmsg("", "brb", "", -1)), b(1600), 83, "0b000b036272620b00");
    check!(OsuSetIrcAwayMessage(cmsg("", "brb", "", -1)), b(20121225), 82, "0b000b036272620b00ffffffff");

    // The servers' bare `00` for an empty string reads the same.
    let bare = bytes("000b0268690b04236f7375ffffffff");
    assert_eq!(
        OsuMessage::decode_payload(&bare, b(20121225)).unwrap(),
        OsuMessage(cmsg("", "hi", "#osu", -1))
    );
}

/// A modern stable client's chat message, byte for byte as the client sends it (the empty
/// sender as `0b 00`): decoded, then written back to the same bytes. A bot or headless
/// client built on chio-rs is therefore not recognisable by its strings.
#[test]
fn a_real_clients_message_is_written_back_unchanged() {
    let wire = bytes("010000140000000b000b06e4bda0e5a5bd0b04236f737500000000");
    let ctx = b(20250306);
    let payload = &wire[7..];
    let message = OsuMessage::decode_payload(payload, ctx).unwrap();
    assert_eq!(message, OsuMessage(cmsg("", "你好", "#osu", 0)));
    let mut written = Vec::new();
    message.write(&mut written, ctx).unwrap();
    assert_eq!(written, wire);
}

#[test]
fn friend_only_dms() {
    // The reference reads 1 as True, 0 and 2 as False.
    for (value, hex, enabled) in [(1, "01000000", true), (0, "00000000", false), (2, "02000000", false)] {
        check!(OsuChangeFriendOnlyDms(value), b(20130131), 99, hex);
        assert_eq!(OsuChangeFriendOnlyDms(value).enabled(), enabled);
    }
}

#[test]
fn channel_windows() {
    let osu = || channel("#osu", "Main", 300);
    let bare = || channel("#osu", "", 0);
    // Name only before b20120725 (the reference dropped topic "Main" and 300 users).
    check!(BanchoChannelAvailable(bare()), b(349), 66, "0b04236f7375");
    check!(BanchoChannelAvailable(bare()), b(20120724), 65, "0b04236f7375");
    check!(BanchoChannelAvailableAutojoin(bare()), b(349), 68, "0b04236f7375");
    check!(BanchoChannelAvailableAutojoin(bare()), b(20120724), 67, "0b04236f7375");
    // Name, topic, i16 user count.
    check!(BanchoChannelAvailable(osu()), b(20120725), 65, "0b04236f73750b044d61696e2c01");
    check!(BanchoChannelAvailable(osu()), b(20250306), 65, "0b04236f73750b044d61696e2c01");
    check!(BanchoChannelAvailableAutojoin(osu()), b(20120725), 67, "0b04236f73750b044d61696e2c01");
    check!(BanchoChannelAvailable(channel("#x", "", -2)), b(20250306), 65, "0b02237800feff");
    // Protocol 8 at b20120725: name only (the reference cannot lower the protocol).
    let ctx = b(20120725).with_protocol(8);
    assert_eq!(osu().encode_payload(ctx).unwrap(), bytes("0b04236f7375"));

    check!(BanchoChannelJoinSuccess(s("#osu")), b(349), 65, "0b04236f7375");
    check!(BanchoChannelJoinSuccess(s("#osu")), b(20250306), 64, "0b04236f7375");
    check!(BanchoChannelRevoked(s("#osu")), b(349), 67, "0b04236f7375");
    check!(BanchoChannelInfoComplete, b(20120518), 89, "");
    // Client side; the reference reads "#osu".
    check!(OsuChannelJoin(s("#osu")), b(349), 64, "0b04236f7375");
    check!(OsuChannelJoin(s("#osu")), b(20250306), 63, "0b04236f7375");
    check!(OsuChannelLeave(s("#osu")), b(613), 79, "0b04236f7375");
    check!(OsuChannelLeave(s("#osu")), b(20250306), 78, "0b04236f7375");
}

#[test]
fn announcements_and_irc() {
    check!(BanchoAnnounce(s("Hello")), b(291), 25, "0b0548656c6c6f");
    check!(BanchoAnnounce(s("")), b(20250306), 24, "00");
    // The reference's write_irc_change_username("old", "new").
    check!(BanchoIrcChangeUsername(s("old>>>>new")), b(282), 9, "0b0a6f6c643e3e3e3e6e6577");
    check!(BanchoIrcChangeUsername(s("old>>>>new")), b(20250306), 9, "0b0a6f6c643e3e3e3e6e6577");
    check!(BanchoIrcQuit(s("ircguy")), b(282), 10, "0b06697263677579");
    check!(BanchoIrcQuit(s("ircguy")), b(1787), 10, "0b06697263677579");
    check!(BanchoIrcJoin(s("ircguy")), b(282), 11, "0b06697263677579");
    check!(BanchoIrcJoin(s("ircguy")), b(340), 11, "0b06697263677579");
    // The reference emits nothing for either from b1788.
    assert!(!BanchoIrcQuit::exists_in(b(1788)) && !BanchoIrcJoin::exists_in(b(1788)));
    // The default RTX text, and another.
    let zallius = "0b195a616c6c69757327206579657320686176652061776f6b656e";
    check!(BanchoRTX(s("Zallius' eyes have awoken")), b(20140731), 105, zallius);
    check!(BanchoRTX(s("boo")), b(20250306), 105, "0b03626f6f");
}

fn context() -> impl Strategy<Value = Context> {
    let boundaries = prop::sample::select(vec![
        282u32, 293, 294, 319, 320, 1788, 20120724, 20120725, 20121224, 20121225, 20250306,
    ]);
    (prop_oneof![boundaries, any::<u32>()], prop::option::of(0u8..=20)).prop_map(|(build, protocol)| {
        match protocol {
            Some(p) => Context::new(build).with_protocol(p),
            None => Context::new(build),
        }
    })
}

/// Encodes, checks the length, decodes and re-encodes to the same bytes. A macro so the
/// decoded value can borrow the local encoding.
macro_rules! round_trip {
    ($ty:ident, $value:expr, $ctx:expr) => {{
        let (value, ctx) = (&$value, $ctx);
        let bytes = value.encode_payload(ctx).unwrap();
        prop_assert_eq!(bytes.len(), value.encoded_len(ctx));
        let decoded = $ty::decode_payload(&bytes, ctx).unwrap();
        prop_assert_eq!(decoded.encode_payload(ctx).unwrap(), bytes);
    }};
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn payloads_round_trip(
        (sender, content, target) in (".{0,20}", ".{0,200}", ".{0,20}"),
        (is_dm, sender_id, user_count) in (any::<bool>(), any::<i32>(), any::<i16>()),
        ctx in context(),
    ) {
        let message = Message {
            sender: sender.clone().into(), content: content.clone().into(), is_dm,
            target: target.clone().into(), sender_id,
        };
        round_trip!(Message, message, ctx);
        let client = ClientMessage { sender: sender.into(), content: content.into(), target: target.clone().into(), sender_id };
        round_trip!(ClientMessage, client, ctx);
        round_trip!(Channel, Channel { name: target.into(), topic: "t".into(), user_count }, ctx);
    }
}
