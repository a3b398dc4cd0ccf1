//! Wire primitives, the build context and the errors of the osu! bancho protocol.
//!
//! This is the lowest layer of chio-rs. Most users depend on `chio-packets`, which
//! re-exports everything here along with the derive macros and every packet.
//!
//! - [`Context`]: the client build, protocol version and slot count, passed by value to
//!   every encode and decode. There is no global state.
//! - [`Encode`] / [`Decode`]: the codec traits. `encoded_len` is exact, so frames are
//!   written without temporary buffers; decoding borrows strings from the input.
//! - [`Reader`] and [`Limits`]: bounds-checked input with caps on lengths and counts.
//! - [`DecodeError`] / [`EncodeError`]: typed errors with the field path and byte offset.
//! - [`Describe`] and [`layout`]: run-time layout descriptions for tools.
//! - [`IntoOwned`]: a decoded value detached from its input (`'static`).
//!
//! ```
//! use chio_core::{Context, Decode, Encode};
//! use std::borrow::Cow;
//!
//! let ctx = Context::new(20250306);
//! let bytes = "#osu".encode_payload(ctx).unwrap();
//! assert_eq!(bytes, b"\x0b\x04#osu");
//! let decoded = <Cow<str>>::decode_payload(&bytes, ctx).unwrap();
//! assert!(matches!(decoded, Cow::Borrowed("#osu")));
//! ```

pub mod build;
mod codec;
mod context;
mod error;
pub mod frame;
pub mod gzip;
pub mod ids;
pub mod layout;
mod limits;
mod owned;
mod packet;
pub mod primitives;
mod reader;
mod reserved;
mod utf8;
pub mod version;
pub mod wire;

pub use codec::{CountPrefix, Decode, Encode, WireCast, drops_nothing};
pub use context::{Context, Direction};
pub use error::{
    DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, FieldPath, LimitKind, PathSegment,
};
pub use layout::{Describe, Layout};
pub use limits::Limits;
pub use owned::IntoOwned;
pub use packet::{DecodeFn, DecodeHook, EncodeHook, LendFn, Packet, PacketSet};
pub use primitives::{Bools8, Trailing, Uleb128};
pub use reader::Reader;

/// The buffer trait encoders write into, and the buffers the stream readers use (from the
/// `bytes` crate, re-exported so that no direct dependency is needed).
pub use bytes::{BufMut, Bytes, BytesMut};
pub use wire::{Decoded, Frame, PacketDecoder, PacketEncoder};

