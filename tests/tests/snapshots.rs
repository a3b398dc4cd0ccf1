//! Snapshots of one value encoded for several builds: each line shows how a field window
//! or wire-type change moves the bytes.

use std::fmt::Write;

use chio_packets::presence::{BanchoUserStats, OsuUserStatus, UserStats, UserStatus};
use chio_packets::types::{Mode, Mods, Status};
use chio_packets::{Context, Decode, Encode};

fn status() -> UserStatus<'static> {
    UserStatus {
        action: Status::Playing,
        beatmap_update: true,
        text: "Ni".into(),
        beatmap_checksum: "ab".into(),
        mods: Mods::HIDDEN | Mods::DOUBLE_TIME,
        mode: Mode::Taiko,
        beatmap_id: 0x0102_0304,
    }
}

fn stats() -> BanchoUserStats<'static> {
    BanchoUserStats(UserStats {
        user_id: 1000,
        status: status(),
        ranked_score: 0x1122,
        accuracy: 0.5,
        play_count: 7,
        total_score: 0x3344,
        rank: 42,
        pp: 40_000,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
}

/// One line per context: `b<build> p<protocol>: <hex>` (or the error), checking that each
/// encoding decodes (with `reencode`) back to a value that re-encodes to the same bytes.
fn table<T: Encode>(value: &T, contexts: &[Context], reencode: fn(&[u8], Context) -> Vec<u8>) -> String {
    let mut out = String::new();
    for &ctx in contexts {
        let line = match value.encode_payload(ctx) {
            Ok(bytes) => {
                assert_eq!(bytes.len(), value.encoded_len(ctx));
                assert_eq!(reencode(&bytes, ctx), bytes, "re-encoding differs for b{}", ctx.build());
                hex(&bytes)
            }
            Err(err) => format!("error: {err}"),
        };
        writeln!(out, "b{} p{}: {line}", ctx.build(), ctx.protocol()).unwrap();
    }
    out
}

fn reencode_status_packet(bytes: &[u8], ctx: Context) -> Vec<u8> {
    OsuUserStatus::decode_payload(bytes, ctx).unwrap().encode_payload(ctx).unwrap()
}

fn reencode_status(bytes: &[u8], ctx: Context) -> Vec<u8> {
    UserStatus::decode_payload(bytes, ctx).unwrap().encode_payload(ctx).unwrap()
}

fn reencode_stats(bytes: &[u8], ctx: Context) -> Vec<u8> {
    BanchoUserStats::decode_payload(bytes, ctx).unwrap().encode_payload(ctx).unwrap()
}

#[test]
fn user_status_across_eras() {
    let contexts = [
        Context::new(282),
        Context::new(338),
        Context::new(489),
        Context::new(489).with_protocol(0),
        Context::new(490),
        Context::new(1788),
        Context::new(20120806),
        Context::new(20120818),
        Context::new(20120818).with_protocol(10),
        Context::new(20250306),
    ];
    insta::assert_snapshot!(table(&OsuUserStatus(status()), &contexts, reencode_status_packet));
}

#[test]
fn unknown_status_before_b338_carries_no_fields() {
    let unknown = UserStatus { action: Status::Unknown, ..status() };
    let contexts = [Context::new(282), Context::new(337), Context::new(338)];
    insta::assert_snapshot!(table(&unknown, &contexts, reencode_status));
}

#[test]
fn user_stats_pp_changes_wire_type() {
    let contexts = [
        Context::new(1788),
        Context::new(20120723),
        Context::new(20120723).with_protocol(7),
        Context::new(20250305),
        Context::new(20250306),
    ];
    // 40,000 pp does not fit the i16 of b20120723..b20250306: an error, not a clamp.
    insta::assert_snapshot!(table(&stats(), &contexts, reencode_stats));
    let fits = BanchoUserStats(UserStats { pp: 12_345, ..stats().0 });
    insta::assert_snapshot!("user_stats_pp_that_fits", table(&fits, &contexts, reencode_stats));
}

#[test]
fn decoded_value_snapshot() {
    let ctx = Context::new(20250306);
    let bytes = stats().encode_payload(ctx).unwrap();
    let decoded = BanchoUserStats::decode_payload(&bytes, ctx).unwrap();
    insta::assert_debug_snapshot!(decoded);
}
