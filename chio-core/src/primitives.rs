//! Codecs for the wire's building blocks: little-endian numbers, `bool`, ULEB128, the bancho
//! string, counted lists, the bool-per-bit byte and raw trailing bytes.

use std::borrow::Cow;

use bytes::BufMut;

use crate::codec::{CountPrefix, Decode, Encode};
use crate::context::Context;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, LimitKind};
use crate::reader::Reader;

macro_rules! numbers {
    ($($ty:ty, $put:ident;)*) => {$(
        impl Encode for $ty {
            const FIXED_LEN: Option<usize> = Some(core::mem::size_of::<$ty>());
            #[inline]
            fn encoded_len(&self, _: Context) -> usize {
                core::mem::size_of::<$ty>()
            }
            #[inline]
            fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, _: Context) -> Result<(), EncodeError> {
                buf.$put(*self);
                Ok(())
            }
        }

        impl<'de> Decode<'de> for $ty {
            const MIN_LEN: usize = core::mem::size_of::<$ty>();
            #[inline]
            fn decode(reader: &mut Reader<'de>, _: Context) -> Result<Self, DecodeError> {
                Ok(<$ty>::from_le_bytes(reader.take_array()?))
            }
        }
    )*};
}

numbers! {
    u8, put_u8;
    i8, put_i8;
    u16, put_u16_le;
    i16, put_i16_le;
    u32, put_u32_le;
    i32, put_i32_le;
    u64, put_u64_le;
    i64, put_i64_le;
    f32, put_f32_le;
    f64, put_f64_le;
}

/// One byte: 1 for true, 0 for false. Any non-zero byte decodes as true, as the game's
/// `BinaryReader.ReadBoolean` does, so `02` decodes to `true` and re-encodes as `01`.
impl Encode for bool {
    const FIXED_LEN: Option<usize> = Some(1);
    #[inline]
    fn encoded_len(&self, _: Context) -> usize {
        1
    }
    #[inline]
    fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, _: Context) -> Result<(), EncodeError> {
        buf.put_u8(u8::from(*self));
        Ok(())
    }
}

impl<'de> Decode<'de> for bool {
    const MIN_LEN: usize = 1;
    #[inline]
    fn decode(reader: &mut Reader<'de>, _: Context) -> Result<Self, DecodeError> {
        Ok(reader.take_byte()? != 0)
    }
}

/// Nothing on the wire: the payload of empty packets such as `BanchoPing`.
impl Encode for () {
    const FIXED_LEN: Option<usize> = Some(0);
    fn encoded_len(&self, _: Context) -> usize {
        0
    }
    fn encode<B: BufMut + ?Sized>(&self, _: &mut B, _: Context) -> Result<(), EncodeError> {
        Ok(())
    }
}

impl<'de> Decode<'de> for () {
    fn decode(_: &mut Reader<'de>, _: Context) -> Result<Self, DecodeError> {
        Ok(())
    }
}

impl<T: Encode + ?Sized> Encode for &T {
    const FIXED_LEN: Option<usize> = T::FIXED_LEN;
    #[inline]
    fn encoded_len(&self, ctx: Context) -> usize {
        (**self).encoded_len(ctx)
    }
    #[inline]
    fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) -> Result<(), EncodeError> {
        (**self).encode(buf, ctx)
    }
}

impl<T: Encode + ?Sized> Encode for Box<T> {
    const FIXED_LEN: Option<usize> = T::FIXED_LEN;
    #[inline]
    fn encoded_len(&self, ctx: Context) -> usize {
        (**self).encoded_len(ctx)
    }
    #[inline]
    fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) -> Result<(), EncodeError> {
        (**self).encode(buf, ctx)
    }
}

/// ULEB128 as the wire uses it: at most 5 bytes, value at most `u32::MAX`.
pub mod uleb128 {
    use super::*;

    /// Longest encoding of a `u32`.
    pub const MAX_LEN: usize = 5;

