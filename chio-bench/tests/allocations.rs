//! Heap allocations of the benchmark workloads, counted exactly by a counting global
//! allocator (this test binary only).
//!
//! - Encoding into a reused buffer: no allocation at all, for any packet; nor writing the
//!   same packets from their `ServerEvent`s; nor, once a connection's encoder has grown
//!   its buffers and deflate state, writing the gzip eras at any level; nor, once the frame
//!   writer's own buffer has grown, writing into a buffer that offers its room in pieces
//!   too small for a frame.
//! - Borrowed decoding (the packets' strings are `Cow<'_, str>` borrowed from the input,
//!   which is how every packet decodes): no allocation, except one per non-empty list
//!   (a `Vec` is the list itself: the replay frames of a spectator bundle, a match's slots).
//! - Owned decoding (detaching a decoded value from its input, `Match::into_owned`, or
//!   decoding into `String`): one allocation per non-empty string, on top of the lists.
//! - The streaming decoder (`FrameDecoder::feed`): no allocation once its buffer for frames
//!   that straddle two pieces has grown to the largest such frame.
//!
//! Counts are per thread (each test counts only its own thread's allocations), so the
//! tests can run in parallel.

use std::alloc::{GlobalAlloc, Layout, System};
use std::borrow::Cow;
use std::cell::Cell;

use chio_bench::drive;
use chio_bench::workloads::{self, MODERN_BUILD, ctx};
use chio_packets::catalog::{ClientPacket, ServerPacket};
use chio_packets::frame::{FrameWriter, GzipLevel};
use chio_packets::multiplayer::{Match, MatchSlot, SlotStatus, SlotTeam};
use chio_packets::types::Mods;
use chio_packets::wire::FrameFeeder;
use chio_packets::{BytesMut, PacketDecoder};
use chio_packets::{Decode, Encode};
use chio_packets::{FromClient, FromServer, PacketEncoder};

thread_local! {
    /// Allocations (and reallocations) made by this thread while counting is on.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    /// Deallocations made by this thread while counting is on.
    static FREES: Cell<u64> = const { Cell::new(0) };
    /// Whether this thread is counting.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

/// The system allocator, counting the allocations of threads that asked for it.
struct Counting;

fn count() {
    // `try_with`: a thread being torn down has no thread-locals left; it is not counting.
    let _ = COUNTING.try_with(|counting| {
        if counting.get() {
            let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        }
    });
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so the
// `GlobalAlloc` contract holds exactly as it does for `System`; the counting itself only
// touches `const`-initialised thread-locals of `Cell`s, which never allocate.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded unchanged; the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: forwarded unchanged; `ptr` was allocated by `System` through this wrapper.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let _ = COUNTING.try_with(|counting| {
            if counting.get() {
                let _ = FREES.try_with(|n| n.set(n.get() + 1));
            }
        });
        // SAFETY: forwarded unchanged; `ptr` was allocated by `System` through this wrapper.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The allocations `run` makes on this thread.
fn allocations<T>(run: impl FnOnce() -> T) -> (u64, T) {
    ALLOCATIONS.with(|n| n.set(0));
    COUNTING.with(|c| c.set(true));
    let value = run();
    COUNTING.with(|c| c.set(false));
    (ALLOCATIONS.with(Cell::get), value)
}

/// The allocations and deallocations `run` makes on this thread.
fn allocations_and_frees<T>(run: impl FnOnce() -> T) -> (u64, u64, T) {
    FREES.with(|n| n.set(0));
    let (allocated, value) = allocations(run);
    (allocated, FREES.with(Cell::get), value)
}

#[test]
fn the_counter_counts() {
    let (n, v) = allocations(|| vec![1u8; 3]);
    assert_eq!((n, v.len()), (1, 3));
    let (n, ()) = allocations(|| {});
    assert_eq!(n, 0);
}

