//! The match payload in every layout window, against bytes recorded from the reference
//! (chio 1.1.21, `write_packet(BanchoMatchUpdate, ...)`, payload after the header and,
//! before b334, gunzipped).

use chio_packets::multiplayer::{
    BanchoMatchStart, BanchoMatchUpdate, Match, MatchSlot, MatchType, ScoringType, SlotStatus, SlotTeam,
    TeamType,
};
use chio_packets::types::{Mode, Mods};
use chio_packets::{Context, Decode, Encode, EncodeErrorKind};

/// (build, payload hex) recorded from the reference for the match of [`sample`].
const RECORDED: &[(u32, &str)] = &[
    (298, "05000b04726f6f6d0b036d61707b0000000b036162630106040a00000014000000"),
    (312, "0501000b04726f6f6d0b036d61707b0000000b036162630106040a00000014000000"),
    (334, "05010008000b04726f6f6d0b036d61707b0000000b0361626301040802020202020a00000014000000"),
    (402, "05010008000b04726f6f6d0b036d61707b0000000b0361626301040802020202020a000000140000000a000000"),
    (470, "05010008000b04726f6f6d0b036d61707b0000000b0361626301040802020202020a000000140000000a00000001"),
    (535, "05010008000b04726f6f6d0b036d61707b0000000b0361626301040802020202020a000000140000000a000000010102"),
    (
        558,
        "05010008000b04726f6f6d0b036d61707b0000000b03616263010408020202020200010200000000000a000000140000000a000000010102",
    ),
    (
        591,
        "05010008000b04726f6f6d0b0270770b036d61707b0000000b03616263010408020202020200010200000000000a000000140000000a000000010102",
    ),
    (
        1796,
        "0500010008000b04726f6f6d0b0270770b036d61707b0000000b03616263010408020202020200010200000000000a000000140000000a000000010102",
    ),
    (
        20120818,
        "05000100080000000b04726f6f6d0b0270770b036d61707b0000000b03616263010408020202020200010200000000000a000000140000000a000000010102",
    ),
    (
        20130118,
        "05000100080000000b04726f6f6d0b0270770b036d61707b0000000b03616263010408020202020200010200000000000a000000140000000a00000001010201",
    ),
    (
        20130303,
        "05000100080000000b04726f6f6d0b0270770b036d61707b0000000b03616263010408020202020200010200000000000a000000140000000a000000010102010000000008000000100000000000000000000000000000000000000000000000",
    ),
    (
        20130418,
        "05000100080000000b04726f6f6d0b0270770b036d61707b0000000b03616263010408020202020200010200000000000a000000140000000a0000000101020100000000080000001000000000000000000000000000000000000000000000002a000000",
    ),
    (
        20140528,
        "05000100080000000b04726f6f6d0b0270770b036d61707b0000000b03616263010408020202020200010200000000000a000000140000000a0000000101020100000000080000001000000000000000000000000000000000000000000000002a000000",
    ),
    (
        20150915,
        "05000100080000000b04726f6f6d0b0270770b036d61707b0000000b0361626301040802020202020202020202020202000102000000000000000000000000000a000000140000000a00000001010201000000000800000010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002a000000",
    ),
    (
        20250306,
        "05000100080000000b04726f6f6d0b0270770b036d61707b0000000b0361626301040802020202020202020202020202000102000000000000000000000000000a000000140000000a00000001010201000000000800000010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002a000000",
    ),
];

/// A match with an open slot, a player who is not ready, a ready player, and locked
/// slots up to `slots`; freemod on.
fn sample(slots: u8) -> Match<'static> {
    let mut all = vec![
        MatchSlot { status: SlotStatus::OPEN, team: SlotTeam::Neutral, user_id: -1 },
        MatchSlot { status: SlotStatus::NOT_READY, team: SlotTeam::Blue, user_id: 10 },
        MatchSlot { status: SlotStatus::READY, team: SlotTeam::Red, user_id: 20 },
    ];
    all.resize(usize::from(slots), MatchSlot::default());
    let mut slot_mods = vec![Mods::empty(), Mods::HIDDEN, Mods::HARD_ROCK];
    slot_mods.resize(usize::from(slots), Mods::empty());
    Match {
        id: 5,
        in_progress: true,
        match_type: MatchType::Standard,
        mods: Mods::HIDDEN,
        name: "room".into(),
        password: "pw".into(),
        beatmap_text: "map".into(),
        beatmap_id: 123,
        beatmap_checksum: "abc".into(),
        slots: all,
        host_id: 10,
        mode: Mode::Taiko,
        scoring_type: ScoringType::Accuracy,
        team_type: TeamType::TeamVs,
        freemod: true,
        slot_mods,
        seed: 42,
    }
}

