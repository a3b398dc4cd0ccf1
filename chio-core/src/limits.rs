//! Every cap on what input may make a decoder accept or allocate, in one place.
//!
//! Readers take their caps from a [`Limits`] value given with `with_limits`; nothing
//! else in the library holds a cap. Which frames get the larger client cap is the packet
//! definitions' business (`#[bancho(large)]` on the packet), not a list kept here.

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