#[test]
fn encoding_into_a_reused_buffer_allocates_nothing() {
    let ctx = ctx(MODERN_BUILD);
    let events = workloads::login_events();
    let server = workloads::login_burst(&events, ctx);
    let client = workloads::client_upload();
    let mut buf = Vec::new();
    // The first pass grows the buffer; later passes reuse it.
    drive::encode::<FromServer>(&server, &mut PacketEncoder::new(ctx), &mut buf).unwrap();
    drive::encode::<FromClient>(&client, &mut PacketEncoder::new(ctx), &mut buf).unwrap();
    for _ in 0..2 {
        let (n, ()) = allocations(|| {
            buf.clear();
            // A new encoder each pass: making one allocates nothing either.
            drive::encode::<FromServer>(&server, &mut PacketEncoder::new(ctx), &mut buf).unwrap();
            drive::encode::<FromClient>(&client, &mut PacketEncoder::new(ctx), &mut buf).unwrap();
        });
        assert_eq!(n, 0, "{} packets encoded", server.len() + client.len());
    }
}

/// A buffer that offers its room 16 bytes at a time, as a chain of small pieces would:
/// every frame longer than that goes through the frame writer's own buffer.
struct Narrow<'a>(&'a mut Vec<u8>);

// SAFETY: every method forwards to `Vec<u8>`'s own; `chunk_mut` returns a prefix of the
// `Vec`'s chunk, so the bytes `advance_mut` is told are initialised are the `Vec`'s.
#[allow(unsafe_code)]
unsafe impl chio_packets::BufMut for Narrow<'_> {
    fn remaining_mut(&self) -> usize {
        self.0.remaining_mut()
    }

    unsafe fn advance_mut(&mut self, cnt: usize) {
        // SAFETY: the caller's promise about this chunk holds for the `Vec`'s.
        unsafe { self.0.advance_mut(cnt) }
    }

    fn chunk_mut(&mut self) -> &mut bytes::buf::UninitSlice {
        let chunk = self.0.chunk_mut();
        let len = chunk.len().min(16);
        &mut chunk[..len]
    }
}

/// A buffer without room for a frame in one piece costs the writer one buffer of its own,
/// grown on the first pass; after that nothing, and the bytes are the same.
#[test]
fn a_buffer_in_small_pieces_allocates_nothing_once_the_writer_has_grown() {
    let ctx = ctx(MODERN_BUILD);
    let events = workloads::login_events();
    let server = workloads::login_burst(&events, ctx);
    let expected = drive::bytes::<FromServer>(&server, ctx);
    let mut encoder = PacketEncoder::<FromServer>::new(ctx);
    let mut buf = Vec::with_capacity(2 * expected.len());
    encoder.write_all(&server, &mut Narrow(&mut buf)).unwrap();
    assert_eq!(buf, expected);
    let (n, ()) = allocations(|| {
        buf.clear();
        encoder.write_all(&server, &mut Narrow(&mut buf)).unwrap();
    });
    assert_eq!(n, 0, "{} packets encoded", server.len());
    assert_eq!(buf, expected);
}

/// In every era's layouts: the statistics of b282–b1787 format the avatar file name on the
/// stack, and the country comes from the country table.
#[test]
fn writing_from_events_allocates_nothing() {
    let events = workloads::login_events();
    for build in [
        MODERN_BUILD,
        workloads::UNCOMPRESSED_ERA_BUILD,
        workloads::THRESHOLD_ERA_BUILD,
        1000,
        330,
        workloads::GZIP_ERA_BUILD,
    ] {
        let ctx = ctx(build);
        let mut writer = FrameWriter::new();
        let mut buf = Vec::new();
        drive::write_events(&events, ctx, &mut writer, &mut buf).unwrap();
        let (n, ()) = allocations(|| {
            buf.clear();
            drive::write_events(&events, ctx, &mut writer, &mut buf).unwrap();
        });
        assert_eq!(n, 0, "b{build}: {} events written", events.len());
        let mut expected = Vec::new();
        let mut encoder = PacketEncoder::new(ctx);
        drive::encode::<FromServer>(&workloads::login_burst(&events, ctx), &mut encoder, &mut expected)
            .unwrap();
        assert_eq!(buf, expected, "b{build}");
    }
}

#[test]
fn gzip_eras_allocate_nothing_once_the_writer_has_grown() {
    let events = workloads::login_events();
    for build in [workloads::THRESHOLD_ERA_BUILD, workloads::GZIP_ERA_BUILD] {
        let ctx = ctx(build);
        let packets = workloads::login_burst(&events, ctx);
        for level in GzipLevel::ALL {
            // The encoder keeps its buffers and deflate state from the first pass.
            let mut encoder = PacketEncoder::new(ctx).with_gzip_level(level);
            let mut buf = Vec::new();
            drive::encode::<FromServer>(&packets, &mut encoder, &mut buf).unwrap();
            let (n, ()) = allocations(|| {
                buf.clear();
                drive::encode::<FromServer>(&packets, &mut encoder, &mut buf).unwrap();
            });
            assert_eq!(n, 0, "b{build} at {level:?}: {} packets", packets.len());
        }
    }
}