use chio_tests::unhex;

#[test]
fn every_layout_matches_the_reference() {
    for &(build, hex) in RECORDED {
        let ctx = Context::new(build);
        let value = BanchoMatchUpdate(sample(ctx.slots()));
        let expected = unhex(hex);
        let bytes = value.encode_payload(ctx).unwrap();
        assert_eq!(bytes, expected, "b{build}");
        assert_eq!(value.encoded_len(ctx), expected.len(), "b{build}");
        let decoded = BanchoMatchUpdate::decode_payload(&expected, ctx).unwrap();
        assert_eq!(decoded.encode_payload(ctx).unwrap(), expected, "b{build} re-encoded");
    }
}

#[test]
fn modern_match_decodes_to_the_same_value() {
    let ctx = Context::new(20250306);
    let value = sample(16);
    let bytes = value.encode_payload(ctx).unwrap();
    assert_eq!(Match::decode_payload(&bytes, ctx).unwrap(), value);
}

#[test]
fn slot_count_follows_the_context() {
    // b20140528 carries 16 slots only at protocol 19.
    let ctx = Context::new(20140528).with_protocol(19);
    assert_eq!(ctx.slots(), 16);
    let value = sample(16);
    let bytes = value.encode_payload(ctx).unwrap();
    assert_eq!(Match::decode_payload(&bytes, ctx).unwrap(), value);
    // Eight slots for a 16-slot context is an error, not a silent pad.
    let err = sample(8).encode_payload(ctx).unwrap_err();
    assert_eq!(err.kind(), &EncodeErrorKind::WrongLength { expected: 16, actual: 8 });
    assert_eq!(err.path().to_string(), "slots");
}

#[test]
fn bit_masks_keep_what_they_can_say() {
    // b298: a playing slot is "used" and reads back as not ready.
    let ctx = Context::new(298);
    let mut value = sample(8);
    value.slots[1].status = SlotStatus::PLAYING;
    let bytes = value.encode_payload(ctx).unwrap();
    let decoded = Match::decode_payload(&bytes, ctx).unwrap();
    assert_eq!(
        decoded.slots[1],
        MatchSlot { status: SlotStatus::NOT_READY, team: SlotTeam::Neutral, user_id: 10 }
    );
    assert_eq!(decoded.slots[2].status, SlotStatus::READY);
    assert_eq!(decoded.slots[0].status, SlotStatus::OPEN);
    assert_eq!(decoded.slots[3].status, SlotStatus::LOCKED);
}

#[test]
fn match_ids_over_255_need_b1796() {
    let value = Match { id: 300, ..sample(8) };
    let err = value.encode_payload(Context::new(1795)).unwrap_err();
    assert_eq!(err.kind(), &EncodeErrorKind::OutOfRange { value: 300, wire: "u8" });
    assert!(value.encode_payload(Context::new(1796)).is_ok());
}

#[test]
fn truncated_user_id_names_its_slot() {
    let ctx = Context::new(20250306);
    let bytes = sample(16).encode_payload(ctx).unwrap();
    // Cut inside the second occupied slot's user id.
    let cut = bytes.windows(4).position(|w| w == 20i32.to_le_bytes()).unwrap() + 2;
    let err = BanchoMatchUpdate::decode_payload(&bytes[..cut], ctx).unwrap_err();
    assert_eq!(err.path().to_string(), "BanchoMatchUpdate.slots[2].user_id");
}