    /// Encoded size of `value`.
    #[inline]
    pub const fn len(value: u32) -> usize {
        match value {
            0..0x80 => 1,
            0x80..0x4000 => 2,
            0x4000..0x20_0000 => 3,
            0x20_0000..0x1000_0000 => 4,
            _ => 5,
        }
    }

    /// Writes `value` in the shortest form.
    #[inline]
    pub fn put<B: BufMut + ?Sized>(buf: &mut B, mut value: u32) {
        while value >= 0x80 {
            // Truncation to the low 7 bits is the point of the encoding.
            #[allow(clippy::cast_possible_truncation)]
            buf.put_u8((value as u8 & 0x7f) | 0x80);
            value >>= 7;
        }
        #[allow(clippy::cast_possible_truncation)]
        buf.put_u8(value as u8);
    }

    /// Reads a value of at most 5 bytes that fits a `u32`.
    ///
    /// Over-long but in-range forms (`80 00` for 0) are accepted, as the game's reader
    /// accepts them; a sixth byte, or bits above bit 31, are [`DecodeErrorKind::UlebOverflow`].
    #[inline]
    pub fn read(reader: &mut Reader<'_>) -> Result<u32, DecodeError> {
        let start = reader.position();
        let mut value: u32 = 0;
        for i in 0..MAX_LEN {
            let byte = reader.take_byte()?;
            let bits = u32::from(byte & 0x7f);
            if i == MAX_LEN - 1 && (byte & 0xf0) != 0 {
                return Err(DecodeError::new(DecodeErrorKind::UlebOverflow, start));
            }
            value |= bits << (7 * i);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        // The fifth byte had its continuation bit set, which the check above rejects.
        Err(DecodeError::new(DecodeErrorKind::UlebOverflow, start))
    }
}

/// A ULEB128-encoded `u32` as a value of its own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uleb128(pub u32);

impl Encode for Uleb128 {
    #[inline]
    fn encoded_len(&self, _: Context) -> usize {
        uleb128::len(self.0)
    }
    #[inline]
    fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, _: Context) -> Result<(), EncodeError> {
        uleb128::put(buf, self.0);
        Ok(())
    }
}

impl<'de> Decode<'de> for Uleb128 {
    const MIN_LEN: usize = 1;
    #[inline]
    fn decode(reader: &mut Reader<'de>, _: Context) -> Result<Self, DecodeError> {
        uleb128::read(reader).map(Uleb128)
    }
}

/// The bancho string: `00` for empty, or `0b`, a ULEB128 byte length and UTF-8 bytes.
pub mod string {
    use super::*;

    /// Marker byte of an absent (empty) string.
    pub const EMPTY: u8 = 0x00;
    /// Marker byte of a present string.
    pub const PRESENT: u8 = 0x0b;

    /// Encoded size of `s`.
    #[inline]
    pub fn encoded_len(s: &str) -> usize {
        if s.is_empty() {
            1
        } else {
            // Lengths over u32::MAX fail in `put`; the size reported for them is not used.
            let len = u32::try_from(s.len()).unwrap_or(u32::MAX);
            1 + uleb128::len(len) + s.len()
        }
    }

    /// Writes `s`. The empty string is written as a bare `00`, as servers do.
    #[inline]
    pub fn put<B: BufMut + ?Sized>(buf: &mut B, s: &str) -> Result<(), EncodeError> {
        if s.is_empty() {
            buf.put_u8(EMPTY);
            return Ok(());
        }
        let len = u32::try_from(s.len())
            .map_err(|_| EncodeErrorKind::TooLong { len: s.len(), prefix: "ULEB128" })?;
        buf.put_u8(PRESENT);
        uleb128::put(buf, len);
        buf.put_slice(s.as_bytes());
        Ok(())
    }

