//! Property tests of chio-core's wire primitives: encode → decode is the identity,
//! `encoded_len` is exact, truncated encodings are errors, and arbitrary input never
//! makes a decoder panic.

use std::borrow::Cow;
use std::fmt::Debug;

use chio_core::primitives::{list, uleb128};
use chio_core::{
    Bools8, Context, CountPrefix, Decode, DecodeError, DecodeErrorKind, Encode, Limits, Reader, Trailing,
    Uleb128,
};
use proptest::collection::vec;
use proptest::prelude::*;

/// Any context: primitives must encode the same in all of them.
fn contexts() -> impl Strategy<Value = Context> {
    (any::<u32>(), any::<u8>(), any::<u8>())
        .prop_map(|(build, protocol, slots)| Context::new(build).with_protocol(protocol).with_slots(slots))
}

/// Limits small enough to trip on arbitrary input, and the defaults.
fn limits() -> impl Strategy<Value = Limits> {
    prop_oneof![
        Just(Limits::DEFAULT),
        Just(Limits::UNLIMITED),
        (0u32..8, 0u32..8).prop_map(|(max_string_len, max_list_len)| Limits {
            max_string_len,
            max_list_len,
            ..Limits::DEFAULT
        }),
    ]
}

/// Arbitrary bytes, half of the time drawn mostly from the bytes that start valid values
/// (string markers, small counts and lengths), so decoders get past their first check.
fn inputs() -> impl Strategy<Value = Vec<u8>> {
    let likely = prop_oneof![Just(0x00u8), Just(0x0b), 0u8..4, Just(0x80), any::<u8>()];
    prop_oneof![vec(any::<u8>(), 0..64), vec(likely, 0..64)]
}

/// `u32`s of every encoded length alike (a uniform `u32` is almost always 5 bytes long).
fn uleb_values() -> impl Strategy<Value = u32> {
    (any::<u32>(), 0u32..32).prop_map(|(value, shift)| value >> shift)
}

fn fail(err: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(err.to_string())
}