#[test]
fn match_start_is_empty_before_b334() {
    let start = BanchoMatchStart { r#match: sample(8) };
    assert_eq!(start.encode_payload(Context::new(333)).unwrap(), b"");
    let full = start.encode_payload(Context::new(334)).unwrap();
    assert_eq!(full, sample(8).encode_payload(Context::new(334)).unwrap());
}

mod small_packets {
    //! The empty, single-`i32` and string packets of multiplayer, against bytes and wire
    //! ids recorded from the reference (server packets from its writer, client packets
    //! read back by its reader to the values noted).

    use chio_packets::multiplayer::*;
    use chio_packets::types::Mods;
    use chio_packets::{Context, Decode, Encode, Packet};
    use chio_tests::unhex;

    /// [`chio_tests::check_reference`] for `build`, with the payload given as hex.
    fn check<P>(value: P, build: u32, recorded_wire_id: u16, hex: &str)
    where
        P: Packet + Encode + for<'de> Decode<'de> + PartialEq + std::fmt::Debug,
    {
        chio_tests::check_reference(&value, Context::new(build), Some(recorded_wire_id), &unhex(hex));
    }

    #[test]
    fn server_packets_match_the_reference_writer() {
        check(BanchoMatchDisband { match_id: 77 }, 298, 29, "4d000000");
        check(BanchoMatchDisband { match_id: 77 }, 20250306, 28, "4d000000");
        check(BanchoLobbyJoin { user_id: 1000 }, 298, 35, "e8030000");
        check(BanchoLobbyJoin { user_id: 1000 }, 20121210, 34, "e8030000");
        check(BanchoLobbyPart { user_id: 1000 }, 298, 36, "e8030000");
        check(BanchoLobbyPart { user_id: 1000 }, 20121210, 35, "e8030000");
        check(BanchoMatchPlayerFailed { slot_id: 3 }, 334, 59, "03000000");
        check(BanchoMatchPlayerFailed { slot_id: 3 }, 20250306, 57, "03000000");
        check(BanchoMatchPlayerSkipped { slot_id: 3 }, 1365, 82, "03000000");
        check(BanchoMatchPlayerSkipped { slot_id: 3 }, 20250306, 81, "03000000");
        check(BanchoMatchJoinFail, 298, 38, "");
        check(BanchoMatchJoinFail, 20250306, 37, "");
        check(BanchoMatchTransferHost, 334, 52, "");
        check(BanchoMatchTransferHost, 20250306, 50, "");
        check(BanchoMatchAllPlayersLoaded, 334, 55, "");
        check(BanchoMatchComplete, 334, 60, "");
        check(BanchoMatchSkip, 342, 62, "");
        check(BanchoMatchAbort, 20141104, 106, "");
        // The reference writes nothing for these in the builds just outside their windows.
        assert!(!BanchoLobbyJoin::exists_in(Context::new(20121211)));
        assert!(!BanchoMatchAbort::exists_in(Context::new(20141103)));
    }

    #[test]
    fn borrowed_packets_match_the_reference() {
        for build in [20120703, 20250306] {
            let ctx = Context::new(build);
            let value = BanchoMatchChangePassword { password: "secret".into() };
            let bytes = value.encode_payload(ctx).unwrap();
            assert_eq!(bytes, unhex("0b06736563726574"));
            assert_eq!(BanchoMatchChangePassword::decode_payload(&bytes, ctx).unwrap(), value);
        }
        // Read by the reference as MatchJoin(match_id=4, password='') and (4, 'pw').
        for (build, hex, password) in [(298, "04000000", ""), (591, "040000000b027077", "pw")] {
            let ctx = Context::new(build);
            let bytes = unhex(hex);
            let decoded = OsuMatchJoin::decode_payload(&bytes, ctx).unwrap();
            assert_eq!(decoded, OsuMatchJoin { match_id: 4, password: password.into() });
            assert_eq!(decoded.encode_payload(ctx).unwrap(), bytes);
        }
    }

    #[test]
    fn client_packets_read_as_the_reference_reads_them() {
        check(OsuMatchChangeSlot { slot_id: 5 }, 298, 39, "05000000");
        check(OsuMatchLock { slot_id: 5 }, 298, 41, "05000000");
        check(OsuMatchTransferHost { slot_id: 2 }, 402, 71, "02000000");
        check(OsuTournamentMatchInfo { match_id: 9 }, 20121207, 93, "09000000");
        check(OsuTournamentJoinMatchChannel { match_id: 9 }, 20151107, 108, "09000000");
        check(OsuTournamentLeaveMatchChannel { match_id: 9 }, 20151107, 109, "09000000");
        // The reference reads Mods.Hidden|DoubleTime (72).
        check(OsuMatchChangeMods { mods: Mods::HIDDEN | Mods::DOUBLE_TIME }, 334, 53, "48000000");
        check(OsuMatchStart, 312, 45, "");
        check(OsuMatchChangeTeam, 558, 78, "");
        check(OsuMatchHasBeatmap, 340, 60, "");
        check(OsuMatchSkipRequest, 342, 61, "");
    }
}
