//! Gzip members (RFC 1952) for the compressed payloads of builds before b1800, written at
//! a chosen [`GzipLevel`] by a [`Gzip`] that keeps its deflate state between payloads.
//!
//! Every level writes a valid gzip member, which any inflater reads (the game's, the
//! reference's `gzip.decompress`, zlib's): [`GzipLevel::Stored`] only skips the
//! compression, writing the payload in deflate's stored blocks.

use std::io::Read as _;

use crate::error::{DecodeErrorKind, LimitKind};

/// How hard payloads are deflated.
///
/// Measured on the login burst of b282 and b1797 (BENCHMARKS.md, "The gzip eras"): the
/// payloads of those eras are small, and deflate gains little on them while costing
/// microseconds each, so the default stores.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum GzipLevel {
    /// No compression: the payload in stored deflate blocks, with the gzip header, CRC-32
    /// and size around it. The fastest by far, and on small payloads about as small as
    /// the others (deflate's block overhead eats what it saves).
    #[default]
    Stored,
    /// Deflate level 1.
    Fast,
    /// Deflate level 6 (zlib's default; chio-rs's before the levels existed).
    Balanced,
    /// Deflate level 9: what the reference writes (Python's `gzip.compress`).
    Best,
}

impl GzipLevel {
    /// Every level, fastest first.
    pub const ALL: [Self; 4] = [Self::Stored, Self::Fast, Self::Balanced, Self::Best];

    /// The level's name, as the CLI and the benchmarks spell it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Stored => "stored",
            Self::Fast => "fast",
            Self::Balanced => "balanced",
            Self::Best => "best",
        }
    }

    /// The level named `name` ([`name`](Self::name)'s spelling).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|level| level.name() == name)
    }

    fn deflate_level(self) -> u32 {
        match self {
            Self::Stored => 0,
            Self::Fast => 1,
            Self::Balanced => 6,
            Self::Best => 9,
        }
    }
}

/// The fixed gzip header: magic, deflate, no flags, no time, no extra flags, unknown OS.
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
/// The longest stored block.
const STORED_BLOCK: usize = u16::MAX as usize;

/// A gzip writer at one [`GzipLevel`] that keeps its deflate state from one payload to the
/// next (a fresh deflate state costs more to set up than a small payload to compress).
///
/// It allocates nothing until a deflating level is first used.
#[derive(Debug, Default)]
pub struct Gzip {
    level: GzipLevel,
    deflate: Option<flate2::Compress>,
}

impl Gzip {
    /// A writer at `level`.
    pub const fn new(level: GzipLevel) -> Self {
        Self { level, deflate: None }
    }

    /// The level it writes at.
    pub const fn level(&self) -> GzipLevel {
        self.level
    }

    /// The size of the gzip member of a `len`-byte payload at [`GzipLevel::Stored`].
    pub const fn stored_len(len: usize) -> usize {
        let blocks = if len == 0 { 1 } else { len.div_ceil(STORED_BLOCK) };
        HEADER.len() + blocks * 5 + len + 8
    }

    /// Appends the gzip member of `payload` to `out`.
    pub fn compress(&mut self, payload: &[u8], out: &mut Vec<u8>) {
        if self.level == GzipLevel::Stored {
            put_stored(payload, out);
            return;
        }
        let level = flate2::Compression::new(self.level.deflate_level());
        let deflate = self.deflate.get_or_insert_with(|| flate2::Compress::new(level, false));
        deflate.reset();
        out.extend_from_slice(&HEADER);
        // Deflate's worst case is a little over the stored size; grow and go on if a
        // payload needs more.
        out.reserve(payload.len() + payload.len() / 16 + 64);
        let start = out.len() - HEADER.len();
        let first_in = deflate.total_in();
        loop {
            let consumed = (deflate.total_in() - first_in) as usize;
            let (before_in, before_out) = (deflate.total_in(), deflate.total_out());
            let status = deflate.compress_vec(&payload[consumed..], out, flate2::FlushCompress::Finish);
            let stalled = deflate.total_in() == before_in && deflate.total_out() == before_out;
            match status {
                Ok(flate2::Status::StreamEnd) => break,
                // Out of room: more room, unless there was room and nothing moved.
                Ok(_) if !(stalled && out.len() < out.capacity()) => out.reserve(out.capacity().max(64)),
                // Raw deflate of in-memory bytes has no failure mode and always progresses
                // with room; should it not, the payload goes out stored (a valid member).
                _ => {
                    out.truncate(start);
                    put_stored(payload, out);
                    return;
                }
            }
        }
        put_trailer(payload, out);
    }
}

/// Appends `payload`'s gzip member made of stored deflate blocks.
fn put_stored(payload: &[u8], out: &mut Vec<u8>) {
    out.reserve(Gzip::stored_len(payload.len()));
    out.extend_from_slice(&HEADER);
    let mut blocks = payload.chunks(STORED_BLOCK).peekable();
    if blocks.peek().is_none() {
        // An empty payload is one empty final block.
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        let last = u8::from(blocks.peek().is_none());
        // At most `STORED_BLOCK` bytes: the length fits a `u16`.
        let [l0, l1] = (block.len() as u16).to_le_bytes();
        out.extend_from_slice(&[last, l0, l1, !l0, !l1]);
        out.extend_from_slice(block);
    }
    put_trailer(payload, out);
}

