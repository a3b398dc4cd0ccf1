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
///
/// `encoded_len`, `encode` and `decode` make the module a field codec
/// (`#[bancho(with = chio_packets::primitives::uleb128)]` on a `u32` field).
pub mod uleb128 {
    use super::*;

    /// Longest encoding of a `u32`.
    pub const MAX_LEN: usize = 5;

    /// Encoded size of `value`.
    #[inline]
    pub const fn encoded_len(value: &u32, _: Context) -> usize {
        size(*value)
    }

    /// Writes `value` in the shortest form.
    #[inline]
    pub fn encode<B: BufMut + ?Sized>(value: &u32, buf: &mut B, _: Context) -> Result<(), EncodeError> {
        put(buf, *value);
        Ok(())
    }

    /// Reads a value; see [`read`].
    #[inline(always)]
    pub fn decode(reader: &mut Reader<'_>, _: Context) -> Result<u32, DecodeError> {
        read(reader)
    }

    /// Encoded size of `value` (no context needed: ULEB128 is the same in every build).
    #[inline]
    pub const fn size(value: u32) -> usize {
        match value {
            0..0x80 => 1,
            0x80..0x4000 => 2,
            0x4000..0x20_0000 => 3,
            0x20_0000..0x1000_0000 => 4,
            _ => 5,
        }
    }

    /// Writes `value` in the shortest form (no context needed).
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

    /// Reads a value of at most 5 bytes that fits a `u32` (no context needed).
    ///
    /// Over-long but in-range forms (`80 00` for 0) are accepted, as the game's reader
    /// accepts them; a sixth byte, or bits above bit 31, are [`DecodeErrorKind::UlebOverflow`].
    #[inline(always)]
    pub fn read(reader: &mut Reader<'_>) -> Result<u32, DecodeError> {
        // One byte (values below 128: almost every string length) inline; the rest out of line.
        match reader.peek_byte() {
            Some(byte) if byte < 0x80 => {
                reader.take_byte()?;
                Ok(u32::from(byte))
            }
            _ => read_long(reader),
        }
    }