/// Items the derive macros' generated code refers to. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::build::{BuildRange, ProtocolRange};
    pub use crate::layout::{Encoding, Field, Layout, Shape, Window};
    pub use crate::primitives::list;
    pub use bitflags;
    pub use bytes::BufMut;
    pub use core::mem::ManuallyDrop;
    pub use core::result::Result::{Err, Ok};
    pub use core::{option::Option, result::Result};

    /// Drops a decoded field held in a `ManuallyDrop` (when a later field fails): moved
    /// out first, so that the field's own place never has its address taken.
    #[inline(always)]
    pub fn drop_held<T>(value: ManuallyDrop<T>) {
        drop(ManuallyDrop::into_inner(value));
    }

    /// Fixed size of `T` if it has one, else the size of `value` converted to it.
    #[inline(always)]
    pub fn wire_len<F: crate::WireCast<W>, W: crate::Encode>(value: &F, ctx: crate::Context) -> usize {
        match W::FIXED_LEN {
            Some(n) => n,
            None => value.to_wire().map_or(0, |w| w.encoded_len(ctx)),
        }
    }

    /// Writes `value` as wire type `W`.
    #[inline(always)]
    pub fn put_wire<F: crate::WireCast<W>, W: crate::Encode, B: bytes::BufMut + ?Sized>(
        value: &F,
        buf: &mut B,
        ctx: crate::Context,
    ) -> Result<(), crate::EncodeError> {
        value.to_wire()?.encode(buf, ctx)
    }

    /// The sum of fixed field sizes, or `None` if one of them has no fixed size: a
    /// derived struct's `Encode::FIXED_LEN`, and the size of a run of fixed fields.
    pub const fn fixed_sum(lens: &[Option<usize>]) -> Option<usize> {
        let mut total = 0;
        let mut i = 0;
        while i < lens.len() {
            match lens[i] {
                Some(n) => total += n,
                None => return None,
            }
            i += 1;
        }
        Some(total)
    }

    /// How a derived struct reads a run of consecutive fields that are on the wire
    /// throughout a span of builds, worked out from their fixed sizes when the code is
    /// compiled. Only a field type's impl knows whether it has a fixed size (a nested
    /// struct with a string has none), so the derive lists every size (0 for a field not
    /// on the wire in the span) and this finds the stretches of two or more fixed ones.
    /// Each is taken with one bounds check ([`Reader::take_fixed`](crate::Reader::take_fixed))
    /// and its fields read from that; the fields around it are read one by one.
    #[derive(Clone, Copy, Debug)]
    pub struct RunPlan<const N: usize> {
        /// For the first field of a stretch, the stretch's size in bytes.
        pub starts: [Option<usize>; N],
        /// Whether the field is read from its stretch's reader.
        pub within: [bool; N],
    }

    /// The [`RunPlan`] of fields with fixed sizes `lens` (`None`: not fixed).
    pub const fn run_plan<const N: usize>(lens: [Option<usize>; N]) -> RunPlan<N> {
        let mut plan = RunPlan { starts: [None; N], within: [false; N] };
        let mut start = 0;
        while start < N {
            // The stretch of fixed fields from `start`: `start..end`, `len` bytes, `read`
            // of them with bytes (a field not on the wire in the span has none).
            let (mut end, mut len, mut read) = (start, 0, 0);
            while end < N {
                match lens[end] {
                    Some(n) => {
                        len += n;
                        if n > 0 {
                            read += 1;
                        }
                    }
                    None => break,
                }
                end += 1;
            }
            if read >= 2 {
                plan.starts[start] = Some(len);
                let mut field = start;
                while field < end {
                    plan.within[field] = true;
                    field += 1;
                }
            }
            start = end + 1;
        }
        plan
    }

    /// Reads a `W` and converts it to the field type; a value that does not fit is an
    /// error at the value's offset.
    #[inline(always)]
    pub fn read_wire<'de, F: crate::WireCast<W>, W: crate::Decode<'de>>(
        reader: &mut crate::Reader<'de>,
        ctx: crate::Context,
    ) -> Result<F, crate::DecodeError> {
        let start = reader.position();
        let wire = W::decode(reader, ctx)?;
        F::from_wire(wire).map_err(|kind| crate::DecodeError::new(kind, start))
    }

    /// The error for an integer that names no variant of enum `ty`.
    #[inline(always)]
    pub fn invalid_enum(ty: &'static str, value: i64) -> crate::DecodeErrorKind {
        crate::DecodeErrorKind::InvalidEnum { ty, value }
    }

    /// `value` detached from its input: the derived `IntoOwned` calls this per field, so a
    /// field type without `IntoOwned` is one error at the field.
    #[inline(always)]
    ///
    /// The owned type is a parameter, inferred from the struct being built, rather than
    /// `T::Owned`: a failed bound then leaves no projection behind to fail a second time.
    pub fn into_owned<T: crate::IntoOwned<Owned = O>, O>(value: T) -> O {
        value.into_owned()
    }

    /// `Default` for the fields of a struct with `#[bancho(default)]`, with a message that
    /// says why a field type needs it.
    #[diagnostic::on_unimplemented(
        message = "`#[bancho(default)]` needs a default value for field type `{Self}`",
        label = "`{Self}` does not implement `Default`",
        note = "implement or derive `Default` for `{Self}` (for an enum, mark a variant `#[default]`), or give the field `#[bancho(default = ...)]` if it is absent in some builds"
    )]
    pub trait FieldDefault: Sized {
        /// The field's default value.
        fn field_default() -> Self;
    }

    impl<T: Default> FieldDefault for T {
        #[inline(always)]
        fn field_default() -> Self {
            T::default()
        }
    }

    /// `const` minimum of two lengths, for `MIN_LEN` of fields whose wire type changes.
    pub const fn min_len(a: usize, b: usize) -> usize {
        if a < b { a } else { b }
    }
}

#[cfg(test)]
mod tests {
    use super::__private::run_plan;

    /// Stretches are the runs of two or more fixed-size fields with bytes; a field with
    /// no fixed size ends one, a field with none (not on the wire) joins it.
    #[test]
    fn a_run_plan_takes_stretches_of_two_or_more_fixed_fields() {
        let plan = run_plan([Some(4), None, Some(8), Some(0), Some(1), Some(4), None, Some(2)]);
        assert_eq!(plan.starts, [None, None, Some(13), None, None, None, None, None]);
        assert_eq!(plan.within, [false, false, true, true, true, true, false, false]);
        // One field with bytes is no stretch, with or without one of none beside it.
        let plan = run_plan([Some(0), Some(4), None, Some(2)]);
        assert_eq!(plan.starts, [None; 4]);
        assert_eq!(plan.within, [false; 4]);
        // A run of fixed fields only is one stretch.
        let plan = run_plan([Some(1), Some(2), Some(4)]);
        assert_eq!((plan.starts, plan.within), ([Some(7), None, None], [true; 3]));
        assert_eq!(run_plan::<0>([]).starts, []);
    }
}
