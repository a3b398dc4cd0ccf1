//! A bounds-checked cursor over the bytes being decoded, and the limits it enforces.

use crate::error::{DecodeError, DecodeErrorKind, LimitKind};

/// Caps on what one input may make the decoder accept or allocate.
///
/// Every length and count is also checked against the bytes actually left, so the
/// decoder never allocates more than the input justifies; these caps bound it further.
/// The defaults follow the reference: a packet frame is at most 16 KiB, except the
/// beatmap info request (256 KiB), which is why the list and string caps match that.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Longest string, in bytes.
    pub max_string_len: u32,
    /// Most elements in one list.
    pub max_list_len: u32,
    /// Longest frame payload on the wire, in bytes.
    pub max_frame_len: u32,
    /// Longest payload of a client packet other than the beatmap info request (the
    /// reference's limit), applied by decoders of client streams.
    pub max_client_frame_len: u32,
    /// Largest payload after gzip decompression, in bytes.
    pub max_decompressed_len: u32,
}

impl Limits {
    /// The defaults: 256 KiB strings and frames, 16 KiB client frames (except the beatmap
    /// info request), 65,536 list elements, 1 MiB decompressed.
    pub const DEFAULT: Self = Self {
        max_string_len: 1 << 18,
        max_list_len: 1 << 16,
        max_frame_len: 1 << 18,
        max_client_frame_len: 1 << 14,
        max_decompressed_len: 1 << 20,
    };

    /// No caps beyond what the input holds (for trusted input such as test fixtures).
    pub const UNLIMITED: Self = Self {
        max_string_len: u32::MAX,
        max_list_len: u32::MAX,
        max_frame_len: u32::MAX,
        max_client_frame_len: u32::MAX,
        max_decompressed_len: u32::MAX,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A cursor over a byte slice that hands out borrowed sub-slices and never reads past the end.
///
/// Positions are relative to the start of the slice; error offsets use them.
///
/// The reader holds the bytes not yet read (and the input's length, for positions), so a
/// read is one length comparison and a slice split.
#[derive(Clone, Debug)]
pub struct Reader<'de> {
    /// The bytes not yet consumed.
    rest: &'de [u8],
    /// The input's full length: the position is `len - rest.len()`.
    len: usize,
    limits: Limits,
}

impl<'de> Reader<'de> {
    /// A reader over `input` with the default limits.
    #[inline]
    pub const fn new(input: &'de [u8]) -> Self {
        Self { rest: input, len: input.len(), limits: Limits::DEFAULT }
    }

    /// A reader over `input` with the given limits.
    #[inline]
    pub const fn with_limits(input: &'de [u8], limits: Limits) -> Self {
        Self { rest: input, len: input.len(), limits }
    }

    /// The limits in force.
    #[inline]
    pub const fn limits(&self) -> Limits {
        self.limits
    }

    /// Bytes consumed so far.
    #[inline]
    pub const fn position(&self) -> usize {
        self.len - self.rest.len()
    }

    /// Bytes not yet consumed.
    #[inline]
    pub const fn remaining(&self) -> usize {
        self.rest.len()
    }

    /// Whether every byte has been consumed.
    #[inline]
    pub const fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// An error of `kind` at the current position.
    ///
    /// Inlined so that only the position (not the reader) reaches the out-of-line
    /// constructor: a reader whose address never escapes stays in registers.
    #[inline(always)]
    pub fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(kind, self.position())
    }