#[test]
fn borrowed_decoding_allocates_only_lists() {
    let ctx = ctx(MODERN_BUILD);
    let events = workloads::login_events();
    let server = workloads::login_burst(&events, ctx);
    let bytes = drive::bytes::<FromServer>(&server, ctx);
    let (n, count) = allocations(|| drive::decode::<FromServer>(&bytes, ctx, |_| {}).unwrap());
    assert_eq!((count, n), (server.len(), 0), "the login burst has no lists");

    let client = workloads::client_upload();
    let bytes = drive::bytes::<FromClient>(&client, ctx);
    let bundles = client.iter().filter(|p| matches!(p, ClientPacket::OsuSpectateFrames(_))).count();
    let (n, count) = allocations(|| drive::decode::<FromClient>(&bytes, ctx, |_| {}).unwrap());
    assert_eq!(count, client.len());
    assert!(bundles > 3_000, "{bundles}");
    assert_eq!(n, bundles as u64, "one per spectator bundle: its list of replay frames");

    // Strings borrow: a decoded message points into the input.
    let mut borrowed = 0;
    drive::decode::<FromServer>(&drive::bytes::<FromServer>(&server, ctx), ctx, |packet| {
        if let ServerPacket::BanchoMessage(message) = packet {
            assert!(matches!(message.0.content, Cow::Borrowed(_)));
            borrowed += 1;
        }
    })
    .unwrap();
    assert_eq!(borrowed, workloads::MESSAGES);
}

/// A lent packet that owns heap memory is dropped, and one that owns none is not: every
/// spectator bundle's list of frames is freed once its packet has been visited, and
/// nothing else is allocated or freed.
#[test]
fn lent_packets_free_what_they_own() {
    let ctx = ctx(MODERN_BUILD);
    let events = workloads::login_events();
    let server = workloads::login_burst(&events, ctx);
    let bytes = drive::bytes::<FromServer>(&server, ctx);
    let (allocated, freed, _) =
        allocations_and_frees(|| drive::decode::<FromServer>(&bytes, ctx, |_| {}).unwrap());
    assert_eq!((allocated, freed), (0, 0));

    let client = workloads::client_upload();
    let bytes = drive::bytes::<FromClient>(&client, ctx);
    let bundles = client.iter().filter(|p| matches!(p, ClientPacket::OsuSpectateFrames(_))).count() as u64;
    let (allocated, freed, _) =
        allocations_and_frees(|| drive::decode::<FromClient>(&bytes, ctx, |_| {}).unwrap());
    assert_eq!((allocated, freed), (bundles, bundles));
}

#[test]
fn streaming_allocates_nothing_once_warm() {
    let ctx = ctx(MODERN_BUILD);
    let events = workloads::login_events();
    let server = workloads::login_burst(&events, ctx);
    let bytes = drive::bytes::<FromServer>(&server, ctx);
    let mut packets = PacketDecoder::<FromServer>::new(ctx);
    let mut feeder = packets.feeder();
    let mut feed = |feeder: &mut FrameFeeder<FromServer>| {
        let mut count = 0;
        for piece in bytes.chunks(workloads::CHUNK) {
            feeder
                .feed(piece, |frame| {
                    packets.decode(&frame)?;
                    count += 1;
                    Ok::<_, chio_packets::DecodeError>(())
                })
                .unwrap();
        }
        count
    };
    // The first pass grows the buffer for frames across pieces (a handful of times).
    let (first, count) = allocations(|| feed(&mut feeder));
    assert_eq!(count, server.len());
    assert!(first > 0 && first < 20, "{first}");
    let (n, count) = allocations(|| feed(&mut feeder));
    assert_eq!((count, n), (server.len(), 0));
    feeder.finish().unwrap();
}

