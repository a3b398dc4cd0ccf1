//! The codec traits: [`Encode`], [`Decode`], and [`WireCast`] for fields whose wire type
//! differs from their Rust type.

use bytes::BufMut;

use crate::context::Context;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind};
use crate::reader::Reader;

/// A value that can be written in the bancho wire format of a given [`Context`].
///
/// `encoded_len` is exact: a frame header can be written before the payload, with no
/// temporary buffer and no back-patching.
pub trait Encode {
    /// The encoded size when it is the same for every value and context (integers, floats).
    ///
    /// Derived code uses it to size fields without looking at their values.
    const FIXED_LEN: Option<usize> = None;

    /// The exact number of bytes [`encode`](Encode::encode) writes for this context.
    ///
    /// When `encode` would fail, the result is unspecified (but never a panic).
    fn encoded_len(&self, ctx: Context) -> usize;

    /// Writes the value.
    ///
    /// On error, part of the value may already have been written; the frame writers roll the
    /// buffer back. The caller makes sure `buf` has room for [`encoded_len`](Encode::encoded_len)
    /// bytes (a growable buffer always does); [`Encode::encode_payload`] does this for you.
    fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) -> Result<(), EncodeError>;

    /// Encodes the value alone (a payload, or a part of one: no packet header) into a new
    /// vector of exactly the encoded size. To put a packet on the wire, write it with its
    /// header instead (`Packet::write`, or the packet sets' `write`).
    fn encode_payload(&self, ctx: Context) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(self.encoded_len(ctx));
        self.encode(&mut out, ctx)?;
        Ok(out)
    }
}

/// Whether dropping a value of `T` that [`Decode`] returned for `build` frees nothing: its
/// type has no drop glue, or it [decodes borrowed](Decode::decodes_borrowed) there. A
/// decoder that lends packets forgets such values instead of dropping them: the drop glue
/// of a packet enum dispatches on the variant and tests every string, to free nothing.
#[inline]
pub fn drops_nothing<'de, T: Decode<'de>>(build: u32) -> bool {
    !core::mem::needs_drop::<T>() || T::decodes_borrowed(build)
}

/// A value that can be read from the bancho wire format of a given [`Context`].
///
/// The lifetime `'de` is that of the input: types holding `&'de str` or `Cow<'de, str>`
/// borrow from it instead of allocating.
pub trait Decode<'de>: Sized {
    /// The fewest bytes any value of this type takes on the wire, in any context.
    ///
    /// List decoding multiplies a count by it and compares with the bytes left before
    /// allocating, so a forged count fails at once. Zero is always a safe answer.
    const MIN_LEN: usize = 0;

    /// Reads one value, advancing the reader.
    fn decode(reader: &mut Reader<'de>, ctx: Context) -> Result<Self, DecodeError>;

    /// Whether every value [`decode`](Self::decode) returns for `build` owns no heap
    /// memory, although the type has drop glue: all it holds is borrowed from the input
    /// (`Cow<str>` decodes borrowed, say), so dropping it frees nothing.
    /// [`drops_nothing`] reads it; the derive answers it for each span of builds from the
    /// fields on the wire there.
    ///
    /// False, the safe answer, unless an impl says otherwise. A wrong `true` leaks what a
    /// value owned when a decoder forgets it instead of dropping it; nothing worse.
    #[inline]
    fn decodes_borrowed(build: u32) -> bool {
        let _ = build;
        false
    }

    /// Whether the type's `Default` value frees nothing when dropped (`Cow<str>`'s is an
    /// empty `Owned` string, which holds no heap memory): the derive then lets a field that
    /// takes it outside its window count as freeing nothing ([`decodes_borrowed`]).
    /// False, the safe answer, unless an impl says otherwise.
    ///
    /// [`decodes_borrowed`]: Self::decodes_borrowed
    #[inline]
    fn default_frees_nothing() -> bool {
        false
    }

    /// Decodes a value that spans all of `input`: a payload without its packet header,
    /// with the default [`Limits`](crate::Limits).
    ///
    /// Bytes left after the value are an error ([`DecodeErrorKind::TrailingBytes`]), so a
    /// whole framed packet passed here by mistake fails instead of decoding as garbage.
    /// For other limits, read with a [`Reader`] (`Reader::new(input).with_limits(..)`,
    /// [`Reader::decode_payload`]); to read framed packets, use
    /// the frame readers of `chio_packets::wire`.
    fn decode_payload(input: &'de [u8], ctx: Context) -> Result<Self, DecodeError> {
        Reader::new(input).decode_payload(ctx)
    }
}

/// Conversion between a field's Rust type and the wire type it has in some builds.
///
/// `#[bancho(wire = u16)]` on a `u32` field encodes it through `WireCast<u16>`. Conversions
/// are checked both ways: a value that does not fit is an error, never clamped.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be carried as wire type `{W}`",
    label = "no `WireCast<{W}>` for `{Self}`",
    note = "`wire = ...` needs `{Self}: chio_core::WireCast<{W}>`; integers and floats convert among themselves, and derived enums and flags convert to every integer type"
)]
pub trait WireCast<W>: Sized {
    /// The wire value for this field value.
    fn to_wire(&self) -> Result<W, EncodeErrorKind>;
    /// The field value for a wire value.
    fn from_wire(wire: W) -> Result<Self, DecodeErrorKind>;
}

