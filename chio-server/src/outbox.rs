//! Each session's bounded queue of encoded frames.
//!
//! Everything the server sends a session goes through its [`Outbox`]: already-encoded
//! frames ([`Bytes`], whole wire packets, never split), queued in order, taken out by
//! whatever writes to the client.
//!
//! # Policy: a client that does not read is disconnected
//!
//! An outbox is bounded by the bytes it holds and by the number of frames it holds
//! ([`OutboxLimits`], by default 1 MiB and 8,192 frames). A push that would go past either
//! bound does not queue the frame: it **closes** the outbox, drops what was queued, and
//! returns [`PushError::Overflow`]. The session is then to be disconnected. A client that
//! stops reading (or reads slower than the server talks to it) therefore never costs more
//! than the bound, and the server never blocks on it: a push never waits.
//!
//! Once closed, an outbox stays closed: later pushes are dropped and return
//! [`PushError::Closed`]. [`Outbox::close`] closes it on purpose (logout, kick, restart)
//! and keeps what is queued, so a writer can still send it before ending.
//!
//! # Two ways out
//!
//! - A TCP writer task awaits [`Outbox::next_batch`]: it waits until a frame is queued or
//!   the outbox closes, takes whole frames up to a byte budget (at least one), and gets
//!   `None` once the outbox is closed and empty, which ends the task.
//! - An HTTP poll (the osu! client's `c.ppy.sh` transport) calls [`Outbox::drain_up_to`],
//!   which never waits and takes whole frames while the response is below a soft cap
//!   ([`POLL_SOFT_CAP`], 32 KiB), so the last frame may go over it.
//!
//! An [`Outbox`] is a handle: cloning it is cheap (an `Arc`) and every clone is the same
//! queue.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use tokio::sync::Notify;

/// The soft cap of one HTTP poll response: frames are added while the response is
/// smaller than this, so a response may exceed it by less than one frame.
pub const POLL_SOFT_CAP: usize = 32 * 1024;

/// How much an [`Outbox`] may hold before the session is dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OutboxLimits {
    /// Most bytes of frames queued at once.
    pub max_bytes: usize,
    /// Most frames queued at once, whatever their size (each costs some bookkeeping
    /// beyond its bytes).
    pub max_frames: usize,
}

impl OutboxLimits {
    /// 1 MiB and 8,192 frames.
    pub const DEFAULT: Self = Self { max_bytes: 1024 * 1024, max_frames: 8192 };
}

impl Default for OutboxLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Why an outbox is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CloseReason {
    /// [`Outbox::close`] was called; what was queued stays until taken.
    Closed,
    /// A push would have gone past the [`OutboxLimits`]; what was queued was dropped.
    Overflow,
}

/// Why a frame was not queued.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum PushError {
    /// This push would have gone past the limits: the outbox is now closed and empty,
    /// and its session should be disconnected.
    #[error(
        "outbox overflow: {queued_bytes} bytes in {queued_frames} frames queued, a {frame_len}-byte frame does not fit"
    )]
    Overflow {
        /// Bytes queued when the frame arrived (now dropped).
        queued_bytes: usize,
        /// Frames queued when the frame arrived (now dropped).
        queued_frames: usize,
        /// The length of the refused frame.
        frame_len: usize,
    },
    /// The outbox was already closed; the frame was dropped.
    #[error("outbox closed")]
    Closed,
}

/// A session's bounded queue of encoded frames; see the [module docs](self) for the policy.
///
/// ```
/// use bytes::Bytes;
/// use chio_server::outbox::{Outbox, OutboxLimits, PushError};
///
/// let outbox = Outbox::new(OutboxLimits { max_bytes: 10, max_frames: 100 });
/// outbox.push(Bytes::from_static(b"abcdef")).unwrap();
/// assert_eq!(outbox.queued_bytes(), 6);
///
/// // Another six bytes would make twelve: the outbox closes instead.
/// assert!(matches!(outbox.push(Bytes::from_static(b"ghijkl")), Err(PushError::Overflow { .. })));
/// assert!(outbox.is_closed());
/// assert_eq!(outbox.queued_bytes(), 0);
/// assert_eq!(outbox.push(Bytes::from_static(b"x")), Err(PushError::Closed));
/// ```
#[derive(Clone)]
pub struct Outbox {
    shared: Arc<Shared>,
}