/// Appends the CRC-32 and size (modulo 2³²) of `payload`.
fn put_trailer(payload: &[u8], out: &mut Vec<u8>) {
    let crc = crc32fast::hash(payload);
    // ISIZE is the size modulo 2^32 by definition.
    #[allow(clippy::cast_possible_truncation)]
    let size = payload.len() as u32;
    let [c0, c1, c2, c3] = crc.to_le_bytes();
    let [s0, s1, s2, s3] = size.to_le_bytes();
    out.extend_from_slice(&[c0, c1, c2, c3, s0, s1, s2, s3]);
}

/// Gzip-compresses a payload at [`GzipLevel::Balanced`] (a fresh writer each call; a
/// [`Gzip`] kept between payloads is faster).
pub fn gzip(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() / 2 + 32);
    Gzip::new(GzipLevel::Balanced).compress(payload, &mut out);
    out
}

/// Inflates a gzip payload, refusing to produce more than `limit` bytes.
///
/// The output grows only as data inflates, so a small bomb cannot make it allocate more
/// than `limit` (plus one read buffer) before it is stopped.
pub fn gunzip(compressed: &[u8], limit: u32) -> Result<Vec<u8>, DecodeErrorKind> {
    let mut out = Vec::with_capacity(compressed.len().saturating_mul(2).min(limit as usize));
    let mut decoder = flate2::read::GzDecoder::new(compressed).take(u64::from(limit) + 1);
    decoder.read_to_end(&mut out).map_err(|e| DecodeErrorKind::Decompress(e.to_string()))?;
    if out.len() > limit as usize {
        return Err(DecodeErrorKind::LimitExceeded {
            kind: LimitKind::DecompressedSize,
            value: out.len() as u64,
            limit: u64::from(limit),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(level: GzipLevel, payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        Gzip::new(level).compress(payload, &mut out);
        out
    }

    #[test]
    fn every_level_writes_gzip_that_flate2_reads_back() {
        let text = b"bancho ".repeat(30);
        let noise: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        for level in GzipLevel::ALL {
            let mut gzip = Gzip::new(level);
            // The same writer, payload after payload: its state is reset between them.
            for payload in [&b""[..], b"a", &text, &noise, &text] {
                let mut out = vec![0xAA];
                gzip.compress(payload, &mut out);
                assert_eq!(out[0], 0xAA, "appends");
                let mut inflated = Vec::new();
                flate2::read::GzDecoder::new(&out[1..]).read_to_end(&mut inflated).unwrap();
                assert_eq!(inflated, payload, "{level:?}, {} bytes", payload.len());
                assert_eq!(gunzip(&out[1..], 1 << 20).unwrap(), payload);
            }
        }
    }

    #[test]
    fn stored_members_have_the_stated_size_and_layout() {
        for len in [0, 1, 100, STORED_BLOCK - 1, STORED_BLOCK, STORED_BLOCK + 1, 3 * STORED_BLOCK + 7] {
            let payload: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let out = member(GzipLevel::Stored, &payload);
            assert_eq!(out.len(), Gzip::stored_len(len), "{len}");
            assert_eq!(out[..10], HEADER);
            // The first block header: final iff the payload fits one block.
            assert_eq!(out[10], u8::from(len <= STORED_BLOCK));
            assert_eq!(out[out.len() - 4..], (len as u32).to_le_bytes());
        }
        assert_eq!(
            member(GzipLevel::Stored, b"hi"),
            [
                0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, // header
                1, 2, 0, 0xfd, 0xff, b'h', b'i', // one final stored block
                0xac, 0x2a, 0x93, 0xd8, 2, 0, 0, 0, // CRC-32 of "hi", size
            ]
        );
    }

    #[test]
    fn deflating_levels_shrink_repetitive_payloads() {
        let text = b"bancho ".repeat(100);
        let stored = member(GzipLevel::Stored, &text).len();
        let fast = member(GzipLevel::Fast, &text).len();
        let best = member(GzipLevel::Best, &text).len();
        assert!(best <= fast && fast < stored / 4, "{stored} {fast} {best}");
    }

    #[test]
    fn levels_by_name() {
        for level in GzipLevel::ALL {
            assert_eq!(GzipLevel::from_name(level.name()), Some(level));
        }
        assert_eq!(GzipLevel::from_name("zstd"), None);
        assert_eq!(GzipLevel::default(), GzipLevel::Stored);
    }

    #[test]
    fn gunzip_is_capped() {
        let payload = b"bancho ".repeat(100);
        let packed = gzip(&payload);
        assert_eq!(gunzip(&packed, 700).unwrap(), payload);
        assert!(matches!(
            gunzip(&packed, 699),
            Err(DecodeErrorKind::LimitExceeded { kind: LimitKind::DecompressedSize, limit: 699, .. })
        ));
        // 16 MiB of zeros packs into a few KiB; the cap stops it at 1 MiB + 1.
        let bomb = gzip(&vec![0u8; 16 << 20]);
        assert!(bomb.len() < 64 << 10);
        assert!(matches!(gunzip(&bomb, 1 << 20), Err(DecodeErrorKind::LimitExceeded { .. })));
        assert!(matches!(gunzip(b"not gzip", 100), Err(DecodeErrorKind::Decompress(_))));
        assert_eq!(gunzip(&gzip(b""), 0).unwrap(), b"");
    }
}
