//! Property tests: for random values and random builds and protocol versions, encoding is
//! exact in size, decodes back, and re-encodes to the same bytes; decoding random bytes
//! never panics.

use chio_packets::presence::{BanchoUserStats, UserStats, UserStatus};
use chio_packets::types::{Mode, Mods, Status};
use chio_packets::{Context, Decode, Encode, EncodeErrorKind};
use proptest::prelude::*;

/// Builds at and around every boundary the status and stats layouts use, plus any build.
fn context() -> impl Strategy<Value = Context> {
    let boundaries = prop::sample::select(vec![
        0u32,
        282,
        337,
        338,
        488,
        489,
        490,
        1787,
        1788,
        20120722,
        20120723,
        20120817,
        20120818,
        20250305,
        20250306,
        u32::MAX,
    ]);
    let build = prop_oneof![boundaries, any::<u32>()];
    (build, prop::option::of(0u8..=20)).prop_map(|(build, protocol)| match protocol {
        Some(p) => Context::new(build).with_protocol(p),
        None => Context::new(build),
    })
}

fn status() -> impl Strategy<Value = UserStatus<'static>> {
    (0u8..=13, any::<bool>(), ".{0,40}", "[0-9a-f]{0,32}", any::<u32>(), 0u8..=3, any::<i32>()).prop_map(
        |(action, beatmap_update, text, checksum, mods, mode, beatmap_id)| UserStatus {
            action: Status::try_from(action).unwrap(),
            beatmap_update,
            text: text.into(),
            beatmap_checksum: checksum.into(),
            mods: Mods::from_bits_retain(mods),
            mode: Mode::try_from(mode).unwrap(),
            beatmap_id,
        },
    )
}

fn stats() -> impl Strategy<Value = BanchoUserStats<'static>> {
    (
        any::<i32>(),
        status(),
        any::<u64>(),
        any::<f32>(),
        any::<u32>(),
        any::<u64>(),
        any::<i32>(),
        any::<u16>(),
    )
        .prop_map(|(user_id, status, ranked_score, accuracy, play_count, total_score, rank, pp)| {
            BanchoUserStats(UserStats {
                user_id,
                status,
                ranked_score,
                accuracy,
                play_count,
                total_score,
                rank,
                pp,
            })
        })
}

/// The mods of a status are sent as `u16` unless the build and protocol allow `u32`.
fn mods_are_wide(ctx: Context) -> bool {
    ctx.build() >= 20120818 && ctx.protocol() >= 11
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn status_round_trips(value in status(), ctx in context()) {
        match value.encode_payload(ctx) {
            Ok(bytes) => {
                prop_assert_eq!(bytes.len(), value.encoded_len(ctx));
                let decoded = UserStatus::decode_payload(&bytes, ctx).unwrap();
                prop_assert_eq!(&decoded.encode_payload(ctx).unwrap(), &bytes);
                if ctx.build() >= 1788 {
                    // Every field is on the wire from b1788 except the b338–b1787 flag.
                    prop_assert_eq!(decoded, UserStatus { beatmap_update: true, ..value });
                }
            }
            Err(err) => {
                // The only way to fail: mods above 16 bits for a 16-bit build.
                prop_assert!(!mods_are_wide(ctx) && value.mods.bits() > 0xffff, "{err}");
                let narrow = matches!(err.kind(), EncodeErrorKind::OutOfRange { wire: "u16", .. });
                prop_assert!(narrow, "unexpected error {}", err);
                prop_assert_eq!(err.path().to_string(), "mods");
            }
        }
    }

    #[test]
    fn stats_round_trip(mut value in stats(), ctx in context()) {
        value.0.status.beatmap_update = true;
        value.0.status.mods &= Mods::from_bits_retain(0xffff);
        let pp_is_narrow = ctx.build() >= 20120723 && ctx.build() < 20250306 && ctx.protocol() >= 8;
        match value.encode_payload(ctx) {
            Ok(bytes) => {
                prop_assert!(!pp_is_narrow || value.0.pp <= 0x7fff);
                prop_assert_eq!(bytes.len(), value.encoded_len(ctx));
                let decoded = BanchoUserStats::decode_payload(&bytes, ctx).unwrap();
                prop_assert_eq!(&decoded.encode_payload(ctx).unwrap(), &bytes);
                if ctx.build() >= 20250306 {
                    // NaN accuracies compare unequal; compare them by bits.
                    prop_assert_eq!(decoded.0.accuracy.to_bits(), value.0.accuracy.to_bits());
                    let (decoded, value) = (UserStats { accuracy: 0.0, ..decoded.0 }, UserStats { accuracy: 0.0, ..value.0 });
                    prop_assert_eq!(decoded, value);
                }
            }
            Err(err) => {
                prop_assert!(pp_is_narrow && value.0.pp > 0x7fff, "{err}");
                prop_assert_eq!(err.to_string(), format!("BanchoUserStats.pp: value {} does not fit wire type i16", value.0.pp));
            }
        }
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..96), ctx in context()) {
        let _ = UserStatus::decode_payload(&bytes, ctx);
        let _ = BanchoUserStats::decode_payload(&bytes, ctx);
    }

    #[test]
    fn every_truncation_is_an_error(value in stats(), cut in any::<prop::sample::Index>()) {
        let ctx = Context::new(20250306);
        let bytes = value.encode_payload(ctx).unwrap();
        let cut = cut.index(bytes.len());
        prop_assert!(BanchoUserStats::decode_payload(&bytes[..cut], ctx).is_err());
    }
}
