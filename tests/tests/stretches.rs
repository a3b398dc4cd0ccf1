//! Fields read in stretches: a derived struct reads each stretch of two or more fixed-size
//! fields with one bounds check, found when the code is compiled from the field types
//! (a nested struct with a string has no fixed size, and a field not on the wire in a
//! build has no bytes). What is read, and every error, must be what reading the fields
//! one by one gives.

use std::borrow::Cow;

use chio_packets::types::Mode;
use chio_packets::{BanchoPayload, Context, Decode, DecodeErrorKind, Encode};

/// No fixed size: it holds a string.
#[derive(Clone, Debug, PartialEq, BanchoPayload)]
struct Inner<'a> {
    name: Cow<'a, str>,
    level: u8,
}

/// `id` alone, `inner` (no fixed size), then a stretch of `score`, `legacy` (on the wire
/// before b20000101 only), `mode` and `accuracy`, then a string.
#[derive(Clone, Debug, PartialEq, BanchoPayload)]
struct Record<'a> {
    id: u32,
    inner: Inner<'a>,
    score: u64,
    #[bancho(until = 20000101)]
    #[bancho(default = 7)]
    legacy: u16,
    mode: Mode,
    accuracy: f32,
    tail: Cow<'a, str>,
}

const NEW: Context = Context::NEWEST;
const OLD: Context = Context::new(1797);

fn record() -> Record<'static> {
    Record {
        id: 0x0102_0304,
        inner: Inner { name: "peppy".into(), level: 99 },
        score: 123_456_789_012,
        legacy: 7,
        mode: Mode::Taiko,
        accuracy: 0.975,
        tail: "gg".into(),
    }
}

/// Where each field of `Record` starts in its payload for `ctx`, by name (the stretch's
/// fields, which are the ones of interest, have the sizes listed).
fn stretch(ctx: Context) -> Vec<(&'static str, usize, usize)> {
    // id 4, inner: string (2 + 5) and a byte.
    let mut at = 4 + 2 + 5 + 1;
    let mut fields = vec![("score", at, 8)];
    at += 8;
    if ctx.build() < 20000101 {
        fields.push(("legacy", at, 2));
        at += 2;
    }
    fields.push(("mode", at, 1));
    fields.push(("accuracy", at + 1, 4));
    fields
}

#[test]
fn records_read_back_in_every_layout() {
    for ctx in [NEW, OLD] {
        let bytes = record().encode_payload(ctx).unwrap();
        assert_eq!(bytes.len(), record().encoded_len(ctx));
        assert_eq!(Record::decode_payload(&bytes, ctx).unwrap(), record(), "b{}", ctx.build());
    }
    // Before b20000101 the legacy field is on the wire; later it holds its default.
    let old = record().encode_payload(OLD).unwrap();
    let new = record().encode_payload(NEW).unwrap();
    assert_eq!(old.len(), new.len() + 2);
    let mut changed = old.clone();
    changed[20..22].copy_from_slice(&9u16.to_le_bytes());
    assert_eq!(Record::decode_payload(&changed, OLD).unwrap().legacy, 9);
}

/// A payload cut anywhere in the stretch fails as a field-by-field read fails: at the
/// field the input ends in, with the bytes it needed and the bytes left.
#[test]
fn a_cut_in_a_stretch_names_the_field_it_ends_in() {
    for ctx in [NEW, OLD] {
        let bytes = record().encode_payload(ctx).unwrap();
        for (field, start, len) in stretch(ctx) {
            for cut in start..start + len {
                let error = Record::decode_payload(&bytes[..cut], ctx).unwrap_err();
                let at = format!("b{}, cut at {cut}", ctx.build());
                assert_eq!(error.path().to_string(), field, "{at}");
                assert_eq!(error.offset(), start, "{at}");
                let left = cut - start;
                assert_eq!(error.kind(), &DecodeErrorKind::UnexpectedEnd { needed: len, left }, "{at}");
            }
        }
    }
}

/// A value that is wrong inside a stretch is reported at its own offset (the stretch's
/// reader counts positions from the start of the payload).
#[test]
fn a_bad_value_in_a_stretch_is_reported_where_it_is() {
    for ctx in [NEW, OLD] {
        let mut bytes = record().encode_payload(ctx).unwrap();
        let (_, mode_at, _) = stretch(ctx).into_iter().find(|(field, _, _)| *field == "mode").unwrap();
        bytes[mode_at] = 9;
        let error = Record::decode_payload(&bytes, ctx).unwrap_err();
        assert_eq!(error.path().to_string(), "mode");
        assert_eq!(error.offset(), mode_at);
        assert!(matches!(error.kind(), DecodeErrorKind::InvalidEnum { value: 9, .. }), "{error}");
    }
}

/// A cut before the stretch, in the nested struct, is reported there, by its path.
#[test]
fn a_cut_before_the_stretch_is_reported_before_it() {
    let bytes = record().encode_payload(NEW).unwrap();
    let error = Record::decode_payload(&bytes[..11], NEW).unwrap_err();
    assert_eq!(error.path().to_string(), "inner.level");
    assert_eq!(error.offset(), 11);
}