    /// Takes the next `n` bytes, borrowed from the input.
    #[inline]
    pub fn take(&mut self, n: usize) -> Result<&'de [u8], DecodeError> {
        match self.rest.split_at_checked(n) {
            Some((bytes, rest)) => {
                self.rest = rest;
                Ok(bytes)
            }
            None => Err(self.unexpected_end(n)),
        }
    }

    /// Takes the next `N` bytes as an array.
    #[inline]
    pub fn take_array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        match self.rest.split_first_chunk::<N>() {
            Some((bytes, rest)) => {
                self.rest = rest;
                Ok(*bytes)
            }
            None => Err(self.unexpected_end(N)),
        }
    }

    /// Takes the next byte.
    #[inline]
    pub fn take_byte(&mut self) -> Result<u8, DecodeError> {
        match self.rest.split_first() {
            Some((&b, rest)) => {
                self.rest = rest;
                Ok(b)
            }
            None => Err(self.unexpected_end(1)),
        }
    }

    /// Looks at the next byte without consuming it.
    #[inline]
    pub fn peek_byte(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Takes every byte left.
    #[inline]
    pub fn take_rest(&mut self) -> &'de [u8] {
        let rest: &'de [u8] = self.rest;
        self.rest = &[];
        rest
    }

    /// Checks that `count` elements of at least `min_len` bytes each can fit in what is left
    /// and stay under the list limit, before anything is allocated for them.
    ///
    /// Elements that may encode to zero bytes are counted as one byte, so a count is never
    /// larger than the bytes left.
    ///
    /// Errors are reported at the current position; see [`Reader::check_count_at`].
    pub fn check_count(&self, count: usize, min_len: usize) -> Result<(), DecodeError> {
        self.check_count_at(count, min_len, self.position())
    }

    /// As [`Reader::check_count`], reporting errors at `offset`: where the count was read,
    /// so the error points at the value that is wrong.
    #[inline]
    pub fn check_count_at(&self, count: usize, min_len: usize, offset: usize) -> Result<(), DecodeError> {
        let limit = self.limits.max_list_len as usize;
        if count > limit {
            let kind = DecodeErrorKind::LimitExceeded {
                kind: LimitKind::ListCount,
                value: count as u64,
                limit: limit as u64,
            };
            return Err(DecodeError::new(kind, offset));
        }
        let needed = (count as u64).saturating_mul(min_len.max(1) as u64);
        if needed > self.remaining() as u64 {
            let kind =
                DecodeErrorKind::CountExceedsInput { count: count as u64, needed, left: self.remaining() };
            return Err(DecodeError::new(kind, offset));
        }
        Ok(())
    }

    #[inline(always)]
    fn unexpected_end(&self, needed: usize) -> DecodeError {
        unexpected_end(needed, self.position(), self.remaining())
    }
}

/// The error of a read of `needed` bytes at `offset` with `left` bytes left (out of line:
/// the read paths stay small).
#[cold]
#[inline(never)]
fn unexpected_end(needed: usize, offset: usize, left: usize) -> DecodeError {
    DecodeError::new(DecodeErrorKind::UnexpectedEnd { needed, left }, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_is_bounds_checked() {
        let mut r = Reader::new(&[1, 2, 3]);
        assert_eq!(r.take(2).unwrap(), &[1, 2]);
        let err = r.take(2).unwrap_err();
        assert_eq!(err.kind(), &DecodeErrorKind::UnexpectedEnd { needed: 2, left: 1 });
        assert_eq!(err.offset(), 2);
        assert_eq!(r.take_array::<1>().unwrap(), [3]);
        assert!(r.is_empty());
        assert!(r.take_byte().is_err());
        assert_eq!(r.take_rest(), &[] as &[u8]);
    }

    #[test]
    fn huge_take_does_not_overflow() {
        let mut r = Reader::new(&[0; 4]);
        r.take(1).unwrap();
        assert!(r.take(usize::MAX).is_err());
        assert_eq!(r.position(), 1);
    }

    #[test]
    fn check_count_rejects_counts_the_input_cannot_hold() {
        let r = Reader::new(&[0; 10]);
        assert!(r.check_count(2, 4).is_ok());
        assert!(matches!(
            r.check_count(3, 4).unwrap_err().kind(),
            DecodeErrorKind::CountExceedsInput { count: 3, needed: 12, left: 10 }
        ));
        assert!(matches!(
            r.check_count(1 << 31, 4).unwrap_err().kind(),
            DecodeErrorKind::LimitExceeded { kind: LimitKind::ListCount, .. }
        ));
        // Zero-size elements still count one byte each.
        assert!(r.check_count(11, 0).is_err());
        let r = Reader::with_limits(&[0; 10], Limits { max_list_len: 1, ..Limits::DEFAULT });
        assert!(r.check_count(2, 1).is_err());
    }
}
