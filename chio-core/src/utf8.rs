//! Validation of text that is not all ASCII (the part of a string after its ASCII
//! prefix): short text through a finite automaton of one table load and one shift per
//! byte, longer text through `simdutf8`.
//!
//! `core::str::from_utf8` branches on the length of every character. Chat lines that mix
//! ASCII words with accented or CJK ones change length every few bytes, so those branches
//! mispredict: such lines cost as much to validate as the rest of their packets to decode
//! (see BENCHMARKS.md). The automaton moves on by a table row per byte whose bits hold,
//! for every state, the next one (a "shift DFA"), so the only dependency from byte to
//! byte is one shift: about a cycle a byte. From [`SIMD_FROM`] bytes on, `simdutf8`
//! checks 64 bytes at a time (below that length it calls `core` itself).
//!
//! Both answer only valid or not; the caller asks `core::str::from_utf8` for the error
//! and its position, which only invalid input needs.

/// The length from which `simdutf8` is faster than the automaton.
const SIMD_FROM: usize = 64;

/// The automaton's states, as the bit offsets of their next states in a table row. Every
/// state fits in 6 bits, so a shift by the state needs no mask: `u64::wrapping_shr` (and
/// the x86 shift) use the low 6 bits of the amount, and the bits above a row's state
/// are ignored.
mod state {
    /// Between characters: the only accepting state.
    pub(super) const ACCEPT: u32 = 0;
    /// Invalid input was seen; never left.
    pub(super) const REJECT: u32 = 6;
    /// One continuation byte (80–BF) to go.
    pub(super) const TAIL1: u32 = 12;
    /// Two to go.
    pub(super) const TAIL2: u32 = 18;
    /// Three to go.
    pub(super) const TAIL3: u32 = 24;
    /// After E0: A0–BF next (no overlong three-byte forms).
    pub(super) const E0: u32 = 30;
    /// After ED: 80–9F next (no surrogates).
    pub(super) const ED: u32 = 36;
    /// After F0: 90–BF next (no overlong four-byte forms).
    pub(super) const F0: u32 = 42;
    /// After F4: 80–8F next (nothing above U+10FFFF).
    pub(super) const F4: u32 = 48;
}

/// The next state after byte `byte` in state `from`, as RFC 3629 defines UTF-8.
const fn next(from: u32, byte: u8) -> u32 {
    use state::*;
    let continuation = matches!(byte, 0x80..=0xbf);
    match from {
        ACCEPT => match byte {
            0x00..=0x7f => ACCEPT,
            0xc2..=0xdf => TAIL1,
            0xe0 => E0,
            0xe1..=0xec | 0xee..=0xef => TAIL2,
            0xed => ED,
            0xf0 => F0,
            0xf1..=0xf3 => TAIL3,
            0xf4 => F4,
            _ => REJECT,
        },
        TAIL1 if continuation => ACCEPT,
        TAIL2 if continuation => TAIL1,
        TAIL3 if continuation => TAIL2,
        E0 if matches!(byte, 0xa0..=0xbf) => TAIL1,
        ED if matches!(byte, 0x80..=0x9f) => TAIL1,
        F0 if matches!(byte, 0x90..=0xbf) => TAIL2,
        F4 if matches!(byte, 0x80..=0x8f) => TAIL2,
        _ => REJECT,
    }
}

/// For each byte, the next state of every state, at the state's bit offset.
static TABLE: [u64; 256] = {
    const STATES: [u32; 9] = [
        state::ACCEPT,
        state::REJECT,
        state::TAIL1,
        state::TAIL2,
        state::TAIL3,
        state::E0,
        state::ED,
        state::F0,
        state::F4,
    ];
    let mut table = [0; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut row = 0u64;
        let mut i = 0;
        while i < STATES.len() {
            row |= (next(STATES[i], byte as u8) as u64) << STATES[i];
            i += 1;
        }
        table[byte] = row;
        byte += 1;
    }
    table
};

/// Whether `bytes` is valid UTF-8.
#[inline]
pub(crate) fn is_valid(bytes: &[u8]) -> bool {
    if bytes.len() >= SIMD_FROM {
        simdutf8::basic::from_utf8(bytes).is_ok()
    } else {
        automaton_accepts(bytes)
    }
}

/// Whether the automaton accepts `bytes`: [`is_valid`] for text of any length.
#[inline]
fn automaton_accepts(bytes: &[u8]) -> bool {
    let mut at = 0u64;
    for &byte in bytes {
        at = TABLE[usize::from(byte)].wrapping_shr(at as u32);
    }
    at as u32 % 64 == state::ACCEPT
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every sequence of up to three bytes, and every four-byte sequence whose bytes are
    /// all at a boundary of some rule (the lead bytes F0–F4 and their neighbours, the
    /// continuation bytes' ends): the automaton agrees with `core`.
    #[test]
    fn agrees_with_core_on_every_short_sequence() {
        for a in 0..=255u8 {
            assert_eq!(automaton_accepts(&[a]), core::str::from_utf8(&[a]).is_ok(), "{a:#x}");
            for b in 0..=255u8 {
                let two = [a, b];
                assert_eq!(automaton_accepts(&two), core::str::from_utf8(&two).is_ok(), "{two:x?}");
                for c in 0..=255u8 {
                    let three = [a, b, c];
                    assert_eq!(automaton_accepts(&three), core::str::from_utf8(&three).is_ok(), "{three:x?}");
                }
            }
        }
        let edges =
            [0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef];
        for a in 0xef..=0xf5u8 {
            for b in edges {
                for c in edges {
                    for d in edges {
                        let four = [a, b, c, d];
                        assert_eq!(
                            automaton_accepts(&four),
                            core::str::from_utf8(&four).is_ok(),
                            "{four:x?}"
                        );
                    }
                }
            }
        }
    }

    proptest::proptest! {
        /// Text that mixes characters of every length, short and past `SIMD_FROM`, with
        /// one byte changed or cut: both validators agree with `core`.
        #[test]
        fn agrees_with_core_on_mixed_text(
            text in "[a-z ü€語😀]{0,60}",
            at in 0usize..200,
            byte in proptest::prelude::any::<u8>(),
            cut in 0usize..200,
        ) {
            let mut bytes = text.into_bytes();
            proptest::prop_assert!(is_valid(&bytes) && automaton_accepts(&bytes));
            if !bytes.is_empty() {
                let at = at % bytes.len();
                bytes[at] = byte;
                bytes.truncate(cut.max(at + 1));
            }
            let valid = core::str::from_utf8(&bytes).is_ok();
            proptest::prop_assert_eq!(is_valid(&bytes), valid, "{:x?}", bytes);
            proptest::prop_assert_eq!(automaton_accepts(&bytes), valid, "{:x?}", bytes);
        }
    }
}
