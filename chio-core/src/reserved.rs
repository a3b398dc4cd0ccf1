//! One frame's bytes, reserved once and filled by its codec: the writer a frame's payload
//! is encoded into when its length is known up front.
//!
//! A growable buffer checks (and may grow) its capacity on every put, and keeps its
//! length in memory it has to reload after each write through its own pointer. A frame
//! of known length asks its buffer for the room once, is written into it with the
//! position kept in a register, and is committed with one `advance_mut`
//! (BENCHMARKS.md: workload 2p's small client packets).

use bytes::BufMut;
use bytes::buf::UninitSlice;

/// A [`BufMut`] over a slice of uninitialised room: writes go in front to back, and the
/// number of bytes written is [`written`](Self::written).
///
/// It never panics and never writes past its room: a put that does not fit is counted
/// ([`overflow`](Self::overflow)) and dropped, so a codec that writes more than its
/// `encoded_len` said becomes an error of the frame writer, not a panic or a corrupt
/// stream.
pub(crate) struct Reserved<'a> {
    room: &'a mut UninitSlice,
    /// Bytes written at the front of `room`, all initialised.
    written: usize,
    /// Bytes that did not fit and were dropped.
    overflow: usize,
}

impl<'a> Reserved<'a> {
    /// A writer filling `room` from its start.
    #[inline(always)]
    pub(crate) fn new(room: &'a mut UninitSlice) -> Self {
        Self { room, written: 0, overflow: 0 }
    }

    /// The bytes at the front of the room that have been written (every one initialised).
    #[inline(always)]
    pub(crate) const fn written(&self) -> usize {
        self.written
    }

    /// The bytes that did not fit and were dropped.
    #[inline(always)]
    pub(crate) const fn overflow(&self) -> usize {
        self.overflow
    }
}

// SAFETY: `chunk_mut` hands out the unwritten rest of the room; `advance_mut` moves the
// front past bytes its caller promises (its own safety contract) to have initialised,
// and never past the room's end; `put_slice` and `put_bytes` (through which every other
// put goes) write before they advance. So the first `written` bytes of the room are
// always initialised, and `remaining_mut` is the length of `chunk_mut`.
#[allow(unsafe_code)]
unsafe impl BufMut for Reserved<'_> {
    #[inline(always)]
    fn remaining_mut(&self) -> usize {
        self.room.len() - self.written
    }

    #[inline(always)]
    unsafe fn advance_mut(&mut self, cnt: usize) {
        let fits = cnt.min(self.remaining_mut());
        self.written += fits;
        self.overflow += cnt - fits;
    }

    #[inline(always)]
    fn chunk_mut(&mut self) -> &mut UninitSlice {
        &mut self.room[self.written..]
    }

    #[inline(always)]
    fn put_slice(&mut self, src: &[u8]) {
        // `written <= room.len()` always holds, so this does not wrap.
        if src.len() <= self.room.len() - self.written {
            // SAFETY: the `src.len()` bytes from `written` are inside the room (checked
            // just above), `src` is a shared slice that cannot overlap the room this
            // writer borrows mutably, and only initialised bytes are written into it.
            unsafe {
                core::ptr::copy_nonoverlapping(
                    src.as_ptr(),
                    self.room.as_mut_ptr().add(self.written),
                    src.len(),
                );
            }
            self.written += src.len();
        } else {
            self.overflow += src.len();
        }
    }

    #[inline(always)]
    fn put_bytes(&mut self, val: u8, cnt: usize) {
        if cnt <= self.room.len() - self.written {
            // SAFETY: the `cnt` bytes from `written` are inside the room (checked above).
            unsafe { core::ptr::write_bytes(self.room.as_mut_ptr().add(self.written), val, cnt) };
            self.written += cnt;
        } else {
            self.overflow += cnt;
        }
    }

    #[inline]
    fn put<T: bytes::Buf>(&mut self, mut src: T)
    where
        Self: Sized,
    {
        while src.has_remaining() {
            let chunk = src.chunk();
            let len = chunk.len();
            self.put_slice(chunk);
            src.advance(len);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn room(len: usize) -> Vec<u8> {
        vec![0xee; len]
    }

    #[test]
    fn puts_fill_the_room_front_to_back() {
        let mut bytes = room(8);
        let mut out = Reserved::new(UninitSlice::new(&mut bytes));
        out.put_u16_le(0x0201);
        out.put_u8(3);
        out.put_bytes(4, 2);
        out.put_slice(&[5]);
        assert_eq!((out.written(), out.overflow(), out.remaining_mut()), (6, 0, 2));
        assert_eq!(bytes, [1, 2, 3, 4, 4, 5, 0xee, 0xee]);
    }

    #[test]
    fn what_does_not_fit_is_counted_not_written() {
        let mut bytes = room(4);
        let mut out = Reserved::new(UninitSlice::new(&mut bytes));
        out.put_u16_le(0x0201);
        out.put_u32_le(7);
        out.put_bytes(9, 3);
        out.put(&b"xyz"[..]);
        out.put_u8(3);
        assert_eq!((out.written(), out.overflow()), (3, 10));
        assert_eq!(bytes, [1, 2, 3, 0xee]);
    }

    #[test]
    #[allow(unsafe_code)]
    fn chunk_writes_count_once_advanced() {
        let mut bytes = room(3);
        let mut out = Reserved::new(UninitSlice::new(&mut bytes));
        out.chunk_mut().copy_from_slice(&[1, 2, 3]);
        // SAFETY: the three bytes of the chunk were just written.
        unsafe { out.advance_mut(3) };
        assert_eq!((out.written(), out.remaining_mut(), out.chunk_mut().len()), (3, 0, 0));
        // SAFETY: advancing a full room only counts the excess; nothing is read.
        unsafe { out.advance_mut(2) };
        assert_eq!((out.written(), out.overflow()), (3, 2));
    }
}