    /// [`read`] for values of two bytes or more (and for errors).
    #[inline(never)]
    fn read_long(reader: &mut Reader<'_>) -> Result<u32, DecodeError> {
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
        uleb128::size(self.0)
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

/// The bancho string: a marker byte, then for a present string its ULEB128 byte length and
/// UTF-8 bytes.
///
/// An empty string has two forms. Servers write a bare `00` (the reference does); the osu!
/// client writes `0b 00`, a present string of length 0, as its writer does for every
/// non-null string in every build (seen in real client traffic: an `OsuMessage` from a
/// stable client starts `0b 00` for the empty sender). [`encode`](string::encode) writes
/// the form of the context's sender ([`Context::sent_by`]); [`decode`](string::decode)
/// accepts both.
pub mod string {
    use super::*;
    use crate::context::Direction;

    /// Marker byte of an absent (empty) string.
    pub const EMPTY: u8 = 0x00;
    /// Marker byte of a present string.
    pub const PRESENT: u8 = 0x0b;

    /// Encoded size of `s` as `ctx`'s sender writes it.
    #[inline]
    pub fn encoded_len(s: &str, ctx: Context) -> usize {
        if s.is_empty() {
            match ctx.sender() {
                Direction::ServerToClient => 1,
                Direction::ClientToServer => 2,
            }
        } else {
            // Lengths over u32::MAX fail in `encode`; the size reported for them is not used.
            let len = u32::try_from(s.len()).unwrap_or(u32::MAX);
            1 + uleb128::size(len) + s.len()
        }
    }

    /// Writes `s` as `ctx`'s sender writes it: the empty string is a bare `00` from a
    /// server, `0b 00` from a client.
    #[inline(always)]
    pub fn encode<B: BufMut + ?Sized>(s: &str, buf: &mut B, ctx: Context) -> Result<(), EncodeError> {
        put_header(s.len(), buf, ctx)?;
        buf.put_slice(s.as_bytes());
        Ok(())
    }

    /// Writes the concatenation of `parts` as one string, as [`encode`] writes it, without
    /// building it.
    ///
    /// ```
    /// use chio_core::Context;
    /// use chio_core::primitives::string;
    ///
    /// let (mut parts, mut whole) = (Vec::new(), Vec::new());
    /// string::encode_parts(&["Germany", " / ", "Berlin"], &mut parts, Context::NEWEST).unwrap();
    /// string::encode("Germany / Berlin", &mut whole, Context::NEWEST).unwrap();
    /// assert_eq!(parts, whole);
    /// ```
    #[inline]
    pub fn encode_parts<B: BufMut + ?Sized>(
        parts: &[&str],
        buf: &mut B,
        ctx: Context,
    ) -> Result<(), EncodeError> {
        put_header(parts.iter().map(|part| part.len()).sum(), buf, ctx)?;
        for part in parts {
            buf.put_slice(part.as_bytes());
        }
        Ok(())
    }

    /// The marker and length of a string of `len` bytes, as `ctx`'s sender writes them.
    #[inline(always)]
    fn put_header<B: BufMut + ?Sized>(len: usize, buf: &mut B, ctx: Context) -> Result<(), EncodeError> {
        let wire_len = u32::try_from(len).map_err(|_| EncodeErrorKind::TooLong { len, prefix: "ULEB128" })?;
        match u8::try_from(wire_len) {
            Ok(0) if ctx.sender() == Direction::ServerToClient => buf.put_u8(EMPTY),
            // Marker and one-byte length in one write (almost every string).
            Ok(short) if short < 0x80 => buf.put_slice(&[PRESENT, short]),
            _ => {
                buf.put_u8(PRESENT);
                uleb128::put(buf, wire_len);
            }
        }
        Ok(())
    }

    /// The UTF-8 check strings are decoded with: `bytes` as text, with an inlined fast
    /// path for ASCII (public for the benchmarks that compare validators).
    #[inline]
    pub fn validate(bytes: &[u8]) -> Result<&str, core::str::Utf8Error> {
        utf8(bytes)
    }

    /// Reads a string, borrowed from the input.
    ///
    /// Both empty forms are accepted: the bare `00` servers write and the `0b 00` that
    /// stable clients write. Any other marker byte is an error (the reference reads any
    /// non-zero marker as "present").
    #[inline(always)]
    pub fn decode<'de>(reader: &mut Reader<'de>, _: Context) -> Result<&'de str, DecodeError> {
        // Marker, one-byte length and body in one step: almost every string.
        if let Some(bytes) = reader.take_short_string(PRESENT) {
            let body_start = reader.position() - bytes.len();
            return utf8(bytes).map_err(|e| {
                DecodeError::new(DecodeErrorKind::InvalidUtf8 { valid_up_to: e.valid_up_to() }, body_start)
            });
        }
        let start = reader.position();
        match reader.take_byte()? {
            EMPTY => Ok(""),
            PRESENT => {
                let len = uleb128::read(reader)?;
                let limit = reader.max_string_len();
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
                utf8(bytes).map_err(|e| {
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

/// `bytes` as UTF-8 text, with an inlined fast path for ASCII.
///
/// Names, checksums and most chat lines are short ASCII strings, for which the call into
/// `core::str::from_utf8` costs more than the check itself (a fifth of the modern login
/// burst's decoding time before this path; see BENCHMARKS.md). Text that is not all ASCII
/// is validated by `core::str::from_utf8` from the first 8-byte word holding a non-ASCII
/// byte on: everything before that word is ASCII, so it needs no second look.
#[inline(always)]
#[allow(unsafe_code)]
fn utf8(bytes: &[u8]) -> Result<&str, core::str::Utf8Error> {
    let ascii_prefix = ascii_prefix(bytes);
    if ascii_prefix == bytes.len() {
        // SAFETY: every byte is below 0x80, so `bytes` is a sequence of one-byte UTF-8
        // code points: valid UTF-8, which is all `from_utf8_unchecked` requires.
        Ok(unsafe { core::str::from_utf8_unchecked(bytes) })
    } else {
        utf8_after_ascii(bytes, ascii_prefix)
    }
}

/// [`utf8`] for text with a non-ASCII byte at or after `ascii_prefix`.
#[inline(never)]
#[allow(unsafe_code)]
fn utf8_after_ascii(bytes: &[u8], ascii_prefix: usize) -> Result<&str, core::str::Utf8Error> {
    let (_, rest) = bytes.split_at_checked(ascii_prefix).unwrap_or((&[], bytes));
    if crate::utf8::is_valid(rest) {
        // SAFETY: `bytes[..ascii_prefix]` is ASCII (each byte a whole code point, so the
        // split is on a character boundary) and `rest` was just validated; a valid prefix
        // followed by valid UTF-8 is valid UTF-8.
        Ok(unsafe { core::str::from_utf8_unchecked(bytes) })
    } else {
        // `core` gives the error and its position (this path only runs for invalid input).
        core::str::from_utf8(bytes)
    }
}

/// The length of a prefix of `bytes` known to be ASCII: `bytes.len()` if all of it is,
/// else a multiple of 8 at or before the first non-ASCII byte.
///
/// Like `<[u8]>::is_ascii` but without its byte-at-a-time alignment head and tail, whose
/// length-dependent branches mispredict on short strings: every length is read as whole
/// 8-byte (or 4-byte) words, the last one overlapping. Lengths of 8 to 16 bytes (names,
/// most short texts) take two words and no loop, whose exit would depend on the length.
#[inline(always)]
fn ascii_prefix(bytes: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let len = bytes.len();
    let word = |chunk: &[u8]| chunk.first_chunk::<8>().map_or(0, |b| u64::from_le_bytes(*b));
    if (8..=16).contains(&len) {
        // Names and most short texts: two words, the second overlapping the first.
        let (first, last) = (word(bytes), bytes.get(len - 8..).map_or(0, word));
        if (first | last) & HIGH == 0 { len } else { 0 }
    } else if len > 16 {
        // Whole words up to the first with a high bit; the tail is one last word that
        // overlaps bytes already known to be ASCII.
        let mut at = 0;
        for chunk in bytes.chunks_exact(8) {
            if word(chunk) & HIGH != 0 {
                return at;
            }
            at += 8;
        }
        let last = bytes.get(len - 8..).map_or(0, word);
        if last & HIGH == 0 { len } else { at }
    } else if len >= 4 {
        let half = |at: usize| {
            bytes.get(at..at + 4).and_then(|b| b.first_chunk::<4>()).map_or(0, |b| u32::from_le_bytes(*b))
        };
        if (half(0) | half(len - 4)) & 0x8080_8080 == 0 { len } else { 0 }
    } else if bytes.iter().fold(0, |any, &b| any | b) & 0x80 == 0 {
        len
    } else {
        0
    }
}

macro_rules! string_encode {
    ($($ty:ty),*) => {$(
        impl Encode for $ty {
            #[inline]
            fn encoded_len(&self, ctx: Context) -> usize {
                string::encoded_len(self, ctx)
            }
            #[inline]
            fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) -> Result<(), EncodeError> {
                string::encode(self, buf, ctx)
            }
        }
    )*};
}

string_encode!(str, String, Cow<'_, str>);

impl<'de> Decode<'de> for &'de str {
    const MIN_LEN: usize = 1;
    #[inline]
    fn decode(reader: &mut Reader<'de>, ctx: Context) -> Result<Self, DecodeError> {
        string::decode(reader, ctx)
    }
}

impl<'de> Decode<'de> for Cow<'de, str> {
    const MIN_LEN: usize = 1;
    #[inline(always)]
    fn decode(reader: &mut Reader<'de>, ctx: Context) -> Result<Self, DecodeError> {
        string::decode(reader, ctx).map(Cow::Borrowed)
    }
    #[inline]
    fn decodes_borrowed(_: u32) -> bool {
        true
    }
    #[inline]
    fn default_frees_nothing() -> bool {
        true
    }
}

impl<'de> Decode<'de> for String {
    const MIN_LEN: usize = 1;
    #[inline]
    fn decode(reader: &mut Reader<'de>, ctx: Context) -> Result<Self, DecodeError> {
        string::decode(reader, ctx).map(str::to_owned)
    }
}

/// Lists: a count prefix, then the elements (`encoded_len`, `encode` and `decode` take the
/// count type as a parameter; `elements_len`, `encode_elements` and `decode_elements` are
/// for lists whose length the layout fixes).
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
    pub fn encode<C: CountPrefix, T: Encode, B: BufMut + ?Sized>(
        items: &[T],
        buf: &mut B,
        ctx: Context,
    ) -> Result<(), EncodeError> {
        C::from_len(items.len())?.put(buf);
        encode_elements(items, buf, ctx)
    }

    /// Writes `items` without a count.
    #[inline]
    pub fn encode_elements<T: Encode, B: BufMut + ?Sized>(
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
    pub fn decode<'de, C: CountPrefix, T: Decode<'de>>(
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
    pub fn decode_elements<'de, T: Decode<'de>>(
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
        // The elements are read through a local copy of the reader, written back on
        // success and error alike (the same end state as reading in place): the copy
        // stays in registers, where the caller's reader would be stored back after every
        // field of every element.
        let mut local = reader.clone();
        let result = (|| {
            for i in 0..count {
                items.push(T::decode(&mut local, ctx).map_err(|e| e.at_index(i))?);
            }
            Ok(())
        })();
        *reader = local;
        result.map(|()| items)
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
        list::encode::<i32, T, B>(self, buf, ctx)
    }
}

impl<'de, T: Decode<'de>> Decode<'de> for Vec<T> {
    const MIN_LEN: usize = 4;
    #[inline]
    fn decode(reader: &mut Reader<'de>, ctx: Context) -> Result<Self, DecodeError> {
        list::decode::<i32, T>(reader, ctx)
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
    /// Detaches from the input: the same as [`IntoOwned::into_owned`], callable without
    /// importing the trait.
    ///
    /// [`IntoOwned::into_owned`]: crate::IntoOwned::into_owned
    pub fn into_owned(self) -> Trailing<'static> {
        crate::IntoOwned::into_owned(self)
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
    fn decodes_borrowed(_: u32) -> bool {
        true
    }
    fn default_frees_nothing() -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings of every length up to 80 with one byte changed at every position: the
    /// ASCII fast path and the validation after it agree with `core::str::from_utf8`,
    /// error positions included.
    #[test]
    fn utf8_agrees_with_core_at_every_length_and_position() {
        for len in 0..80 {
            let ascii: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            assert_eq!(utf8(&ascii), core::str::from_utf8(&ascii));
            assert_eq!(ascii_prefix(&ascii), len);
            for at in 0..len {
                for byte in [0x80u8, 0xc3, 0xe3, 0xf0, 0xff] {
                    let mut bytes = ascii.clone();
                    bytes[at] = byte;
                    assert_eq!(utf8(&bytes), core::str::from_utf8(&bytes), "len {len}, {byte:#x} at {at}");
                    let prefix = ascii_prefix(&bytes);
                    assert!(
                        prefix <= at && bytes[..prefix].is_ascii(),
                        "len {len}, at {at}: prefix {prefix}"
                    );
                }
                // A valid two-byte character ("ü") starting here, where it fits.
                if at + 1 < len {
                    let mut bytes = ascii.clone();
                    bytes[at..at + 2].copy_from_slice("ü".as_bytes());
                    assert_eq!(utf8(&bytes), core::str::from_utf8(&bytes), "len {len}, ü at {at}");
                }
            }
        }
    }

    /// Reads through the reader report the same errors at the same offsets.
    #[test]
    fn string_errors_point_at_the_bad_bytes() {
        let mut bytes = vec![0x0b, 20];
        bytes.extend_from_slice(b"0123456789abcdef\xe3\x81xy");
        let error = string::decode(&mut Reader::new(&bytes), Context::NEWEST).unwrap_err();
        assert_eq!(error.kind(), &DecodeErrorKind::InvalidUtf8 { valid_up_to: 16 });
        assert_eq!(error.offset(), 2);
        // A two-byte length goes through the long ULEB128 path.
        let mut long = vec![0x0b, 0x80 | 0x2c, 0x02];
        long.extend(std::iter::repeat_n(b'x', 300));
        assert_eq!(string::decode(&mut Reader::new(&long), Context::NEWEST).unwrap().len(), 300);
        assert!(matches!(
            string::decode(&mut Reader::new(&[0x0b, 0x80]), Context::NEWEST).unwrap_err().kind(),
            DecodeErrorKind::UnexpectedEnd { .. }
        ));
    }
}