macro_rules! int_casts {
    ($($from:ty => [$($to:ty),*];)*) => {$($(
        impl WireCast<$to> for $from {
            #[inline]
            fn to_wire(&self) -> Result<$to, EncodeErrorKind> {
                <$to>::try_from(*self).map_err(|_| EncodeErrorKind::OutOfRange {
                    value: i128::from(*self),
                    wire: stringify!($to),
                })
            }
            #[inline]
            fn from_wire(wire: $to) -> Result<Self, DecodeErrorKind> {
                <$from>::try_from(wire).map_err(|_| DecodeErrorKind::OutOfRange {
                    value: i128::from(wire),
                    ty: stringify!($from),
                })
            }
        }
    )*)*};
}

int_casts! {
    u8 => [i8, u16, i16, u32, i32, u64, i64];
    i8 => [u8, u16, i16, u32, i32, u64, i64];
    u16 => [u8, i8, i16, u32, i32, u64, i64];
    i16 => [u8, i8, u16, u32, i32, u64, i64];
    u32 => [u8, i8, u16, i16, i32, u64, i64];
    i32 => [u8, i8, u16, i16, u32, u64, i64];
    u64 => [u8, i8, u16, i16, u32, i32, i64];
    i64 => [u8, i8, u16, i16, u32, i32, u64];
}

/// A type carried as itself: lets a field keep its own type in one window and change it in another.
macro_rules! identity_casts {
    ($($ty:ty),*) => {$(
        impl WireCast<$ty> for $ty {
            #[inline]
            fn to_wire(&self) -> Result<$ty, EncodeErrorKind> {
                Ok(*self)
            }
            #[inline]
            fn from_wire(wire: $ty) -> Result<Self, DecodeErrorKind> {
                Ok(wire)
            }
        }
    )*};
}

identity_casts!(u8, i8, u16, i16, u32, i32, u64, i64, f32, f64, bool);

/// `f64` fields carried as `f32` lose precision, as the game's own `float` fields do;
/// a finite value too large for `f32` is an error rather than an infinity.
impl WireCast<f32> for f64 {
    #[inline]
    #[allow(clippy::cast_possible_truncation)]
    fn to_wire(&self) -> Result<f32, EncodeErrorKind> {
        let narrowed = *self as f32;
        if self.is_finite() && !narrowed.is_finite() {
            return Err(EncodeErrorKind::OutOfRange { value: *self as i128, wire: "f32" });
        }
        Ok(narrowed)
    }
    #[inline]
    fn from_wire(wire: f32) -> Result<Self, DecodeErrorKind> {
        Ok(f64::from(wire))
    }
}

/// `f32` fields carried as `f64`: narrowing a decoded `f64` follows the same rule as above.
impl WireCast<f64> for f32 {
    #[inline]
    fn to_wire(&self) -> Result<f64, EncodeErrorKind> {
        Ok(f64::from(*self))
    }
    #[inline]
    #[allow(clippy::cast_possible_truncation)]
    fn from_wire(wire: f64) -> Result<Self, DecodeErrorKind> {
        let narrowed = wire as f32;
        if wire.is_finite() && !narrowed.is_finite() {
            return Err(DecodeErrorKind::OutOfRange { value: wire as i128, ty: "f32" });
        }
        Ok(narrowed)
    }
}

/// `bool` fields carried as an integer: 0 is false, 1 is true; on decode any non-zero value
/// is true, as the game's `BinaryReader.ReadBoolean` reads it.
macro_rules! bool_casts {
    ($($to:ty),*) => {$(
        impl WireCast<$to> for bool {
            #[inline]
            fn to_wire(&self) -> Result<$to, EncodeErrorKind> {
                Ok(<$to>::from(*self))
            }
            #[inline]
            fn from_wire(wire: $to) -> Result<Self, DecodeErrorKind> {
                Ok(wire != 0)
            }
        }
    )*};
}

bool_casts!(u8, u16, i16, u32, i32);

/// The integer that prefixes a list with its element count.
///
/// Lists use an `i32` count by default; some builds use 16-bit counts
/// (`#[bancho(count = u16)]`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a list count prefix",
    label = "not a count prefix",
    note = "`count = ...` takes one of `u8`, `u16`, `i16`, `i32`, `u32`"
)]
pub trait CountPrefix: Copy {
    /// The type's name, for messages.
    const NAME: &'static str;
    /// The prefix's encoded size.
    const LEN: usize;
    /// The prefix for `len` elements.
    fn from_len(len: usize) -> Result<Self, EncodeErrorKind>;
    /// The element count a prefix announces.
    fn to_len(self) -> Result<usize, DecodeErrorKind>;
    /// Writes the prefix.
    fn put<B: BufMut + ?Sized>(self, buf: &mut B);
    /// Reads a prefix.
    fn read(reader: &mut Reader<'_>) -> Result<Self, DecodeError>;
}

macro_rules! count_prefix {
    ($($ty:ty, $put:ident;)*) => {$(
        impl CountPrefix for $ty {
            const NAME: &'static str = stringify!($ty);
            const LEN: usize = core::mem::size_of::<$ty>();
            #[inline]
            fn from_len(len: usize) -> Result<Self, EncodeErrorKind> {
                <$ty>::try_from(len).map_err(|_| EncodeErrorKind::TooLong { len, prefix: stringify!($ty) })
            }
            #[inline]
            #[allow(irrefutable_let_patterns)]
            fn to_len(self) -> Result<usize, DecodeErrorKind> {
                usize::try_from(self).map_err(|_| DecodeErrorKind::NegativeCount(i64::from(self)))
            }
            #[inline]
            fn put<B: BufMut + ?Sized>(self, buf: &mut B) {
                buf.$put(self);
            }
            #[inline]
            fn read(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
                Ok(<$ty>::from_le_bytes(reader.take_array()?))
            }
        }
    )*};
}

count_prefix! {
    u8, put_u8;
    u16, put_u16_le;
    i16, put_i16_le;
    i32, put_i32_le;
    u32, put_u32_le;
}