    /// Reads a string, borrowed from the input.
    ///
    /// Both empty forms are accepted: the bare `00` servers write and the `0b 00` that
    /// stable clients write. Any other marker byte is an error (the reference reads any
    /// non-zero marker as "present").
    #[inline]
    pub fn read<'de>(reader: &mut Reader<'de>) -> Result<&'de str, DecodeError> {
        let start = reader.position();
        match reader.take_byte()? {
            EMPTY => Ok(""),
            PRESENT => {
                let len = uleb128::read(reader)?;
                let limit = reader.limits().max_string_len;
                if len > limit {
                    return Err(DecodeError::new(
                        DecodeErrorKind::LimitExceeded {
                            kind: LimitKind::StringLength,
                            value: u64::from(len),
                            limit: u64::from(limit),
                        },
                        start,
                    ));
                }
                let body_start = reader.position();
                let bytes = reader.take(len as usize)?;
                core::str::from_utf8(bytes).map_err(|e| {
                    DecodeError::new(
                        DecodeErrorKind::InvalidUtf8 { valid_up_to: e.valid_up_to() },
                        body_start,
                    )
                })
            }
            other => Err(DecodeError::new(DecodeErrorKind::BadStringMarker(other), start)),
        }
    }
}

macro_rules! string_encode {
    ($($ty:ty),*) => {$(
        impl Encode for $ty {
            #[inline]
            fn encoded_len(&self, _: Context) -> usize {
                string::encoded_len(self)
            }
            #[inline]
            fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, _: Context) -> Result<(), EncodeError> {
                string::put(buf, self)
            }
        }
    )*};
}

string_encode!(str, String, Cow<'_, str>);

impl<'de> Decode<'de> for &'de str {
    const MIN_LEN: usize = 1;
    #[inline]
    fn decode(reader: &mut Reader<'de>, _: Context) -> Result<Self, DecodeError> {
        string::read(reader)
    }
}

impl<'de> Decode<'de> for Cow<'de, str> {
    const MIN_LEN: usize = 1;
    #[inline]
    fn decode(reader: &mut Reader<'de>, _: Context) -> Result<Self, DecodeError> {
        string::read(reader).map(Cow::Borrowed)
    }
}

impl<'de> Decode<'de> for String {
    const MIN_LEN: usize = 1;
    #[inline]
    fn decode(reader: &mut Reader<'de>, _: Context) -> Result<Self, DecodeError> {
        string::read(reader).map(str::to_owned)
    }
}

/// Lists: a count prefix, then the elements.
pub mod list {
    use super::*;

    /// Encoded size of `items` behind a `C` count.
    #[inline]
    pub fn encoded_len<C: CountPrefix, T: Encode>(items: &[T], ctx: Context) -> usize {
        C::LEN + elements_len(items, ctx)
    }

    /// Encoded size of `items` without a count.
    #[inline]
    pub fn elements_len<T: Encode>(items: &[T], ctx: Context) -> usize {
        match T::FIXED_LEN {
            Some(n) => n * items.len(),
            None => items.iter().map(|item| item.encoded_len(ctx)).sum(),
        }
    }

    /// Writes a `C` count, then `items`.
    #[inline]
    pub fn put<C: CountPrefix, T: Encode, B: BufMut + ?Sized>(
        items: &[T],
        buf: &mut B,
        ctx: Context,
    ) -> Result<(), EncodeError> {
        C::from_len(items.len())?.put(buf);
        put_elements(items, buf, ctx)
    }

    /// Writes `items` without a count.
    #[inline]
    pub fn put_elements<T: Encode, B: BufMut + ?Sized>(
        items: &[T],
        buf: &mut B,
        ctx: Context,
    ) -> Result<(), EncodeError> {
        for (i, item) in items.iter().enumerate() {
            item.encode(buf, ctx).map_err(|e| e.at_index(i))?;
        }
        Ok(())
    }

