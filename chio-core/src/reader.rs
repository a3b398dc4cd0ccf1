//! A bounds-checked cursor over the bytes being decoded.

use crate::error::{DecodeError, DecodeErrorKind, LimitKind};
use crate::limits::Limits;

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
    /// The caps of [`Limits`] that apply inside a payload (the others are the frame
    /// readers'): kept alone, so that a reader is 12 bytes smaller to make and copy.
    max_string_len: u32,
    max_list_len: u32,
}

impl<'de> Reader<'de> {
    /// A reader over `input` with the default limits.
    #[inline]
    pub const fn new(input: &'de [u8]) -> Self {
        let Limits { max_string_len, max_list_len, .. } = Limits::DEFAULT;
        Self { rest: input, len: input.len(), max_string_len, max_list_len }
    }

    /// The same reader with other limits: their string and list caps.
    #[inline]
    #[must_use]
    pub const fn with_limits(self, limits: Limits) -> Self {
        Self { max_string_len: limits.max_string_len, max_list_len: limits.max_list_len, ..self }
    }

    /// Decodes a `T` that spans every byte left: a whole payload, under this reader's
    /// limits (trailing bytes are an error).
    #[inline]
    pub fn decode_payload<T: crate::Decode<'de>>(mut self, ctx: crate::Context) -> Result<T, DecodeError> {
        let value = T::decode(&mut self, ctx)?;
        self.finish()?;
        Ok(value)
    }

    /// Checks that every byte has been read: the end of a whole payload.
    ///
    /// Bytes left over are [`DecodeErrorKind::TrailingBytes`] at the first of them.
    #[inline]
    pub fn finish(&self) -> Result<(), DecodeError> {
        match self.remaining() {
            0 => Ok(()),
            n => Err(self.error(DecodeErrorKind::TrailingBytes(n))),
        }
    }

    /// The longest string this reader accepts, in bytes ([`Limits::max_string_len`]).
    #[inline]
    pub const fn max_string_len(&self) -> u32 {
        self.max_string_len
    }

    /// The most elements of one list this reader accepts ([`Limits::max_list_len`]).
    #[inline]
    pub const fn max_list_len(&self) -> u32 {
        self.max_list_len
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

    /// Takes the next `n` bytes as a reader of their own, with the same limits and the
    /// same positions (its errors point into this reader's input); `None`, taking
    /// nothing, when fewer are left.
    ///
    /// Fields read from it need no bounds check of their own when their sizes add up to
    /// `n`: the derive reads each stretch of fixed-size fields this way.
    #[inline(always)]
    pub fn take_fixed(&mut self, n: usize) -> Option<Reader<'de>> {
        let (bytes, rest) = self.rest.split_at_checked(n)?;
        self.rest = rest;
        // The sub-reader ends where this one's position now is.
        Some(Reader { rest: bytes, len: self.len - rest.len(), ..*self })
    }

    /// Takes a string of fewer than 128 bytes, `marker`, its one-byte length and its
    /// body, in one step, and returns the body; `None`, taking nothing, when the next
    /// bytes are not one, or its length is over the string cap (the general path then
    /// reads them byte by byte and reports what is wrong).
    #[inline(always)]
    pub(crate) fn take_short_string(&mut self, marker: u8) -> Option<&'de [u8]> {
        let [first, len, rest @ ..] = self.rest else { return None };
        if *first != marker || *len >= 0x80 || u32::from(*len) > self.max_string_len {
            return None;
        }
        let (body, rest) = rest.split_at_checked(usize::from(*len))?;
        self.rest = rest;
        Some(body)
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
        let limit = self.max_list_len as usize;
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
    fn fixed_takes_share_positions() {
        let mut r = Reader::new(&[1, 2, 3, 4, 5]);
        r.take_byte().unwrap();
        let mut run = r.take_fixed(3).unwrap();
        assert_eq!((r.position(), run.position(), run.remaining()), (4, 1, 3));
        assert_eq!(run.take_array::<2>().unwrap(), [2, 3]);
        let err = run.take_array::<2>().unwrap_err();
        assert_eq!((err.offset(), err.kind()), (3, &DecodeErrorKind::UnexpectedEnd { needed: 2, left: 1 }));
        assert!(r.take_fixed(2).is_none());
        assert_eq!(r.position(), 4, "a short take takes nothing");
        assert_eq!(r.take_fixed(1).unwrap().take_rest(), &[5]);
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
        let r = Reader::new(&[0; 10]).with_limits(Limits { max_list_len: 1, ..Limits::DEFAULT });
        assert!(r.check_count(2, 1).is_err());
    }
}