struct Shared {
    limits: OutboxLimits,
    state: Mutex<State>,
    /// Woken on every push and on close; waiters register before they look at `state`.
    changed: Notify,
}

#[derive(Default)]
struct State {
    frames: VecDeque<Bytes>,
    bytes: usize,
    closed: Option<CloseReason>,
}

impl Outbox {
    /// An empty, open outbox with these limits.
    pub fn new(limits: OutboxLimits) -> Self {
        Self { shared: Arc::new(Shared { limits, state: Mutex::default(), changed: Notify::new() }) }
    }

    /// The limits this outbox enforces.
    pub fn limits(&self) -> OutboxLimits {
        self.shared.limits
    }

    /// Queues one whole frame, or closes the outbox if it does not fit (see the
    /// [module docs](self)). Never waits. An empty frame is accepted and not queued.
    pub fn push(&self, frame: Bytes) -> Result<(), PushError> {
        let mut state = self.lock();
        if state.closed.is_some() {
            return Err(PushError::Closed);
        }
        if frame.is_empty() {
            return Ok(());
        }
        let limits = self.shared.limits;
        let fits = state.bytes.checked_add(frame.len()).is_some_and(|total| total <= limits.max_bytes)
            && state.frames.len() < limits.max_frames;
        if !fits {
            let error = PushError::Overflow {
                queued_bytes: state.bytes,
                queued_frames: state.frames.len(),
                frame_len: frame.len(),
            };
            state.closed = Some(CloseReason::Overflow);
            // Free the memory now: the session is going away and nobody will read it.
            state.frames = VecDeque::new();
            state.bytes = 0;
            drop(state);
            self.shared.changed.notify_waiters();
            return Err(error);
        }
        state.bytes += frame.len();
        state.frames.push_back(frame);
        drop(state);
        self.shared.changed.notify_waiters();
        Ok(())
    }

    /// Waits until a frame is queued or the outbox is closed, then takes whole frames
    /// from the front while they fit in `max_bytes`, and always at least one (a frame
    /// larger than `max_bytes` comes alone).
    ///
    /// `None` when the outbox is closed and nothing is queued: the writer is done. After
    /// [`close`](Self::close) the frames queued before it still come out first; after an
    /// overflow nothing does.
    ///
    /// Meant for the one writer task of a connection; several concurrent callers each
    /// get distinct frames, in no promised order between them.
    pub async fn next_batch(&self, max_bytes: usize) -> Option<Vec<Bytes>> {
        loop {
            // Register before looking, so a push between the look and the wait wakes us.
            let changed = self.shared.changed.notified();
            let mut changed = std::pin::pin!(changed);
            changed.as_mut().enable();
            {
                let mut state = self.lock();
                if !state.frames.is_empty() {
                    return Some(take(&mut state, |taken, next| taken + next <= max_bytes));
                }
                if state.closed.is_some() {
                    return None;
                }
            }
            changed.await;
        }
    }

    /// Takes whole frames from the front while the total taken is below `soft_cap`,
    /// without waiting; the last frame may take the total past the cap. Empty when
    /// nothing is queued (closed or not). Use [`POLL_SOFT_CAP`] for an HTTP poll.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use chio_server::outbox::Outbox;
    ///
    /// let outbox = Outbox::default();
    /// for frame in [&b"0123456789"[..], b"0123456789", b"0123456789"] {
    ///     outbox.push(Bytes::copy_from_slice(frame)).unwrap();
    /// }
    /// // 10 < 15, so the second frame is added too (20 bytes); 20 ≥ 15 stops.
    /// assert_eq!(outbox.drain_up_to(15).len(), 2);
    /// assert_eq!(outbox.drain_up_to(15).len(), 1);
    /// assert!(outbox.drain_up_to(15).is_empty());
    /// ```
    pub fn drain_up_to(&self, soft_cap: usize) -> Vec<Bytes> {
        let mut state = self.lock();
        if state.frames.is_empty() {
            return Vec::new();
        }
        take(&mut state, |taken, _| taken < soft_cap)
    }