/// The tokio path (`FrameDecoder` batches off a `BytesMut`, then a `PacketDecoder`): the
/// buffer is reused once the batches of the last read are dropped, so nothing is
/// allocated per packet or per read once it has grown.
#[test]
fn batches_off_a_bytes_mut_allocate_nothing_once_warm() {
    let ctx = ctx(MODERN_BUILD);
    let events = workloads::login_events();
    let server = workloads::login_burst(&events, ctx);
    let bytes = drive::bytes::<FromServer>(&server, ctx);
    let mut packets = PacketDecoder::<FromServer>::new(ctx);
    let mut frames = packets.frame_decoder();
    let mut buffer = BytesMut::with_capacity(4 * workloads::CHUNK);
    let mut read = |buffer: &mut BytesMut| {
        let mut count = 0;
        for piece in bytes.chunks(workloads::CHUNK) {
            buffer.extend_from_slice(piece);
            while let Some(batch) = frames.decode(buffer).unwrap() {
                for frame in &batch {
                    packets.decode(&frame.unwrap()).unwrap();
                    count += 1;
                }
            }
        }
        count
    };
    let (first, count) = allocations(|| read(&mut buffer));
    assert_eq!(count, server.len());
    assert!(first < 20, "{first}");
    let (n, count) = allocations(|| read(&mut buffer));
    assert_eq!((count, n), (server.len(), 0));
}

/// A modern match with a password, four players and free mods.
fn a_match() -> Match<'static> {
    let mut slots = vec![MatchSlot::default(); 16];
    for (i, slot) in slots.iter_mut().take(4).enumerate() {
        *slot =
            MatchSlot { status: SlotStatus::NOT_READY, team: SlotTeam::Neutral, user_id: 1000 + i as i32 };
    }
    Match {
        id: 7,
        in_progress: false,
        match_type: Default::default(),
        mods: Mods::empty(),
        name: "friendly 1v1v1v1".into(),
        password: "hunter2".into(),
        beatmap_text: "xi - FREEDOM DiVE [FOUR DIMENSIONS]".into(),
        beatmap_id: 129_891,
        beatmap_checksum: "0f5cb5b3c4f1bb5ab6d1d5d3a6b4f9e2".into(),
        slots,
        host_id: 1000,
        mode: Default::default(),
        scoring_type: Default::default(),
        team_type: Default::default(),
        freemod: true,
        slot_mods: vec![Mods::HIDDEN; 16],
        seed: 42,
    }
}

/// A payload that fails after a list was read frees the list: the decoded fields are
/// held apart from the scope's own drops, and dropped by hand on an error.
#[test]
fn failed_decoding_frees_what_it_allocated() {
    let ctx = ctx(MODERN_BUILD);
    let bytes = a_match().encode_payload(ctx).unwrap();
    let mut after_a_list = 0;
    for cut in 0..bytes.len() {
        let (allocated, freed, failed) =
            allocations_and_frees(|| Match::decode_payload(&bytes[..cut], ctx).is_err());
        assert!(failed, "cut at {cut}");
        assert_eq!(allocated, freed, "cut at {cut}");
        after_a_list += usize::from(allocated > 0);
    }
    // The cuts after the slots (and after the per-slot mods): the drops ran.
    assert!(after_a_list > 20, "{after_a_list} cuts after a list");
}

#[test]
fn owned_decoding_allocates_the_strings_and_lists_themselves() {
    let ctx = ctx(MODERN_BUILD);
    let game = a_match();
    let bytes = game.encode_payload(ctx).unwrap();
    // Borrowed: the two lists (slots, per-slot mods).
    let (n, decoded) = allocations(|| Match::decode_payload(&bytes, ctx).unwrap());
    assert_eq!(n, 2);
    assert_eq!(decoded, game);
    // Owned: plus the four strings.
    let (n, owned) = allocations(|| decoded.into_owned());
    assert_eq!(n, 4);
    assert_eq!(owned, game);
    // A string decoded as `String` is its one allocation; as `Cow` none.
    let text = "Zallius' eyes have awoken".encode_payload(ctx).unwrap();
    let (n, s) = allocations(|| String::decode_payload(&text, ctx).unwrap());
    assert_eq!((n, s.as_str()), (1, "Zallius' eyes have awoken"));
    let (n, s) = allocations(|| <Cow<'_, str>>::decode_payload(&text, ctx).unwrap());
    assert_eq!((n, matches!(s, Cow::Borrowed(_))), (0, true));
}