/// Encodes `value`, checks `encoded_len`, decodes it back and compares `key`s, then checks
/// truncations and trailing bytes. Returns the encoding.
fn round_trip_by<T, K>(value: &T, ctx: Context, key: impl Fn(&T) -> K) -> Result<Vec<u8>, TestCaseError>
where
    T: Encode + for<'a> Decode<'a> + Debug,
    K: PartialEq + Debug,
{
    let bytes = value.encode_payload(ctx).map_err(fail)?;
    prop_assert_eq!(value.encoded_len(ctx), bytes.len());
    if let Some(fixed) = T::FIXED_LEN {
        prop_assert_eq!(fixed, bytes.len());
    }
    prop_assert!(bytes.len() >= <T as Decode<'static>>::MIN_LEN);

    let decoded =
        Reader::new(&bytes).with_limits(Limits::UNLIMITED).decode_payload::<T>(ctx).map_err(fail)?;
    prop_assert_eq!(key(&decoded), key(value));

    check_truncations::<T>(&bytes, ctx)?;

    let mut padded = bytes.clone();
    padded.push(0xaa);
    let err = Reader::new(&padded).with_limits(Limits::UNLIMITED).decode_payload::<T>(ctx).unwrap_err();
    prop_assert_eq!(err.kind(), &DecodeErrorKind::TrailingBytes(1));
    prop_assert_eq!(err.offset(), bytes.len());
    let tolerant = T::decode(&mut Reader::new(&padded), ctx).map_err(fail)?;
    prop_assert_eq!(key(&tolerant), key(value));
    Ok(bytes)
}

/// [`round_trip_by`] comparing the values themselves.
fn round_trip<T>(value: &T, ctx: Context) -> Result<Vec<u8>, TestCaseError>
where
    T: Encode + for<'a> Decode<'a> + Debug + Clone + PartialEq,
{
    round_trip_by(value, ctx, T::clone)
}

/// Every strict prefix of a valid encoding is an error about missing input, never a panic.
fn check_truncations<T: for<'a> Decode<'a> + Debug>(bytes: &[u8], ctx: Context) -> Result<(), TestCaseError> {
    for short in 0..bytes.len() {
        match T::decode_payload(&bytes[..short], ctx) {
            Ok(value) => prop_assert!(false, "{:02x?} cut to {} decoded as {:?}", bytes, short, value),
            Err(err) => prop_assert!(
                matches!(
                    err.kind(),
                    DecodeErrorKind::UnexpectedEnd { .. } | DecodeErrorKind::CountExceedsInput { .. }
                ),
                "{:02x?} cut to {}: {}",
                bytes,
                short,
                err
            ),
        }
    }
    Ok(())
}

/// Encodes `items` behind a `C` count, checks the length, and decodes them back.
fn list_round_trip<C, T>(items: &[T], ctx: Context) -> Result<Vec<u8>, TestCaseError>
where
    C: CountPrefix,
    T: Encode + for<'a> Decode<'a> + Debug + PartialEq,
{
    let mut bytes = Vec::new();
    list::encode::<C, T, Vec<u8>>(items, &mut bytes, ctx).map_err(fail)?;
    prop_assert_eq!(list::encoded_len::<C, T>(items, ctx), bytes.len());

    let mut reader = Reader::new(&bytes).with_limits(Limits::UNLIMITED);
    let decoded = list::decode::<C, T>(&mut reader, ctx).map_err(fail)?;
    prop_assert_eq!(&decoded[..], items);
    prop_assert!(reader.is_empty());

    for short in 0..bytes.len() {
        let mut reader = Reader::new(&bytes[..short]);
        prop_assert!(list::decode::<C, T>(&mut reader, ctx).is_err(), "cut to {} decoded", short);
    }
    Ok(bytes)
}

/// A decoding error must point inside (or at the end of) the input.
fn check_offset<T>(result: &Result<T, DecodeError>, input: &[u8]) -> Result<(), TestCaseError> {
    if let Err(err) = result {
        prop_assert!(
            err.offset() <= input.len(),
            "offset {} past {} bytes: {}",
            err.offset(),
            input.len(),
            err
        );
    }
    Ok(())
}

/// Decodes a `T` from arbitrary `input`; returns the value and the bytes consumed.
fn decode_any<'de, T: Decode<'de>>(
    input: &'de [u8],
    limits: Limits,
    ctx: Context,
) -> Result<Option<(T, usize)>, TestCaseError> {
    let mut reader = Reader::new(input).with_limits(limits);
    let result = T::decode(&mut reader, ctx);
    check_offset(&result, input)?;
    prop_assert!(reader.position() <= input.len());
    Ok(result.ok().map(|value| (value, reader.position())))
}

macro_rules! number_properties {
    ($($name:ident: $ty:ty;)*) => {
        proptest! {
            $(
                #[test]
                fn $name(value in any::<$ty>(), ctx in contexts()) {
                    let bytes = round_trip(&value, ctx)?;
                    prop_assert_eq!(bytes, value.to_le_bytes());
                }
            )*
        }
    };
}

number_properties! {
    u8_round_trips: u8;
    i8_round_trips: i8;
    u16_round_trips: u16;
    i16_round_trips: i16;
    u32_round_trips: u32;
    i32_round_trips: i32;
    u64_round_trips: u64;
    i64_round_trips: i64;
}

proptest! {
    #[test]
    fn f32_round_trips_bit_for_bit(bits in any::<u32>(), ctx in contexts()) {
        let value = f32::from_bits(bits);
        let bytes = round_trip_by(&value, ctx, |v| v.to_bits())?;
        prop_assert_eq!(bytes, bits.to_le_bytes());
    }

    #[test]
    fn f64_round_trips_bit_for_bit(bits in any::<u64>(), ctx in contexts()) {
        let value = f64::from_bits(bits);
        let bytes = round_trip_by(&value, ctx, |v| v.to_bits())?;
        prop_assert_eq!(bytes, bits.to_le_bytes());
    }

    #[test]
    fn bool_round_trips(value in any::<bool>(), ctx in contexts()) {
        let bytes = round_trip(&value, ctx)?;
        prop_assert_eq!(bytes, [u8::from(value)]);
    }

    #[test]
    fn bool_is_any_nonzero_byte(byte in any::<u8>(), ctx in contexts()) {
        prop_assert_eq!(bool::decode_payload(&[byte], ctx).map_err(fail)?, byte != 0);
    }

    #[test]
    fn bools8_round_trips(bits in any::<[bool; 8]>(), ctx in contexts()) {
        let bytes = round_trip(&Bools8(bits), ctx)?;
        let expected = bits.iter().rev().fold(0u8, |byte, &set| (byte << 1) | u8::from(set));
        prop_assert_eq!(bytes, [expected]);
    }

    #[test]
    fn uleb128_round_trips(value in uleb_values(), ctx in contexts()) {
        let bytes = round_trip(&Uleb128(value), ctx)?;
        prop_assert_eq!(bytes.len(), uleb128::size(value));
        prop_assert!(bytes.len() <= uleb128::MAX_LEN);
        let (last, rest) = bytes.split_last().unwrap();
        prop_assert!(last & 0x80 == 0, "last byte {:#04x} continues", last);
        prop_assert!(rest.iter().all(|b| b & 0x80 != 0), "{:02x?} stops early", bytes);
        // Shortest form: no trailing zero group unless the value is zero.
        prop_assert!(value == 0 || *last != 0);
        let mut put = Vec::new();
        uleb128::put(&mut put, value);
        prop_assert_eq!(put, bytes);
    }

    #[test]
    fn uleb128_accepts_every_overlong_form(
        (value, extra) in uleb_values().prop_flat_map(|v| (Just(v), 0..=uleb128::MAX_LEN - uleb128::size(v))),
    ) {
        let mut bytes = Uleb128(value).encode_payload(Context::NEWEST).map_err(fail)?;
        for _ in 0..extra {
            *bytes.last_mut().unwrap() |= 0x80;
            bytes.push(0x00);
        }
        let mut reader = Reader::new(&bytes);
        prop_assert_eq!(uleb128::read(&mut reader).map_err(fail)?, value);
        prop_assert_eq!(reader.position(), bytes.len());
    }

    #[test]
    fn uleb128_fifth_byte_above_bit_31_overflows(high in 0x10u8..=0xff, low in any::<[u8; 4]>()) {
        let bytes = [low[0] | 0x80, low[1] | 0x80, low[2] | 0x80, low[3] | 0x80, high];
        let err = Uleb128::decode_payload(&bytes, Context::NEWEST).unwrap_err();
        prop_assert_eq!(err.kind(), &DecodeErrorKind::UlebOverflow);
        prop_assert_eq!(err.offset(), 0);
    }

    #[test]
    fn string_round_trips(s in any::<String>(), ctx in contexts()) {
        let bytes = round_trip(&s, ctx)?;
        prop_assert_eq!(s.as_str().encoded_len(ctx), bytes.len());
        prop_assert_eq!(Cow::Borrowed(s.as_str()).encode_payload(ctx).map_err(fail)?, bytes.clone());
        if s.is_empty() {
            prop_assert_eq!(&bytes[..], &[0x00]);
        } else {
            // 0x0b, the byte length, the bytes.
            prop_assert_eq!(bytes[0], 0x0b);
            let mut reader = Reader::new(&bytes[1..]);
            let len = uleb128::read(&mut reader).map_err(fail)?;
            prop_assert_eq!(len as usize, s.len());
            prop_assert_eq!(&bytes[1 + reader.position()..], s.as_bytes());
        }
        let cow = Reader::new(&bytes).with_limits(Limits::UNLIMITED).decode_payload::<Cow<str>>(ctx).map_err(fail)?;
        prop_assert!(matches!(cow, Cow::Borrowed(_)));
        prop_assert_eq!(cow, s.as_str());
    }

    #[test]
    fn vec_i32_round_trips(items in vec(any::<i32>(), 0..100), ctx in contexts()) {
        let bytes = round_trip(&items, ctx)?;
        let expected: Vec<u8> = std::iter::once(items.len() as i32)
            .chain(items.iter().copied())
            .flat_map(i32::to_le_bytes)
            .collect();
        prop_assert_eq!(bytes, expected);
    }

    #[test]
    fn vec_string_round_trips(items in vec(any::<String>(), 0..20), ctx in contexts()) {
        let bytes = round_trip(&items, ctx)?;
        prop_assert_eq!(&bytes[..4], &(items.len() as i32).to_le_bytes());
        let strings_len: usize = items.iter().map(|s| s.encoded_len(ctx)).sum();
        prop_assert_eq!(bytes.len(), 4 + strings_len);
    }

    #[test]
    fn nested_vec_round_trips(items in vec(vec(any::<u16>(), 0..10), 0..10), ctx in contexts()) {
        round_trip(&items, ctx)?;
    }

    #[test]
    fn u16_counted_lists_round_trip(
        ints in vec(any::<i32>(), 0..100),
        strings in vec(any::<String>(), 0..100),
        ctx in contexts(),
    ) {
        let bytes = list_round_trip::<u16, i32>(&ints, ctx)?;
        prop_assert_eq!(&bytes[..2], &(ints.len() as u16).to_le_bytes());
        prop_assert_eq!(bytes.len(), 2 + 4 * ints.len());
        let bytes = list_round_trip::<u16, String>(&strings, ctx)?;
        prop_assert_eq!(&bytes[..2], &(strings.len() as u16).to_le_bytes());
    }

    #[test]
    fn other_counted_lists_round_trip(items in vec(any::<u16>(), 0..100), ctx in contexts()) {
        let n = items.len();
        prop_assert_eq!(&list_round_trip::<u8, u16>(&items, ctx)?[..1], &[n as u8]);
        prop_assert_eq!(&list_round_trip::<i16, u16>(&items, ctx)?[..2], &(n as i16).to_le_bytes());
        prop_assert_eq!(&list_round_trip::<u32, u16>(&items, ctx)?[..4], &(n as u32).to_le_bytes());
        prop_assert_eq!(&list_round_trip::<i32, u16>(&items, ctx)?[..4], &(n as i32).to_le_bytes());
    }

    #[test]
    fn trailing_takes_every_byte(prefix in vec(any::<u8>(), 0..8), rest in vec(any::<u8>(), 0..64)) {
        let input = [&prefix[..], &rest[..]].concat();
        let mut reader = Reader::new(&input);
        reader.take(prefix.len()).map_err(fail)?;
        let trailing = Trailing::decode(&mut reader, Context::NEWEST).map_err(fail)?;
        prop_assert!(reader.is_empty());
        prop_assert!(matches!(trailing.0, Cow::Borrowed(_)));
        prop_assert_eq!(&*trailing.0, &rest[..]);
        prop_assert_eq!(trailing.encoded_len(Context::NEWEST), rest.len());
        prop_assert_eq!(trailing.encode_payload(Context::NEWEST).map_err(fail)?, rest);
    }

    #[test]
    fn arbitrary_bytes_never_panic(
        input in inputs(),
        limits in limits(),
        ctx in contexts(),
    ) {
        let input = &input[..];
        decode_any::<String>(input, limits, ctx)?;
        decode_any::<Vec<i32>>(input, limits, ctx)?;
        decode_any::<Uleb128>(input, limits, ctx)?;
        decode_any::<u64>(input, limits, ctx)?;
        decode_any::<&str>(input, limits, ctx)?;
        decode_any::<Cow<str>>(input, limits, ctx)?;
        decode_any::<Vec<String>>(input, limits, ctx)?;
        decode_any::<Vec<Vec<u8>>>(input, limits, ctx)?;
        decode_any::<Vec<Uleb128>>(input, limits, ctx)?;
        decode_any::<bool>(input, limits, ctx)?;
        decode_any::<f64>(input, limits, ctx)?;
        decode_any::<Trailing>(input, limits, ctx)?;

        let mut reader = Reader::new(input).with_limits(limits);
        check_offset(&list::decode::<u16, String>(&mut reader, ctx), input)?;
        let mut reader = Reader::new(input).with_limits(limits);
        check_offset(&list::decode::<i16, u32>(&mut reader, ctx), input)?;
        let _ = Reader::new(input).with_limits(limits).decode_payload::<String>(ctx);
        let _ = Reader::new(input).with_limits(limits).decode_payload::<Vec<i32>>(ctx);
    }

    #[test]
    fn canonical_decodings_re_encode_to_the_bytes_read(
        input in inputs(),
        ctx in contexts(),
    ) {
        // Fixed-width numbers, i32-counted lists of them and Bools8 have one encoding each.
        if let Some((value, used)) = decode_any::<u64>(&input, Limits::DEFAULT, ctx)? {
            prop_assert_eq!(value.encode_payload(ctx).map_err(fail)?, &input[..used]);
        }
        if let Some((value, used)) = decode_any::<Vec<i32>>(&input, Limits::DEFAULT, ctx)? {
            prop_assert_eq!(value.encode_payload(ctx).map_err(fail)?, &input[..used]);
        }
        if let Some((value, used)) = decode_any::<Bools8>(&input, Limits::DEFAULT, ctx)? {
            prop_assert_eq!(value.encode_payload(ctx).map_err(fail)?, &input[..used]);
        }
        // ULEB128 has over-long forms, but never more than five bytes.
        if let Some((value, used)) = decode_any::<Uleb128>(&input, Limits::DEFAULT, ctx)? {
            prop_assert!(used <= uleb128::MAX_LEN);
            prop_assert!(uleb128::size(value.0) <= used);
        }
        // A decoded string never exceeds the bytes it came from.
        if let Some((value, used)) = decode_any::<&str>(&input, Limits::DEFAULT, ctx)? {
            prop_assert!(value.len() < used);
        }
    }

    #[test]
    fn decoders_respect_string_and_list_limits(
        input in inputs(),
        max in 0u32..8,
    ) {
        let limits = Limits { max_string_len: max, max_list_len: max, ..Limits::DEFAULT };
        if let Some((value, _)) = decode_any::<&str>(&input, limits, Context::NEWEST)? {
            prop_assert!(value.len() <= max as usize);
        }
        if let Some((value, _)) = decode_any::<Vec<u8>>(&input, limits, Context::NEWEST)? {
            prop_assert!(value.len() <= max as usize);
        }
    }
}
