//! Exact-byte tests of chio-core's wire primitives: numbers, `bool`, ULEB128, strings,
//! lists, `Bools8`, `Trailing`, `WireCast`, `decode_payload` and the error messages.
//!
//! Every encoding in this file goes through [`encode`], which also checks that
//! `encoded_len` (and `FIXED_LEN` where there is one) is exact, that an exact-size slice is
//! filled to its last byte, and that primitives encode the same in every context. Every
//! expected decoding error goes through [`read_err`], which also checks that the error's
//! offset counts from the start of the input rather than from the start of the value.

use std::borrow::Cow;
use std::error::Error as _;
use std::fmt::Debug;

use bytes::BufMut;
use chio_core::primitives::{list, string, uleb128};
use chio_core::{
    Bools8, Context, CountPrefix, Decode, DecodeError, DecodeErrorKind, Encode, EncodeError, EncodeErrorKind,
    LimitKind, Limits, PathSegment, Reader, Trailing, Uleb128, WireCast,
};

/// The context used for decoding; primitives do not depend on it.
const CTX: Context = Context::NEWEST;

/// Contexts every encoding is checked under: oldest, a middle build, newest.
const CONTEXTS: [Context; 3] = [Context::OLDEST, Context::new(20121028), Context::NEWEST];

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// Encodes `value`, checking `encoded_len`, `FIXED_LEN` and context independence.
fn encode<T: Encode + ?Sized>(value: &T) -> Vec<u8> {
    let bytes = value.encode_payload(CTX).unwrap_or_else(|e| panic!("encoding failed: {e}"));
    if let Some(fixed) = T::FIXED_LEN {
        assert_eq!(fixed, bytes.len(), "FIXED_LEN disagrees with the bytes written");
    }
    for ctx in CONTEXTS {
        assert_eq!(value.encoded_len(ctx), bytes.len(), "encoded_len under {ctx:?}");
        let mut exact = vec![0u8; bytes.len()];
        let mut room: &mut [u8] = &mut exact;
        value.encode(&mut room, ctx).unwrap();
        assert!(room.is_empty(), "{} bytes of an exact-size buffer left unwritten", room.len());
        assert_eq!(exact, bytes, "encoding differs under {ctx:?}");
    }
    bytes
}

/// Asserts that `value` encodes to exactly `expected`.
#[track_caller]
fn assert_encodes<T: Encode + ?Sized>(value: &T, expected: &[u8]) {
    assert_eq!(encode(value), expected);
}

/// Asserts that encoding `value` fails with `kind` at `path` (`""` for the root).
#[track_caller]
fn assert_encode_err<T: Encode + ?Sized>(value: &T, kind: EncodeErrorKind, path: &str) {
    let err = value.encode_payload(CTX).expect_err("encoding should fail");
    assert_eq!(err.kind(), &kind);
    assert_eq!(err.path().to_string(), path);
}

/// Decodes a `T` that must span all of `bytes`, with the default limits.
#[track_caller]
fn decode<T: for<'a> Decode<'a>>(bytes: &[u8]) -> T {
    T::decode_payload(bytes, CTX).unwrap_or_else(|e| panic!("decoding {bytes:02x?} failed: {e}"))
}

/// Asserts `value` encodes to `expected` and `expected` decodes back to `value`.
#[track_caller]
fn check_round_trip<T>(value: &T, expected: &[u8])
where
    T: Encode + for<'a> Decode<'a> + PartialEq + Debug,
{
    assert_encodes(value, expected);
    assert_eq!(&decode::<T>(expected), value);
}

/// Runs `read` over `bytes` and returns its error.
///
/// Also runs it over the same bytes behind three bytes already consumed, and checks the
/// error is the same except for an offset three bytes further.
#[track_caller]
fn read_err(
    bytes: &[u8],
    limits: Limits,
    read: impl Fn(&mut Reader<'_>) -> Result<String, DecodeError>,
) -> DecodeError {
    let err = match read(&mut Reader::new(bytes).with_limits(limits)) {
        Ok(value) => panic!("decoding {bytes:02x?} gave {value}, expected an error"),
        Err(err) => err,
    };
    let mut shifted = vec![0xee; 3];
    shifted.extend_from_slice(bytes);
    let mut reader = Reader::new(&shifted).with_limits(limits);
    reader.take(3).unwrap();
    let moved = read(&mut reader).expect_err("the shifted input decoded");
    assert_eq!(moved.kind(), err.kind(), "kind changed with the input's start");
    assert_eq!(moved.path(), err.path(), "path changed with the input's start");
    assert_eq!(moved.offset(), err.offset() + 3, "offset is not relative to the input");
    err
}

/// The error decoding a `T` from `bytes` with `limits`.
#[track_caller]
fn decode_err_with<T: for<'a> Decode<'a> + Debug>(bytes: &[u8], limits: Limits) -> DecodeError {
    read_err(bytes, limits, |r| T::decode(r, CTX).map(|v| format!("{v:?}")))
}

/// The error decoding a `T` from `bytes` with the default limits.
#[track_caller]
fn decode_err<T: for<'a> Decode<'a> + Debug>(bytes: &[u8]) -> DecodeError {
    decode_err_with::<T>(bytes, Limits::DEFAULT)
}

/// The error reading a `C`-counted list of `T` from `bytes` with `limits`.
#[track_caller]
fn list_err<C: CountPrefix, T: for<'a> Decode<'a> + Debug>(bytes: &[u8], limits: Limits) -> DecodeError {
    read_err(bytes, limits, |r| list::decode::<C, T>(r, CTX).map(|v| format!("{v:?}")))
}

/// Asserts an error's kind and offset.
#[track_caller]
fn assert_err(err: &DecodeError, kind: DecodeErrorKind, offset: usize) {
    assert_eq!(err.kind(), &kind, "{err}");
    assert_eq!(err.offset(), offset, "{err}");
}

/// Asserts decoding a `T` from `bytes` fails with `kind` at `offset`.
#[track_caller]
fn assert_decode_err<T: for<'a> Decode<'a> + Debug>(bytes: &[u8], kind: DecodeErrorKind, offset: usize) {
    assert_err(&decode_err::<T>(bytes), kind, offset);
}

fn unexpected_end(needed: usize, left: usize) -> DecodeErrorKind {
    DecodeErrorKind::UnexpectedEnd { needed, left }
}

/// Writes a `C`-counted list, checking `list::encoded_len`.
fn encode_list<C: CountPrefix, T: Encode>(items: &[T]) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::new();
    list::encode::<C, T, Vec<u8>>(items, &mut out, CTX)?;
    assert_eq!(list::encoded_len::<C, T>(items, CTX), out.len(), "list::encoded_len");
    Ok(out)
}

/// Reads a `C`-counted list that must span all of `bytes`.
#[track_caller]
fn decode_list<C: CountPrefix, T: for<'a> Decode<'a>>(bytes: &[u8], limits: Limits) -> Vec<T> {
    let mut reader = Reader::new(bytes).with_limits(limits);
    let items = list::decode::<C, T>(&mut reader, CTX)
        .unwrap_or_else(|e| panic!("decoding {bytes:02x?} failed: {e}"));
    assert!(reader.is_empty(), "{} bytes left after the list", reader.remaining());
    items
}

