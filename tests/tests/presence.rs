//! `BanchoUserPresence` in every layout window against bytes recorded from the reference
//! (chio 1.1.21) for user 1000 "peppy", UTC+2, Germany (56), Berlin, Regular|Supporter,
//! (1.5, -2.0), rank 42, taiko.

use chio_packets::presence::BanchoUserPresence;
use chio_packets::types::{Mode, Permissions};
use chio_packets::{Context, Decode, Encode};

const RECORDED: &[(u32, &str)] = &[
    (1788, "e80300000b057065707079011a0b104765726d616e79202f204265726c696e050000c03f000000c0"),
    (1796, "e80300000b057065707079011a380b064265726c696e050000c03f000000c0"),
    (1797, "e80300000b057065707079011a380b064265726c696e050000c03f000000c02a000000"),
    (20120806, "e80300000b057065707079011a380b064265726c696e050000c03f000000c02a00000001"),
    (20121203, "e80300000b0570657070791a38250000c03f000000c02a00000001"),
    (20250306, "e80300000b0570657070791a38250000c03f000000c02a00000001"),
];

use chio_tests::unhex;

fn presence(build: u32) -> BanchoUserPresence<'static> {
    let permissions = Permissions::REGULAR | Permissions::SUPPORTER;
    let compact = build >= 20121203;
    BanchoUserPresence {
        user_id: 1000,
        name: "peppy".into(),
        avatar_extension: 1,
        timezone: 26,
        country_name: if build < 1796 { "Germany / Berlin".into() } else { "".into() },
        country_index: if build < 1796 { 0 } else { 56 },
        city: if (1796..20121203).contains(&build) { "Berlin".into() } else { "".into() },
        permissions: if compact {
            BanchoUserPresence::pack_permissions(permissions, Mode::Taiko).unwrap()
        } else {
            u8::try_from(permissions.bits()).unwrap()
        },
        longitude: 1.5,
        latitude: -2.0,
        rank: if build >= 1797 { 42 } else { 0 },
        mode: if (20120806..20121203).contains(&build) { Mode::Taiko } else { Mode::Osu },
    }
}

#[test]
fn every_layout_matches_the_reference() {
    for &(build, hex) in RECORDED {
        let ctx = Context::new(build);
        let mut expected = unhex(hex);
        // From b20121203 the reference appends a mode byte that servers in use do not
        // send (see the type's documentation): its bytes decode, ours stop at the rank.
        if build >= 20121203 {
            let decoded = BanchoUserPresence::decode(&mut chio_packets::Reader::new(&expected), ctx).unwrap();
            assert_eq!(decoded, presence(build), "b{build} (reference bytes)");
            assert_eq!(expected.pop(), Some(u8::from(Mode::Taiko)));
        }
        let value = presence(build);
        assert_eq!(value.encode_payload(ctx).unwrap(), expected, "b{build}");
        assert_eq!(value.encoded_len(ctx), expected.len());
        let decoded = BanchoUserPresence::decode_payload(&expected, ctx).unwrap();
        assert_eq!(decoded, value, "b{build}");
    }
}

#[test]
fn packed_permissions_leave_three_bits_for_the_mode() {
    let packed = BanchoUserPresence::pack_permissions(Permissions::REGULAR, Mode::OsuMania).unwrap();
    assert_eq!(packed, 0b0110_0001);
    // The tournament bit (32) would overlap the mode.
    assert!(BanchoUserPresence::pack_permissions(Permissions::TOURNAMENT, Mode::Osu).is_err());
}

#[test]
fn invite_is_the_user_id() {
    use chio_packets::chat::OsuInvite;
    // The reference reads these bytes in b1817 as an invite of user 1234.
    let ctx = Context::new(1817);
    let bytes = 1234i32.to_le_bytes();
    assert_eq!(OsuInvite::decode_payload(&bytes, ctx).unwrap(), OsuInvite { user_id: 1234 });
    assert_eq!(OsuInvite { user_id: 1234 }.encode_payload(ctx).unwrap(), bytes);
}