    /// Closes the outbox: later pushes are dropped, waiting writers wake, and what is
    /// queued can still be taken. Closing a closed outbox changes nothing (an overflow
    /// stays the reason).
    pub fn close(&self) {
        let mut state = self.lock();
        if state.closed.is_none() {
            state.closed = Some(CloseReason::Closed);
        }
        drop(state);
        self.shared.changed.notify_waiters();
    }

    /// Whether the outbox is closed (by [`close`](Self::close) or by an overflow).
    pub fn is_closed(&self) -> bool {
        self.lock().closed.is_some()
    }

    /// Why the outbox is closed; `None` while open.
    pub fn close_reason(&self) -> Option<CloseReason> {
        self.lock().closed
    }

    /// Bytes of frames queued.
    pub fn queued_bytes(&self) -> usize {
        self.lock().bytes
    }

    /// Frames queued.
    pub fn queued_frames(&self) -> usize {
        self.lock().frames.len()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is consistent after every statement that can panic (none do while
        // the lock is held), so a poisoned lock is still usable.
        self.shared.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Default for Outbox {
    /// An outbox with [`OutboxLimits::DEFAULT`].
    fn default() -> Self {
        Self::new(OutboxLimits::DEFAULT)
    }
}

impl fmt::Debug for Outbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Outbox")
            .field("queued_frames", &state.frames.len())
            .field("queued_bytes", &state.bytes)
            .field("closed", &state.closed)
            .field("limits", &self.shared.limits)
            .finish()
    }
}

/// Slots an emptied queue keeps. A login burst grows the queue to thousands of frames
/// (every online user's presence); an idle session should not keep that room.
const IDLE_SLOTS: usize = 16;

/// Takes the first frame, then more while `more(taken_bytes, next_len)` holds.
fn take(state: &mut State, more: impl Fn(usize, usize) -> bool) -> Vec<Bytes> {
    let mut batch = Vec::new();
    let mut taken = 0;
    while let Some(next) = state.frames.front() {
        if !batch.is_empty() && !more(taken, next.len()) {
            break;
        }
        let frame = state.frames.pop_front().expect("front exists");
        taken += frame.len();
        batch.push(frame);
    }
    state.bytes -= taken;
    if state.frames.is_empty() && state.frames.capacity() > IDLE_SLOTS {
        state.frames.shrink_to(IDLE_SLOTS);
    }
    batch
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn frame(len: usize, fill: u8) -> Bytes {
        Bytes::from(vec![fill; len])
    }

    fn lens(batch: &[Bytes]) -> Vec<usize> {
        batch.iter().map(Bytes::len).collect()
    }

    #[test]
    fn frames_come_out_whole_and_in_order() {
        let outbox = Outbox::default();
        for (i, len) in [3, 5, 7, 11].into_iter().enumerate() {
            outbox.push(frame(len, i as u8)).unwrap();
        }
        assert_eq!(outbox.queued_bytes(), 26);
        assert_eq!(outbox.queued_frames(), 4);
        let first = outbox.drain_up_to(8);
        assert_eq!(lens(&first), [3, 5]);
        assert_eq!(first[1], frame(5, 1));
        let rest = outbox.drain_up_to(usize::MAX);
        assert_eq!(lens(&rest), [7, 11]);
        assert_eq!(rest[1], frame(11, 3));
        assert_eq!(outbox.queued_bytes(), 0);
    }

    #[test]
    fn poll_cap_is_soft_and_never_splits() {
        let outbox = Outbox::default();
        // 20 KiB + 20 KiB: the first is below 32 KiB, so the second is added (40 KiB).
        for _ in 0..3 {
            outbox.push(frame(20 * 1024, 0)).unwrap();
        }
        assert_eq!(lens(&outbox.drain_up_to(POLL_SOFT_CAP)), [20 * 1024, 20 * 1024]);
        // One frame larger than the cap comes whole.
        outbox.push(frame(100 * 1024, 1)).unwrap();
        assert_eq!(lens(&outbox.drain_up_to(POLL_SOFT_CAP)), [20 * 1024, 100 * 1024]);
        assert!(outbox.drain_up_to(POLL_SOFT_CAP).is_empty());
    }

    #[test]
    fn a_drained_queue_gives_back_the_room_of_a_burst() {
        let outbox = Outbox::default();
        for _ in 0..5_000 {
            outbox.push(frame(8, 1)).unwrap();
        }
        assert!(outbox.lock().frames.capacity() >= 5_000);
        // Taken in two steps: the room stays while frames are left, and goes with the last.
        assert_eq!(outbox.drain_up_to(8 * 4_000).len(), 4_000);
        assert!(outbox.lock().frames.capacity() >= 1_000);
        assert_eq!(outbox.drain_up_to(POLL_SOFT_CAP).len(), 1_000);
        assert!(outbox.lock().frames.capacity() <= IDLE_SLOTS);
        // And it still queues after shrinking.
        outbox.push(frame(8, 2)).unwrap();
        assert_eq!(outbox.queued_frames(), 1);
    }

    #[test]
    fn empty_frames_are_not_queued() {
        let outbox = Outbox::default();
        outbox.push(Bytes::new()).unwrap();
        assert_eq!(outbox.queued_frames(), 0);
    }

    #[test]
    fn a_never_read_outbox_closes_at_its_bound_without_growing_past_it() {
        let limits = OutboxLimits { max_bytes: 64 * 1024, max_frames: 1_000_000 };
        let outbox = Outbox::new(limits);
        let mut pushed = 0usize;
        let error = loop {
            match outbox.push(frame(1000, 7)) {
                Ok(()) => {
                    pushed += 1;
                    assert!(outbox.queued_bytes() <= limits.max_bytes);
                }
                Err(error) => break error,
            }
            assert!(pushed < 1000, "never closed");
        };
        // 65 frames of 1000 bytes fit in 65,536; the 66th does not.
        assert_eq!(pushed, 65);
        assert_eq!(error, PushError::Overflow { queued_bytes: 65_000, queued_frames: 65, frame_len: 1000 });
        assert_eq!(outbox.close_reason(), Some(CloseReason::Overflow));
        assert_eq!((outbox.queued_bytes(), outbox.queued_frames()), (0, 0));
        // Pushes after the close are dropped, and nothing comes out any more.
        for _ in 0..100 {
            assert_eq!(outbox.push(frame(1, 0)), Err(PushError::Closed));
        }
        assert_eq!(outbox.queued_bytes(), 0);
        assert!(outbox.drain_up_to(usize::MAX).is_empty());
        // A later close keeps the overflow as the reason.
        outbox.close();
        assert_eq!(outbox.close_reason(), Some(CloseReason::Overflow));
    }

    #[test]
    fn the_frame_count_is_bounded_too() {
        let outbox = Outbox::new(OutboxLimits { max_bytes: usize::MAX, max_frames: 3 });
        for _ in 0..3 {
            outbox.push(frame(1, 0)).unwrap();
        }
        assert_eq!(
            outbox.push(frame(1, 0)),
            Err(PushError::Overflow { queued_bytes: 3, queued_frames: 3, frame_len: 1 })
        );
        assert!(outbox.is_closed());
    }

    #[test]
    fn a_frame_larger_than_the_bound_closes_at_once() {
        let outbox = Outbox::new(OutboxLimits { max_bytes: 100, max_frames: 10 });
        assert!(matches!(outbox.push(frame(101, 0)), Err(PushError::Overflow { frame_len: 101, .. })));
        assert!(outbox.is_closed());
    }

    #[test]
    fn close_keeps_what_is_queued() {
        let outbox = Outbox::default();
        outbox.push(frame(4, 1)).unwrap();
        outbox.close();
        assert_eq!(outbox.push(frame(4, 2)), Err(PushError::Closed));
        assert_eq!(outbox.close_reason(), Some(CloseReason::Closed));
        assert_eq!(outbox.drain_up_to(POLL_SOFT_CAP), [frame(4, 1)]);
    }

    #[test]
    fn clones_share_the_queue() {
        let outbox = Outbox::default();
        let handle = outbox.clone();
        handle.push(frame(2, 9)).unwrap();
        assert_eq!(outbox.queued_bytes(), 2);
        outbox.close();
        assert!(handle.is_closed());
    }

    #[tokio::test]
    async fn next_batch_takes_what_fits_and_at_least_one() {
        let outbox = Outbox::default();
        for len in [10, 10, 10, 50, 10] {
            outbox.push(frame(len, 0)).unwrap();
        }
        assert_eq!(lens(&outbox.next_batch(25).await.unwrap()), [10, 10]);
        assert_eq!(lens(&outbox.next_batch(25).await.unwrap()), [10]);
        // Alone and over the budget: still taken, whole.
        assert_eq!(lens(&outbox.next_batch(25).await.unwrap()), [50]);
        outbox.close();
        // Queued before the close: still delivered, then the end.
        assert_eq!(lens(&outbox.next_batch(25).await.unwrap()), [10]);
        assert_eq!(outbox.next_batch(25).await, None);
    }

    /// A TCP-writer-style consumer: sleeps while the outbox is empty, wakes for each push,
    /// writes whole frames, and ends when the outbox closes.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_writer_task_wakes_for_frames_and_ends_on_close() {
        let outbox = Outbox::default();
        let (batches_tx, mut batches_rx) = tokio::sync::mpsc::channel::<Vec<Bytes>>(16);
        let writer = tokio::spawn({
            let outbox = outbox.clone();
            async move {
                let mut written = Vec::new();
                while let Some(batch) = outbox.next_batch(64 * 1024).await {
                    written.extend(batch.iter().flat_map(|frame| frame.iter().copied()));
                    batches_tx.send(batch).await.unwrap();
                }
                written
            }
        });

        // Nothing queued: the writer waits.
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(batches_rx.try_recv().is_err());
        assert!(!writer.is_finished());

        let mut expected = Vec::new();
        for round in 0..50u8 {
            let frame = frame(usize::from(round) + 1, round);
            expected.extend_from_slice(&frame);
            outbox.push(frame.clone()).unwrap();
            // Each push wakes the writer, which takes that frame.
            let batch = tokio::time::timeout(Duration::from_secs(5), batches_rx.recv())
                .await
                .expect("the writer woke")
                .unwrap();
            assert_eq!(batch, [frame]);
        }
        // Frames pushed just before the close still come out, before the end.
        outbox.push(frame(3, 0xaa)).unwrap();
        outbox.push(frame(4, 0xbb)).unwrap();
        expected.extend_from_slice(&[0xaa; 3]);
        expected.extend_from_slice(&[0xbb; 4]);
        outbox.close();
        let written =
            tokio::time::timeout(Duration::from_secs(5), writer).await.expect("the writer ended").unwrap();
        assert_eq!(written, expected);
    }

    #[tokio::test]
    async fn a_waiting_writer_ends_on_overflow() {
        let outbox = Outbox::new(OutboxLimits { max_bytes: 4, max_frames: 10 });
        let writer = tokio::spawn({
            let outbox = outbox.clone();
            async move { outbox.next_batch(1024).await }
        });
        tokio::task::yield_now().await;
        assert!(outbox.push(frame(5, 0)).is_err());
        let batch = tokio::time::timeout(Duration::from_secs(5), writer).await.unwrap().unwrap();
        assert_eq!(batch, None);
    }
}