    /// Reads a `C` count, then that many elements.
    #[inline]
    pub fn read<'de, C: CountPrefix, T: Decode<'de>>(
        reader: &mut Reader<'de>,
        ctx: Context,
    ) -> Result<Vec<T>, DecodeError> {
        let start = reader.position();
        let count = C::read(reader)?.to_len().map_err(|kind| DecodeError::new(kind, start))?;
        reader.check_count_at(count, T::MIN_LEN, start)?;
        read_checked(reader, ctx, count)
    }

    /// Reads exactly `count` elements (a count fixed by the layout, such as the slot count).
    #[inline]
    pub fn read_elements<'de, T: Decode<'de>>(
        reader: &mut Reader<'de>,
        ctx: Context,
        count: usize,
    ) -> Result<Vec<T>, DecodeError> {
        reader.check_count(count, T::MIN_LEN)?;
        read_checked(reader, ctx, count)
    }

    /// Reads `count` elements once [`Reader::check_count`] has vouched for the count.
    #[inline]
    fn read_checked<'de, T: Decode<'de>>(
        reader: &mut Reader<'de>,
        ctx: Context,
        count: usize,
    ) -> Result<Vec<T>, DecodeError> {
        let mut items = Vec::with_capacity(count);
        for i in 0..count {
            items.push(T::decode(reader, ctx).map_err(|e| e.at_index(i))?);
        }
        Ok(items)
    }
}

/// A list with the default `i32` count. Use `#[bancho(count = u16)]` on a field for
/// 16-bit counts.
impl<T: Encode> Encode for Vec<T> {
    #[inline]
    fn encoded_len(&self, ctx: Context) -> usize {
        list::encoded_len::<i32, T>(self, ctx)
    }
    #[inline]
    fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) -> Result<(), EncodeError> {
        list::put::<i32, T, B>(self, buf, ctx)
    }
}

impl<'de, T: Decode<'de>> Decode<'de> for Vec<T> {
    const MIN_LEN: usize = 4;
    #[inline]
    fn decode(reader: &mut Reader<'de>, ctx: Context) -> Result<Self, DecodeError> {
        list::read::<i32, T>(reader, ctx)
    }
}

/// Eight booleans packed in one byte, element 0 in the lowest bit (the early match
/// layouts send slot states this way).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Bools8(pub [bool; 8]);

impl Bools8 {
    /// The packed byte.
    pub fn to_byte(self) -> u8 {
        self.0.iter().enumerate().fold(0, |byte, (i, &set)| byte | (u8::from(set) << i))
    }

    /// Unpacks a byte.
    pub fn from_byte(byte: u8) -> Self {
        Self(core::array::from_fn(|i| byte & (1 << i) != 0))
    }
}

impl Encode for Bools8 {
    const FIXED_LEN: Option<usize> = Some(1);
    fn encoded_len(&self, _: Context) -> usize {
        1
    }
    fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, _: Context) -> Result<(), EncodeError> {
        buf.put_u8(self.to_byte());
        Ok(())
    }
}

impl<'de> Decode<'de> for Bools8 {
    const MIN_LEN: usize = 1;
    fn decode(reader: &mut Reader<'de>, _: Context) -> Result<Self, DecodeError> {
        reader.take_byte().map(Self::from_byte)
    }
}

/// Every byte left in the payload, raw (for fields whose layout is opaque, or padding).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Trailing<'a>(pub Cow<'a, [u8]>);

impl Trailing<'_> {
    /// Detaches from the input.
    pub fn into_owned(self) -> Trailing<'static> {
        Trailing(Cow::Owned(self.0.into_owned()))
    }
}

impl Encode for Trailing<'_> {
    fn encoded_len(&self, _: Context) -> usize {
        self.0.len()
    }
    fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, _: Context) -> Result<(), EncodeError> {
        buf.put_slice(&self.0);
        Ok(())
    }
}

impl<'de> Decode<'de> for Trailing<'de> {
    fn decode(reader: &mut Reader<'de>, _: Context) -> Result<Self, DecodeError> {
        Ok(Trailing(Cow::Borrowed(reader.take_rest())))
    }
}