/// Asserts a `C`-counted list encodes to `expected` and decodes back.
#[track_caller]
fn check_list<C: CountPrefix, T>(items: &[T], expected: &[u8])
where
    T: Encode + for<'a> Decode<'a> + PartialEq + Debug,
{
    assert_eq!(encode_list::<C, T>(items).unwrap(), expected);
    assert_eq!(decode_list::<C, T>(expected, Limits::DEFAULT), items);
}

/// A value of `len` bytes of varied ASCII.
fn ascii(len: usize) -> String {
    (b'a'..=b'z').cycle().take(len).map(char::from).collect()
}

/// An encoding's bytes followed by more bytes.
fn concat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// An element whose encoding fails when its flag is set.
#[derive(Debug)]
struct Fails(bool);

impl Encode for Fails {
    fn encoded_len(&self, _: Context) -> usize {
        1
    }
    fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, _: Context) -> Result<(), EncodeError> {
        if self.0 {
            return Err(EncodeErrorKind::Custom("refused".into()).into());
        }
        buf.put_u8(0xaa);
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------

/// Checks a fixed-size number: exact bytes, `FIXED_LEN`/`MIN_LEN`, a bit-exact round trip,
/// every truncation, and trailing bytes (an error for `decode_payload`, left in the
/// reader by `decode`).
#[track_caller]
fn check_number<T>(value: T, expected: &[u8])
where
    T: Encode + for<'a> Decode<'a> + Debug,
{
    let n = expected.len();
    assert_encodes(&value, expected);
    assert_eq!(T::FIXED_LEN, Some(n));
    assert_eq!(<T as Decode<'static>>::MIN_LEN, n);

    let decoded = decode::<T>(expected);
    assert_eq!(format!("{decoded:?}"), format!("{value:?}"));
    // Re-encoding compares bit patterns, so NaN payloads and -0.0 are covered.
    assert_encodes(&decoded, expected);

    for short in 0..n {
        assert_decode_err::<T>(&expected[..short], unexpected_end(n, short), 0);
    }

    let padded = concat(&[expected, &[0xaa, 0xbb]]);
    let err = T::decode_payload(&padded, CTX).unwrap_err();
    assert_err(&err, DecodeErrorKind::TrailingBytes(2), n);
    let tolerant = T::decode(&mut Reader::new(&padded), CTX).unwrap();
    assert_eq!(format!("{tolerant:?}"), format!("{value:?}"));
}

#[test]
fn u8_bytes() {
    check_number(0u8, &[0x00]);
    check_number(1u8, &[0x01]);
    check_number(0x7fu8, &[0x7f]);
    check_number(u8::MAX, &[0xff]);
}

#[test]
fn i8_bytes() {
    check_number(0i8, &[0x00]);
    check_number(1i8, &[0x01]);
    check_number(-1i8, &[0xff]);
    check_number(i8::MIN, &[0x80]);
    check_number(i8::MAX, &[0x7f]);
}

#[test]
fn u16_bytes() {
    check_number(0u16, &[0x00, 0x00]);
    check_number(1u16, &[0x01, 0x00]);
    check_number(0x1234u16, &[0x34, 0x12]);
    check_number(u16::MAX, &[0xff, 0xff]);
}

#[test]
fn i16_bytes() {
    check_number(0i16, &[0x00, 0x00]);
    check_number(1i16, &[0x01, 0x00]);
    check_number(-1i16, &[0xff, 0xff]);
    check_number(i16::MIN, &[0x00, 0x80]);
    check_number(i16::MAX, &[0xff, 0x7f]);
    check_number(0x1234i16, &[0x34, 0x12]);
}

#[test]
fn u32_bytes() {
    check_number(0u32, &[0x00; 4]);
    check_number(1u32, &[0x01, 0x00, 0x00, 0x00]);
    check_number(0x0102_0304u32, &[0x04, 0x03, 0x02, 0x01]);
    check_number(u32::MAX, &[0xff; 4]);
}

#[test]
fn i32_bytes() {
    check_number(0i32, &[0x00; 4]);
    check_number(1i32, &[0x01, 0x00, 0x00, 0x00]);
    check_number(-1i32, &[0xff; 4]);
    check_number(i32::MIN, &[0x00, 0x00, 0x00, 0x80]);
    check_number(i32::MAX, &[0xff, 0xff, 0xff, 0x7f]);
    check_number(0x0102_0304i32, &[0x04, 0x03, 0x02, 0x01]);
}

#[test]
fn u64_bytes() {
    check_number(0u64, &[0x00; 8]);
    check_number(1u64, &[0x01, 0, 0, 0, 0, 0, 0, 0]);
    check_number(0x0102_0304_0506_0708u64, &[0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01]);
    check_number(u64::MAX, &[0xff; 8]);
}

#[test]
fn i64_bytes() {
    check_number(0i64, &[0x00; 8]);
    check_number(1i64, &[0x01, 0, 0, 0, 0, 0, 0, 0]);
    check_number(-1i64, &[0xff; 8]);
    check_number(i64::MIN, &[0, 0, 0, 0, 0, 0, 0, 0x80]);
    check_number(i64::MAX, &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    check_number(0x0102_0304_0506_0708i64, &[0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01]);
}

#[test]
fn f32_bytes() {
    check_number(0.0f32, &[0x00, 0x00, 0x00, 0x00]);
    check_number(-0.0f32, &[0x00, 0x00, 0x00, 0x80]);
    check_number(1.0f32, &[0x00, 0x00, 0x80, 0x3f]);
    check_number(-1.0f32, &[0x00, 0x00, 0x80, 0xbf]);
    check_number(1.5f32, &[0x00, 0x00, 0xc0, 0x3f]);
    check_number(f32::MIN, &[0xff, 0xff, 0x7f, 0xff]);
    check_number(f32::MAX, &[0xff, 0xff, 0x7f, 0x7f]);
    check_number(f32::MIN_POSITIVE, &[0x00, 0x00, 0x80, 0x00]);
    check_number(f32::from_bits(1), &[0x01, 0x00, 0x00, 0x00]);
    check_number(f32::INFINITY, &[0x00, 0x00, 0x80, 0x7f]);
    check_number(f32::NEG_INFINITY, &[0x00, 0x00, 0x80, 0xff]);
    check_number(f32::from_bits(0x7fc0_0000), &[0x00, 0x00, 0xc0, 0x7f]);
    // A NaN with a payload keeps every bit.
    check_number(f32::from_bits(0x7f80_0001), &[0x01, 0x00, 0x80, 0x7f]);
    assert!(decode::<f32>(&[0x01, 0x00, 0x80, 0x7f]).is_nan());
}

#[test]
fn f64_bytes() {
    check_number(0.0f64, &[0, 0, 0, 0, 0, 0, 0, 0]);
    check_number(-0.0f64, &[0, 0, 0, 0, 0, 0, 0, 0x80]);
    check_number(1.0f64, &[0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    check_number(-1.0f64, &[0, 0, 0, 0, 0, 0, 0xf0, 0xbf]);
    check_number(f64::MIN, &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xef, 0xff]);
    check_number(f64::MAX, &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xef, 0x7f]);
    check_number(f64::MIN_POSITIVE, &[0, 0, 0, 0, 0, 0, 0x10, 0x00]);
    check_number(f64::INFINITY, &[0, 0, 0, 0, 0, 0, 0xf0, 0x7f]);
    check_number(f64::NEG_INFINITY, &[0, 0, 0, 0, 0, 0, 0xf0, 0xff]);
    check_number(f64::from_bits(0x7ff8_0000_0000_0000), &[0, 0, 0, 0, 0, 0, 0xf8, 0x7f]);
    check_number(f64::from_bits(0x7ff0_0000_0000_0001), &[1, 0, 0, 0, 0, 0, 0xf0, 0x7f]);
}

#[test]
fn numbers_read_in_sequence_from_one_reader() {
    let input = [0x01, 0x02, 0x00, 0x03, 0x00, 0x00, 0x00, 0xff];
    let mut reader = Reader::new(&input);
    assert_eq!(u8::decode(&mut reader, CTX).unwrap(), 1);
    assert_eq!(u16::decode(&mut reader, CTX).unwrap(), 2);
    assert_eq!(i32::decode(&mut reader, CTX).unwrap(), 3);
    assert_eq!(reader.position(), 7);
    let err = u16::decode(&mut reader, CTX).unwrap_err();
    assert_err(&err, unexpected_end(2, 1), 7);
    // A failed read consumes nothing.
    assert_eq!(reader.position(), 7);
    assert_eq!(i8::decode(&mut reader, CTX).unwrap(), -1);
}

// ---------------------------------------------------------------------------------------
// bool and ()
// ---------------------------------------------------------------------------------------

#[test]
fn bool_encodes_as_zero_or_one() {
    assert_encodes(&false, &[0x00]);
    assert_encodes(&true, &[0x01]);
    assert_eq!(bool::FIXED_LEN, Some(1));
    assert_eq!(<bool as Decode>::MIN_LEN, 1);
}

#[test]
fn bool_decodes_any_nonzero_byte_as_true() {
    assert!(!decode::<bool>(&[0x00]));
    for byte in [0x01, 0x02, 0x80, 0xff] {
        assert!(decode::<bool>(&[byte]), "{byte:#04x}");
    }
    // A non-canonical true re-encodes canonically.
    assert_encodes(&decode::<bool>(&[0x02]), &[0x01]);
}

#[test]
fn bool_on_empty_input_is_unexpected_end() {
    assert_decode_err::<bool>(&[], unexpected_end(1, 0), 0);
}

#[test]
fn unit_is_nothing_on_the_wire() {
    assert_encodes(&(), &[]);
    decode::<()>(&[]);
    let err = <()>::decode_payload(&[0x00], CTX).unwrap_err();
    assert_err(&err, DecodeErrorKind::TrailingBytes(1), 0);
}

// ---------------------------------------------------------------------------------------
// ULEB128
// ---------------------------------------------------------------------------------------

/// Every boundary of the encoded length, with its shortest encoding.
const ULEB_TABLE: &[(u32, &[u8])] = &[
    (0, &[0x00]),
    (1, &[0x01]),
    (127, &[0x7f]),
    (128, &[0x80, 0x01]),
    (300, &[0xac, 0x02]),
    (16383, &[0xff, 0x7f]),
    (16384, &[0x80, 0x80, 0x01]),
    ((1 << 21) - 1, &[0xff, 0xff, 0x7f]),
    (1 << 21, &[0x80, 0x80, 0x80, 0x01]),
    ((1 << 28) - 1, &[0xff, 0xff, 0xff, 0x7f]),
    (1 << 28, &[0x80, 0x80, 0x80, 0x80, 0x01]),
    (u32::MAX, &[0xff, 0xff, 0xff, 0xff, 0x0f]),
];

/// Reads a ULEB128 with `uleb128::read`, returning the value and the bytes consumed.
fn read_uleb(bytes: &[u8]) -> Result<(u32, usize), DecodeError> {
    let mut reader = Reader::new(bytes);
    let value = uleb128::read(&mut reader)?;
    Ok((value, reader.position()))
}

#[test]
fn uleb128_put_and_len_at_every_boundary() {
    for &(value, expected) in ULEB_TABLE {
        let mut out = Vec::new();
        uleb128::put(&mut out, value);
        assert_eq!(out, expected, "uleb128::put({value})");
        assert_eq!(uleb128::size(value), expected.len(), "uleb128::size({value})");
        assert!(expected.len() <= uleb128::MAX_LEN);
    }
}

#[test]
fn uleb128_round_trips_at_every_boundary() {
    for &(value, expected) in ULEB_TABLE {
        check_round_trip(&Uleb128(value), expected);
        assert_eq!(read_uleb(expected).unwrap(), (value, expected.len()), "{value}");
    }
    assert_eq!(Uleb128::FIXED_LEN, None);
    assert_eq!(<Uleb128 as Decode>::MIN_LEN, 1);
}

#[test]
fn uleb128_truncated_is_unexpected_end() {
    for &(value, expected) in ULEB_TABLE {
        for short in 0..expected.len() {
            // The missing byte is the one at `short`.
            assert_decode_err::<Uleb128>(&expected[..short], unexpected_end(1, 0), short);
            let err = read_uleb(&expected[..short]).unwrap_err();
            assert_eq!(err.kind(), &unexpected_end(1, 0), "{value} cut to {short} bytes");
        }
    }
}

#[test]
fn uleb128_accepts_overlong_forms_in_range() {
    let cases: &[(&[u8], u32)] = &[
        (&[0x80, 0x00], 0),
        (&[0x80, 0x80, 0x00], 0),
        (&[0x80, 0x80, 0x80, 0x80, 0x00], 0),
        (&[0xff, 0x00], 127),
        (&[0x81, 0x80, 0x80, 0x00], 1),
        (&[0x80, 0x81, 0x80, 0x80, 0x00], 128),
        (&[0xff, 0xff, 0xff, 0xff, 0x0f], u32::MAX),
    ];
    for &(bytes, value) in cases {
        assert_eq!(read_uleb(bytes).unwrap(), (value, bytes.len()), "{bytes:02x?}");
        assert_eq!(decode::<Uleb128>(bytes), Uleb128(value));
    }
}

#[test]
fn uleb128_stops_at_the_first_byte_without_continuation() {
    assert_eq!(read_uleb(&[0x7f, 0xff, 0xff]).unwrap(), (127, 1));
    let err = Uleb128::decode_payload(&[0x05, 0x01], CTX).unwrap_err();
    assert_err(&err, DecodeErrorKind::TrailingBytes(1), 1);
}

#[test]
fn uleb128_rejects_more_than_five_bytes_and_bits_above_u32() {
    let overflows: &[&[u8]] = &[
        // Six-byte forms, even of small values.
        &[0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
        &[0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
        // A fifth byte with a continuation bit, whether or not more input follows.
        &[0xff, 0xff, 0xff, 0xff, 0x8f],
        &[0x80, 0x80, 0x80, 0x80, 0x80],
        // A fifth byte with bits 32 and up.
        &[0xff, 0xff, 0xff, 0xff, 0x1f],
        &[0x80, 0x80, 0x80, 0x80, 0x10],
        &[0xff, 0xff, 0xff, 0xff, 0x7f],
    ];
    for &bytes in overflows {
        assert_decode_err::<Uleb128>(bytes, DecodeErrorKind::UlebOverflow, 0);
    }
}

// ---------------------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------------------

/// Checks that every string type encodes `s` as `expected`, that every string type
/// decodes it back, and that every truncation is an unexpected end.
#[track_caller]
fn check_string(s: &str, expected: &[u8]) {
    assert_encodes(s, expected);
    assert_encodes(&s, expected);
    assert_encodes(&s.to_owned(), expected);
    assert_encodes(&Cow::Borrowed(s), expected);
    assert_encodes(&Cow::<str>::Owned(s.to_owned()), expected);
    assert_encodes(&Box::<str>::from(s), expected);
    assert_eq!(string::encoded_len(s, CTX), expected.len());

    assert_eq!(decode::<String>(expected), s);
    assert_eq!(<&str>::decode_payload(expected, CTX).unwrap(), s);
    let cow = <Cow<str>>::decode_payload(expected, CTX).unwrap();
    assert!(matches!(cow, Cow::Borrowed(_)));
    assert_eq!(cow, s);

    for short in 0..expected.len() {
        let err = decode_err::<String>(&expected[..short]);
        assert!(matches!(err.kind(), DecodeErrorKind::UnexpectedEnd { .. }), "{err}");
    }
}

#[test]
fn empty_string_encodes_as_a_bare_zero() {
    check_string("", &[0x00]);
    assert_encodes(&String::new(), &[0x00]);
}

#[test]
fn both_empty_forms_decode_to_the_empty_string() {
    for bytes in [&[0x00][..], &[0x0b, 0x00], &[0x0b, 0x80, 0x00]] {
        assert_eq!(decode::<String>(bytes), "");
        assert_eq!(<&str>::decode_payload(bytes, CTX).unwrap(), "");
        let cow = <Cow<str>>::decode_payload(bytes, CTX).unwrap();
        assert!(matches!(cow, Cow::Borrowed("")), "{bytes:02x?}");
    }
}

#[test]
fn string_headers_carry_the_uleb128_byte_length() {
    let headers: &[(usize, &[u8])] = &[
        (1, &[0x0b, 0x01]),
        (127, &[0x0b, 0x7f]),
        (128, &[0x0b, 0x80, 0x01]),
        (16383, &[0x0b, 0xff, 0x7f]),
        (16384, &[0x0b, 0x80, 0x80, 0x01]),
    ];
    for &(len, header) in headers {
        let s = ascii(len);
        check_string(&s, &concat(&[header, s.as_bytes()]));
    }
}

#[test]
fn string_over_two_mebibytes_has_a_four_byte_length() {
    let s = ascii(1 << 21);
    let expected = concat(&[&[0x0b, 0x80, 0x80, 0x80, 0x01], s.as_bytes()]);
    assert_encodes(s.as_str(), &expected);
    let decoded =
        Reader::new(&expected).with_limits(Limits::UNLIMITED).decode_payload::<String>(CTX).unwrap();
    assert_eq!(decoded, s);
}

#[test]
fn string_length_counts_utf8_bytes() {
    check_string("你好", &[0x0b, 0x06, 0xe4, 0xbd, 0xa0, 0xe5, 0xa5, 0xbd]);
    check_string("é", &[0x0b, 0x02, 0xc3, 0xa9]);
    check_string("🎵", &[0x0b, 0x04, 0xf0, 0x9f, 0x8e, 0xb5]);
    check_string("#osu", b"\x0b\x04#osu");
    check_string("a\0b", &[0x0b, 0x03, b'a', 0x00, b'b']);
}

#[test]
fn invalid_utf8_reports_the_valid_prefix_and_the_body_offset() {
    assert_decode_err::<String>(
        &[0x0b, 0x04, b'a', b'b', 0xff, b'c'],
        DecodeErrorKind::InvalidUtf8 { valid_up_to: 2 },
        2,
    );
    // A character cut short by the length.
    assert_decode_err::<String>(
        &[0x0b, 0x02, 0xe4, 0xbd],
        DecodeErrorKind::InvalidUtf8 { valid_up_to: 0 },
        2,
    );
    // A lone continuation byte after a valid multi-byte character.
    assert_decode_err::<String>(
        &[0x0b, 0x03, 0xc3, 0xa9, 0xa9],
        DecodeErrorKind::InvalidUtf8 { valid_up_to: 2 },
        2,
    );
    // With a two-byte length, the body starts at byte 3.
    let mut body = ascii(200).into_bytes();
    body[150] = 0xc0;
    let input = concat(&[&[0x0b, 0xc8, 0x01], &body]);
    assert_decode_err::<String>(&input, DecodeErrorKind::InvalidUtf8 { valid_up_to: 150 }, 3);
}

#[test]
fn invalid_utf8_is_rejected_by_every_string_type() {
    let input = [0x0b, 0x01, 0x80];
    let kind = DecodeErrorKind::InvalidUtf8 { valid_up_to: 0 };
    assert_err(
        &read_err(&input, Limits::DEFAULT, |r| <&str>::decode(r, CTX).map(String::from)),
        kind.clone(),
        2,
    );
    assert_err(&read_err(&input, Limits::DEFAULT, |r| <Cow<str>>::decode(r, CTX).map(String::from)), kind, 2);
}

#[test]
fn other_marker_bytes_are_rejected_at_the_marker() {
    for marker in [0x01, 0x0a, 0x0c, 0x80, 0xff] {
        assert_decode_err::<String>(&[marker, 0x01, b'a'], DecodeErrorKind::BadStringMarker(marker), 0);
    }
}

#[test]
fn string_on_empty_or_cut_header_is_unexpected_end() {
    assert_decode_err::<String>(&[], unexpected_end(1, 0), 0);
    // The length is missing.
    assert_decode_err::<String>(&[0x0b], unexpected_end(1, 0), 1);
    // The length is cut inside its ULEB128.
    assert_decode_err::<String>(&[0x0b, 0x80], unexpected_end(1, 0), 2);
}

#[test]
fn string_length_overflowing_uleb128_is_rejected_at_the_length() {
    assert_decode_err::<String>(
        &[0x0b, 0xff, 0xff, 0xff, 0xff, 0x1f, b'a'],
        DecodeErrorKind::UlebOverflow,
        1,
    );
}

#[test]
fn string_longer_than_the_input_is_unexpected_end() {
    assert_decode_err::<String>(&[0x0b, 0x05, b'a', b'b'], unexpected_end(5, 2), 2);
    // A length of u32::MAX with only one byte behind it: fails without allocating.
    let input = [0x0b, 0xff, 0xff, 0xff, 0xff, 0x0f, b'a'];
    let huge = u32::MAX as usize;
    let err = decode_err_with::<String>(&input, Limits::UNLIMITED);
    assert_err(&err, unexpected_end(huge, 1), 6);
    let err = read_err(&input, Limits::UNLIMITED, |r| <&str>::decode(r, CTX).map(String::from));
    assert_err(&err, unexpected_end(huge, 1), 6);
}

#[test]
fn string_over_the_length_limit_is_rejected_at_the_marker() {
    let limits = Limits { max_string_len: 4, ..Limits::DEFAULT };
    let at_limit = [0x0b, 0x04, b'a', b'b', b'c', b'd'];
    let decoded = String::decode(&mut Reader::new(&at_limit).with_limits(limits), CTX).unwrap();
    assert_eq!(decoded, "abcd");

    let over = LimitKind::StringLength;
    let kind = DecodeErrorKind::LimitExceeded { kind: over, value: 5, limit: 4 };
    let err = decode_err_with::<String>(&[0x0b, 0x05, b'a', b'b', b'c', b'd', b'e'], limits);
    assert_err(&err, kind.clone(), 0);
    // The limit is checked before the input length.
    assert_err(&decode_err_with::<String>(&[0x0b, 0x05], limits), kind, 0);
    // The empty forms are always within the limit.
    let zero = Limits { max_string_len: 0, ..Limits::DEFAULT };
    let empty = <&str>::decode(&mut Reader::new(&[0x0b, 0x00]).with_limits(zero), CTX).unwrap();
    assert_eq!(empty, "");
}

/// The default string cap holds exactly: a string of its length decodes, one byte more
/// does not. The cap is read from `Limits::DEFAULT`, so changing it edits limits.rs only.
#[test]
fn default_string_limit_holds_exactly() {
    let limit = Limits::DEFAULT.max_string_len;
    let s = ascii(limit as usize);
    assert_eq!(decode::<String>(&encode(&s)).len(), limit as usize);

    let s = ascii(limit as usize + 1);
    let kind = LimitKind::StringLength;
    assert_decode_err::<String>(
        &encode(&s),
        DecodeErrorKind::LimitExceeded { kind, value: (limit + 1).into(), limit: limit.into() },
        0,
    );
}

#[test]
fn borrowed_strings_point_into_the_input() {
    let input = b"\xff\x0b\x03abc\x0b\x02de";
    let mut reader = Reader::new(input);
    reader.take(1).unwrap();

    let cow = <Cow<str>>::decode(&mut reader, CTX).unwrap();
    let Cow::Borrowed(s) = cow else { panic!("decoded an owned string: {cow:?}") };
    assert_eq!(s, "abc");
    assert!(std::ptr::eq(s.as_ptr(), input[3..].as_ptr()));

    let s = <&str>::decode(&mut reader, CTX).unwrap();
    assert_eq!(s, "de");
    assert!(std::ptr::eq(s.as_ptr(), input[8..].as_ptr()));
    assert!(reader.is_empty());
}

#[test]
fn string_min_len_is_one() {
    assert_eq!(<String as Decode>::MIN_LEN, 1);
    assert_eq!(<&str as Decode>::MIN_LEN, 1);
    assert_eq!(<Cow<str> as Decode>::MIN_LEN, 1);
    assert_eq!(String::FIXED_LEN, None);
}

// ---------------------------------------------------------------------------------------
// Lists
// ---------------------------------------------------------------------------------------

#[test]
fn vec_has_an_i32_count() {
    check_round_trip(&Vec::<i32>::new(), &[0x00, 0x00, 0x00, 0x00]);
    check_round_trip(
        &vec![1i32, -1],
        &[0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff],
    );
    check_round_trip(&vec![0xabu8, 0xcd], &[0x02, 0x00, 0x00, 0x00, 0xab, 0xcd]);
    check_round_trip(
        &vec!["a".to_owned(), String::new(), "bc".to_owned()],
        &[0x03, 0, 0, 0, 0x0b, 0x01, b'a', 0x00, 0x0b, 0x02, b'b', b'c'],
    );
    check_round_trip(&vec![vec![1u16], vec![]], &[0x02, 0, 0, 0, 0x01, 0, 0, 0, 0x01, 0x00, 0x00, 0, 0, 0]);
    assert_eq!(Vec::<u8>::FIXED_LEN, None);
    assert_eq!(<Vec<u8> as Decode>::MIN_LEN, 4);
}

#[test]
fn vec_of_borrowed_strings_points_into_the_input() {
    let input = [0x02, 0, 0, 0, 0x0b, 0x01, b'x', 0x00];
    let items = <Vec<Cow<str>>>::decode_payload(&input, CTX).unwrap();
    assert!(matches!(items[..], [Cow::Borrowed("x"), Cow::Borrowed("")]));
    assert!(std::ptr::eq(items[0].as_ptr(), input[6..].as_ptr()));
    assert_encodes(&items, &input);
}

#[test]
fn count_prefixes_have_their_own_width() {
    let items = [1u16, 2, 3];
    let body = [0x01, 0x00, 0x02, 0x00, 0x03, 0x00];
    check_list::<u8, u16>(&items, &concat(&[&[0x03], &body]));
    check_list::<u16, u16>(&items, &concat(&[&[0x03, 0x00], &body]));
    check_list::<i16, u16>(&items, &concat(&[&[0x03, 0x00], &body]));
    check_list::<u32, u16>(&items, &concat(&[&[0x03, 0x00, 0x00, 0x00], &body]));
    check_list::<i32, u16>(&items, &concat(&[&[0x03, 0x00, 0x00, 0x00], &body]));

    check_list::<u8, String>(&[], &[0x00]);
    check_list::<u16, String>(&["hi".to_owned()], &[0x01, 0x00, 0x0b, 0x02, b'h', b'i']);
    assert_eq!((<u8 as CountPrefix>::LEN, <u16 as CountPrefix>::LEN, <i16 as CountPrefix>::LEN), (1, 2, 2));
    assert_eq!((<u32 as CountPrefix>::LEN, <i32 as CountPrefix>::LEN), (4, 4));
}

#[test]
fn count_prefix_is_little_endian_past_one_byte() {
    let items = vec![0u8; 0x0102];
    let bytes = encode_list::<u16, u8>(&items).unwrap();
    assert_eq!(bytes[..2], [0x02, 0x01]);
    assert_eq!(bytes.len(), 2 + 0x0102);
    assert_eq!(decode_list::<u16, u8>(&bytes, Limits::DEFAULT), items);

    let bytes = encode(&items);
    assert_eq!(bytes[..4], [0x02, 0x01, 0x00, 0x00]);
}

#[test]
fn counts_too_large_for_the_prefix_are_too_long() {
    let too_long = |len, prefix| EncodeErrorKind::TooLong { len, prefix };

    assert_eq!(encode_list::<u8, u8>(&[0; 255]).unwrap().len(), 256);
    let err = encode_list::<u8, u8>(&[0; 256]).unwrap_err();
    assert_eq!(err.kind(), &too_long(256, "u8"));
    assert!(err.path().is_empty());

    assert_eq!(encode_list::<i16, u8>(&vec![0; 32767]).unwrap()[..2], [0xff, 0x7f]);
    assert_eq!(encode_list::<i16, u8>(&vec![0; 32768]).unwrap_err().kind(), &too_long(32768, "i16"));

    assert_eq!(encode_list::<u16, u8>(&vec![0; 65535]).unwrap()[..2], [0xff, 0xff]);
    assert_eq!(encode_list::<u16, u8>(&vec![0; 65536]).unwrap_err().kind(), &too_long(65536, "u16"));

    // The 32-bit prefixes, directly (a list that long is too big to build here).
    assert_eq!(<i32 as CountPrefix>::from_len(i32::MAX as usize), Ok(i32::MAX));
    assert_eq!(<i32 as CountPrefix>::from_len(1 << 31), Err(too_long(1 << 31, "i32")));
    assert_eq!(<u32 as CountPrefix>::from_len(u32::MAX as usize), Ok(u32::MAX));
    assert_eq!(<u32 as CountPrefix>::from_len(1 << 32), Err(too_long(1 << 32, "u32")));
    assert_eq!(<u8 as CountPrefix>::from_len(256), Err(too_long(256, "u8")));
}

#[test]
fn negative_counts_are_rejected_at_the_count() {
    let neg = DecodeErrorKind::NegativeCount;
    assert_decode_err::<Vec<i32>>(&[0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0], neg(-1), 0);
    assert_decode_err::<Vec<u8>>(&[0x00, 0x00, 0x00, 0x80], neg(i64::from(i32::MIN)), 0);
    assert_err(&list_err::<i32, u8>(&[0xfe, 0xff, 0xff, 0xff], Limits::DEFAULT), neg(-2), 0);
    assert_err(&list_err::<i16, u8>(&[0xff, 0xff, 0x00], Limits::DEFAULT), neg(-1), 0);
    assert_err(&list_err::<i16, u8>(&[0x00, 0x80], Limits::DEFAULT), neg(-32768), 0);
}

#[test]
fn cut_count_prefix_is_unexpected_end() {
    assert_decode_err::<Vec<u8>>(&[0x01, 0x00, 0x00], unexpected_end(4, 3), 0);
    assert_err(&list_err::<u16, u8>(&[0x01], Limits::DEFAULT), unexpected_end(2, 1), 0);
    assert_err(&list_err::<u8, u8>(&[], Limits::DEFAULT), unexpected_end(1, 0), 0);
}

#[test]
fn huge_counts_fail_before_allocating() {
    // Ten bytes of input announcing 2^31 - 1 elements; errors point at the count (offset 0).
    let input = [0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0, 0, 0];
    let count = i32::MAX as u64;
    let list_count = LimitKind::ListCount;

    // Over the default list limit.
    let over_limit = DecodeErrorKind::LimitExceeded { kind: list_count, value: count, limit: 1 << 16 };
    assert_decode_err::<Vec<i32>>(&input, over_limit.clone(), 0);
    assert_decode_err::<Vec<String>>(&input, over_limit, 0);

    // Without limits: more than the input can hold, counted at each type's minimum size.
    let unlimited = Limits::UNLIMITED;
    let exceeds = |needed| DecodeErrorKind::CountExceedsInput { count, needed, left: 6 };
    assert_err(&decode_err_with::<Vec<i32>>(&input, unlimited), exceeds(count * 4), 0);
    assert_err(&decode_err_with::<Vec<u64>>(&input, unlimited), exceeds(count * 8), 0);
    assert_err(&decode_err_with::<Vec<String>>(&input, unlimited), exceeds(count), 0);
    assert_err(&decode_err_with::<Vec<Vec<u8>>>(&input, unlimited), exceeds(count * 4), 0);
    assert_err(&decode_err_with::<Vec<Uleb128>>(&input, unlimited), exceeds(count), 0);

    // Elements that can take no bytes still count one each, so that a forged count of
    // empty values cannot loop or allocate for billions of them.
    assert_err(&decode_err_with::<Vec<()>>(&input, unlimited), exceeds(count), 0);
    let err = read_err(&input, unlimited, |r| Vec::<Trailing>::decode(r, CTX).map(|v| format!("{v:?}")));
    assert_err(&err, exceeds(count), 0);

    // A u32 count of u32::MAX.
    let input = [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0];
    let count = u64::from(u32::MAX);
    let err = list_err::<u32, f64>(&input, unlimited);
    assert_err(&err, DecodeErrorKind::CountExceedsInput { count, needed: count * 8, left: 6 }, 0);
}

#[test]
fn list_count_limit_is_configurable() {
    let limits = Limits { max_list_len: 2, ..Limits::DEFAULT };
    let two = [0x02, 0x00, 0x01, 0x02];
    assert_eq!(decode_list::<u16, u8>(&two, limits), [1, 2]);
    let three = [0x03, 0x00, 0x01, 0x02, 0x03];
    let kind = DecodeErrorKind::LimitExceeded { kind: LimitKind::ListCount, value: 3, limit: 2 };
    assert_err(&list_err::<u16, u8>(&three, limits), kind, 0);
}

#[test]
fn count_check_is_not_stricter_than_the_smallest_elements() {
    // Ten empty strings fill ten bytes exactly.
    let input = concat(&[&[0x0a, 0, 0, 0], &[0x00; 10]]);
    assert_eq!(decode::<Vec<String>>(&input), vec![String::new(); 10]);
    // Three empty lists fill twelve bytes exactly.
    let input = concat(&[&[0x03, 0, 0, 0], &[0x00; 12]]);
    assert_eq!(decode::<Vec<Vec<u32>>>(&input), vec![Vec::<u32>::new(); 3]);
    // One byte short.
    let kind = DecodeErrorKind::CountExceedsInput { count: 3, needed: 12, left: 11 };
    assert_decode_err::<Vec<Vec<u32>>>(&input[..15], kind, 0);
}

#[test]
fn failing_element_error_carries_its_index() {
    // The third string has a bad marker.
    let input = [0x03, 0, 0, 0, 0x00, 0x0b, 0x01, b'a', 0x0c, 0x00];
    let err = decode_err::<Vec<String>>(&input);
    assert_err(&err, DecodeErrorKind::BadStringMarker(0x0c), 8);
    assert_eq!(err.path().to_string(), "[2]");
    assert_eq!(err.path().segments().collect::<Vec<_>>(), [&PathSegment::Index(2)]);

    // The third string of a u16-counted list is cut short.
    let input = [0x03, 0x00, 0x00, 0x00, 0x0b, 0x05, b'a'];
    let err = list_err::<u16, String>(&input, Limits::DEFAULT);
    assert_err(&err, unexpected_end(5, 1), 6);
    assert_eq!(err.path().to_string(), "[2]");

    // Nested lists name every level, outermost first.
    let input = [0x02, 0, 0, 0, 0x00, 0, 0, 0, 0x01, 0, 0, 0, 0x07];
    let err = decode_err::<Vec<Vec<String>>>(&input);
    assert_err(&err, DecodeErrorKind::BadStringMarker(0x07), 12);
    assert_eq!(err.path().to_string(), "[1][0]");
}

#[test]
fn failing_element_encode_error_carries_its_index() {
    let items = vec![Fails(false), Fails(false), Fails(true)];
    let refused = EncodeErrorKind::Custom("refused".into());
    assert_encode_err(&items, refused.clone(), "[2]");
    let err = encode_list::<u8, Fails>(&items).unwrap_err();
    assert_eq!((err.kind(), err.path().to_string()), (&refused, "[2]".to_owned()));

    let nested = vec![vec![], vec![Fails(false), Fails(true)]];
    assert_encode_err(&nested, refused, "[1][1]");
    assert_encodes(&vec![Fails(false)], &[0x01, 0, 0, 0, 0xaa]);
}

#[test]
fn fixed_count_lists_check_the_count_at_the_reader() {
    let input = [0xee, 0x01, 0x02];
    let mut reader = Reader::new(&input);
    reader.take(1).unwrap();
    let err = list::decode_elements::<u16>(&mut reader, CTX, 2).unwrap_err();
    assert_err(&err, DecodeErrorKind::CountExceedsInput { count: 2, needed: 4, left: 2 }, 1);
    assert_eq!(list::decode_elements::<u8>(&mut reader, CTX, 2).unwrap(), [1, 2]);
}

// ---------------------------------------------------------------------------------------
// Bools8 and Trailing
// ---------------------------------------------------------------------------------------

#[test]
fn bools8_puts_element_zero_in_the_lowest_bit() {
    let mut first = [false; 8];
    first[0] = true;
    let mut last = [false; 8];
    last[7] = true;
    check_round_trip(&Bools8(first), &[0x01]);
    check_round_trip(&Bools8(last), &[0x80]);
    check_round_trip(&Bools8([true, false, true, false, false, false, false, false]), &[0x05]);
    check_round_trip(&Bools8([false; 8]), &[0x00]);
    check_round_trip(&Bools8([true; 8]), &[0xff]);
    assert_decode_err::<Bools8>(&[], unexpected_end(1, 0), 0);
}

#[test]
fn bools8_round_trips_every_byte() {
    for byte in 0..=u8::MAX {
        let bools = Bools8::from_byte(byte);
        for (bit, &set) in bools.0.iter().enumerate() {
            assert_eq!(set, byte & (1 << bit) != 0, "bit {bit} of {byte:#04x}");
        }
        assert_eq!(bools.to_byte(), byte);
        check_round_trip(&bools, &[byte]);
    }
}

#[test]
fn trailing_takes_the_rest_borrowed() {
    let input = [0x01, 0x02, 0xaa, 0xbb, 0xcc];
    let mut reader = Reader::new(&input);
    reader.take(2).unwrap();
    let rest = Trailing::decode(&mut reader, CTX).unwrap();
    assert!(reader.is_empty());
    let Cow::Borrowed(bytes) = &rest.0 else { panic!("owned trailing bytes") };
    assert_eq!(bytes, &[0xaa, 0xbb, 0xcc]);
    assert!(std::ptr::eq(bytes.as_ptr(), input[2..].as_ptr()));
    assert_encodes(&rest, &[0xaa, 0xbb, 0xcc]);

    let owned = rest.clone().into_owned();
    assert!(matches!(owned.0, Cow::Owned(_)));
    assert_eq!(owned, rest);
}

#[test]
fn trailing_accepts_an_empty_rest() {
    let input = [0x07];
    let mut reader = Reader::new(&input);
    reader.take(1).unwrap();
    let rest = Trailing::decode(&mut reader, CTX).unwrap();
    assert!(matches!(rest.0, Cow::Borrowed([])));
    assert_encodes(&rest, &[]);
    assert_eq!(Trailing::decode_payload(&[], CTX).unwrap(), Trailing::default());
    // decode_payload never sees trailing bytes after it.
    let all = Trailing::decode_payload(&[1, 2, 3], CTX).unwrap();
    assert_eq!(&*all.0, &[1, 2, 3]);
}

// ---------------------------------------------------------------------------------------
// WireCast
// ---------------------------------------------------------------------------------------

#[test]
fn wire_cast_to_a_narrower_integer_is_checked() {
    let out_of_range = |value, wire| EncodeErrorKind::OutOfRange { value, wire };
    assert_eq!(WireCast::<u8>::to_wire(&300u32), Err(out_of_range(300, "u8")));
    assert_eq!(WireCast::<u8>::to_wire(&255u32), Ok(255u8));
    assert_eq!(WireCast::<u16>::to_wire(&-1i32), Err(out_of_range(-1, "u16")));
    assert_eq!(WireCast::<u16>::to_wire(&65535i32), Ok(65535u16));
    assert_eq!(WireCast::<u16>::to_wire(&65536i32), Err(out_of_range(65536, "u16")));
    assert_eq!(WireCast::<i8>::to_wire(&200u8), Err(out_of_range(200, "i8")));
    assert_eq!(WireCast::<i8>::to_wire(&-128i32), Ok(i8::MIN));
    assert_eq!(WireCast::<i16>::to_wire(&40000u32), Err(out_of_range(40000, "i16")));
    assert_eq!(WireCast::<i64>::to_wire(&u64::MAX), Err(out_of_range(i128::from(u64::MAX), "i64")));
    assert_eq!(WireCast::<u64>::to_wire(&i64::MIN), Err(out_of_range(i128::from(i64::MIN), "u64")));
    assert_eq!(WireCast::<u32>::to_wire(&u64::from(u32::MAX)), Ok(u32::MAX));
    // Widening always fits.
    assert_eq!(WireCast::<i64>::to_wire(&-1i8), Ok(-1i64));
    assert_eq!(WireCast::<u64>::to_wire(&u32::MAX), Ok(u64::from(u32::MAX)));
}

#[test]
fn wire_cast_from_a_wider_wire_value_is_checked() {
    let out_of_range = |value, ty| DecodeErrorKind::OutOfRange { value, ty };
    assert_eq!(<i16 as WireCast<u16>>::from_wire(40000), Err(out_of_range(40000, "i16")));
    assert_eq!(<i16 as WireCast<u16>>::from_wire(32767), Ok(i16::MAX));
    assert_eq!(<u32 as WireCast<i32>>::from_wire(-1), Err(out_of_range(-1, "u32")));
    assert_eq!(<u8 as WireCast<u16>>::from_wire(256), Err(out_of_range(256, "u8")));
    assert_eq!(<u8 as WireCast<u16>>::from_wire(255), Ok(255));
    assert_eq!(<i8 as WireCast<u8>>::from_wire(0xff), Err(out_of_range(255, "i8")));
    assert_eq!(<u32 as WireCast<u16>>::from_wire(u16::MAX), Ok(65535));
    assert_eq!(<i32 as WireCast<u64>>::from_wire(u64::MAX), Err(out_of_range(i128::from(u64::MAX), "i32")));
}

#[test]
fn wire_cast_f64_to_f32_rejects_finite_overflow() {
    assert_eq!(WireCast::<f32>::to_wire(&1.5f64), Ok(1.5f32));
    assert_eq!(WireCast::<f32>::to_wire(&f64::from(f32::MAX)), Ok(f32::MAX));
    assert_eq!(WireCast::<f32>::to_wire(&0.1f64), Ok(0.1f32));
    assert!(matches!(
        WireCast::<f32>::to_wire(&1e300f64),
        Err(EncodeErrorKind::OutOfRange { wire: "f32", value }) if value > 0
    ));
    assert!(matches!(
        WireCast::<f32>::to_wire(&-1e300f64),
        Err(EncodeErrorKind::OutOfRange { wire: "f32", value }) if value < 0
    ));
    assert!(WireCast::<f32>::to_wire(&f64::MAX).is_err());
    // Infinities and NaN are carried, not rejected.
    assert_eq!(WireCast::<f32>::to_wire(&f64::INFINITY), Ok(f32::INFINITY));
    assert!(WireCast::<f32>::to_wire(&f64::NAN).unwrap().is_nan());
    // Widening back is exact.
    assert_eq!(<f64 as WireCast<f32>>::from_wire(1.5), Ok(1.5));
}

#[test]
fn wire_cast_f32_from_f64_wire_rejects_finite_overflow() {
    assert_eq!(<f32 as WireCast<f64>>::from_wire(1.5), Ok(1.5));
    assert!(matches!(
        <f32 as WireCast<f64>>::from_wire(1e300),
        Err(DecodeErrorKind::OutOfRange { ty: "f32", .. })
    ));
    assert_eq!(<f32 as WireCast<f64>>::from_wire(f64::NEG_INFINITY), Ok(f32::NEG_INFINITY));
    assert_eq!(WireCast::<f64>::to_wire(&1.5f32), Ok(1.5f64));
}

#[test]
fn wire_cast_bool_as_integer() {
    assert_eq!(WireCast::<u8>::to_wire(&true), Ok(1u8));
    assert_eq!(WireCast::<u8>::to_wire(&false), Ok(0u8));
    assert_eq!(WireCast::<i32>::to_wire(&true), Ok(1i32));
    assert_eq!(WireCast::<u16>::to_wire(&true), Ok(1u16));
    assert_eq!(<bool as WireCast<u8>>::from_wire(0), Ok(false));
    assert_eq!(<bool as WireCast<u8>>::from_wire(1), Ok(true));
    assert_eq!(<bool as WireCast<u8>>::from_wire(2), Ok(true));
    assert_eq!(<bool as WireCast<u8>>::from_wire(0xff), Ok(true));
    assert_eq!(<bool as WireCast<i16>>::from_wire(-1), Ok(true));
    assert_eq!(<bool as WireCast<u32>>::from_wire(0), Ok(false));
}

// ---------------------------------------------------------------------------------------
// decode_payload, Reader::decode_payload and the error messages
// ---------------------------------------------------------------------------------------

/// `decode_payload` wants the whole input; `decode` through a reader leaves the rest.
#[test]
fn decode_payload_rejects_trailing_bytes_and_decode_leaves_them() {
    let input = [0x0b, 0x01, b'a', 0x00, 0x00];
    let err = String::decode_payload(&input, CTX).unwrap_err();
    assert_err(&err, DecodeErrorKind::TrailingBytes(2), 3);
    let mut reader = Reader::new(&input);
    assert_eq!(String::decode(&mut reader, CTX).unwrap(), "a");
    assert_eq!(reader.remaining(), 2);

    let input = [0x01, 0x00, 0x00, 0x00, 0x09, 0xff];
    let err = Vec::<u8>::decode_payload(&input, CTX).unwrap_err();
    assert_err(&err, DecodeErrorKind::TrailingBytes(1), 5);
    assert_eq!(Vec::<u8>::decode(&mut Reader::new(&input), CTX).unwrap(), [9]);

    // A whole framed packet (login reply 1000) is not a payload: an error, not a value.
    let framed = [5, 0, 0, 4, 0, 0, 0, 0xe8, 3, 0, 0];
    let err = i32::decode_payload(&framed, CTX).unwrap_err();
    assert_err(&err, DecodeErrorKind::TrailingBytes(7), 4);
}

#[test]
fn reader_decode_payload_applies_its_limits() {
    let input = [0x0b, 0x02, b'a', b'b'];
    let limits = Limits { max_string_len: 1, ..Limits::DEFAULT };
    let err = Reader::new(&input).with_limits(limits).decode_payload::<String>(CTX).unwrap_err();
    let kind = DecodeErrorKind::LimitExceeded { kind: LimitKind::StringLength, value: 2, limit: 1 };
    assert_err(&err, kind, 0);
    assert_eq!(String::decode_payload(&input, CTX).unwrap(), "ab");
}

#[test]
fn decode_error_display_names_path_offset_and_kind() {
    let input = [0x03, 0, 0, 0, 0x00, 0x0b, 0x01, b'a', 0x0c, 0x00];
    let err = decode_err::<Vec<String>>(&input);
    assert_eq!(err.to_string(), "[2] at byte 8: bad string marker 0x0c: expected 0x00 or 0x0b");
    let err = err.in_field("names").in_type("BanchoChannelList");
    assert_eq!(
        err.to_string(),
        "BanchoChannelList.names[2] at byte 8: bad string marker 0x0c: expected 0x00 or 0x0b"
    );
    assert_eq!(err.source().unwrap().to_string(), err.kind().to_string());

    let err = decode_err::<u32>(&[1, 2, 3]);
    assert_eq!(err.to_string(), "at byte 0: unexpected end of input: needed 4 bytes, 3 left");
    assert_eq!(err.shifted(10).to_string(), "at byte 10: unexpected end of input: needed 4 bytes, 3 left");
}

#[test]
fn encode_error_display_names_path_and_kind() {
    let items = vec![Fails(false), Fails(false), Fails(true)];
    let err = items.encode_payload(CTX).unwrap_err();
    assert_eq!(err.to_string(), "[2]: refused");
    let err = err.in_field("items").in_type("OsuThing");
    assert_eq!(err.to_string(), "OsuThing.items[2]: refused");
    assert_eq!(err.source().unwrap().to_string(), "refused");

    let err = encode_list::<u8, u8>(&[0; 300]).unwrap_err();
    assert_eq!(err.to_string(), "length 300 does not fit its u8 length prefix");
    let err = EncodeError::from(WireCast::<u8>::to_wire(&300u32).unwrap_err()).in_field("id");
    assert_eq!(err.to_string(), "id: value 300 does not fit wire type u8");
}
