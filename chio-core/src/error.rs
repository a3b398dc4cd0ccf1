//! Typed errors for decoding and encoding, each carrying the field path where it arose.
//!
//! Errors are built where a primitive fails and gain path segments as they travel out
//! through the derived code (`slots[3]`, then `user_id`...), so the final message reads
//! like `BanchoMatchUpdate.slots[3].user_id at byte 41: unexpected end of input`.
//! Building the path costs nothing on the success path.

use std::borrow::Cow;
use std::fmt;

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    /// The type at the root of the path (a packet name).
    Type(&'static str),
    /// A named field.
    Field(&'static str),
    /// An element of a list.
    Index(usize),
}

/// Where in a value an error arose: a list of segments from the root down.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldPath {
    /// Segments innermost first: errors gain outer segments as they propagate.
    reversed: Vec<PathSegment>,
}

impl FieldPath {
    /// The segments from the root down.
    pub fn segments(&self) -> impl DoubleEndedIterator<Item = &PathSegment> {
        self.reversed.iter().rev()
    }

    /// Whether the path has no segments.
    pub fn is_empty(&self) -> bool {
        self.reversed.is_empty()
    }

    fn push_outer(&mut self, segment: PathSegment) {
        self.reversed.push(segment);
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for segment in self.segments() {
            match segment {
                PathSegment::Type(name) | PathSegment::Field(name) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                PathSegment::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

/// The path accessors and builders both error types share (their inner value has a `path`).
macro_rules! path_methods {
    () => {
        /// The field path from the root value to the failing one.
        pub fn path(&self) -> &FieldPath {
            &self.0.path
        }

        /// Prefixes the path with a field name (used by derived code).
        #[cold]
        #[must_use]
        pub fn in_field(mut self, name: &'static str) -> Self {
            self.0.path.push_outer(PathSegment::Field(name));
            self
        }

        /// Prefixes the path with a list index.
        #[cold]
        #[must_use]
        pub fn at_index(mut self, index: usize) -> Self {
            self.0.path.push_outer(PathSegment::Index(index));
            self
        }

        /// Prefixes the path with a type name (a packet at the root).
        #[cold]
        #[must_use]
        pub fn in_type(mut self, name: &'static str) -> Self {
            self.0.path.push_outer(PathSegment::Type(name));
            self
        }
    };
}

/// Something that limits decoding, named in [`DecodeErrorKind::LimitExceeded`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitKind {
    /// Byte length of one string.
    StringLength,
    /// Element count of one list.
    ListCount,
    /// Wire length of one packet frame.
    FrameLength,
    /// Size of one payload after decompression.
    DecompressedSize,
}

impl fmt::Display for LimitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::StringLength => "string length",
            Self::ListCount => "list count",
            Self::FrameLength => "frame length",
            Self::DecompressedSize => "decompressed size",
        })
    }
}

/// What went wrong while decoding.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ended inside a value.
    #[error("unexpected end of input: needed {needed} bytes, {left} left")]
    UnexpectedEnd {
        /// Bytes the value needed.
        needed: usize,
        /// Bytes that were left.
        left: usize,
    },
    /// A string did not start with `0x00` (empty) or `0x0b` (present).
    #[error("bad string marker 0x{0:02x}: expected 0x00 or 0x0b")]
    BadStringMarker(u8),
    /// A string's bytes were not UTF-8.
    #[error("invalid UTF-8 in string at byte {valid_up_to} of it")]
    InvalidUtf8 {
        /// Length of the valid prefix.
        valid_up_to: usize,
    },
    /// A ULEB128 ran over 5 bytes or over `u32::MAX`.
    #[error("ULEB128 value longer than 5 bytes or above u32::MAX")]
    UlebOverflow,
    /// A length or count was over a configured limit.
    #[error("{kind} {value} over the limit of {limit}")]
    LimitExceeded {
        /// Which limit.
        kind: LimitKind,
        /// The value read.
        value: u64,
        /// The limit in force.
        limit: u64,
    },
    /// A list count that the remaining input cannot possibly hold.
    #[error("list count {count} needs at least {needed} bytes, {left} left")]
    CountExceedsInput {
        /// The count read.
        count: u64,
        /// Minimum bytes that many elements need.
        needed: u64,
        /// Bytes left.
        left: usize,
    },
    /// A list count below zero.
    #[error("negative list count {0}")]
    NegativeCount(i64),
    /// A wire value that does not fit the field's type.
    #[error("value {value} does not fit {ty}")]
    OutOfRange {
        /// The value read (integers widened; floats truncated toward zero).
        value: i128,
        /// The Rust type it was meant for.
        ty: &'static str,
    },
    /// A value that names no variant of an enum.
    #[error("{value} is not a valid {ty}")]
    InvalidEnum {
        /// The enum type.
        ty: &'static str,
        /// The value read.
        value: i64,
    },
    /// A packet id that this build does not use.
    #[error("unknown packet id {id} for build {build}")]
    UnknownPacketId {
        /// The wire id.
        id: u16,
        /// The build.
        build: u32,
    },
    /// A packet this build does not have.
    #[error("packet {name} is not present in build {build}")]
    PacketNotInBuild {
        /// The reference's packet name.
        name: &'static str,
        /// The build.
        build: u32,
    },
    /// A gzip payload that did not inflate.
    #[error("decompression failed: {0}")]
    Decompress(String),
    /// Bytes left after a value that should have consumed its whole input.
    #[error("{0} trailing bytes after the payload")]
    TrailingBytes(usize),
    /// A hand-written codec's own error.
    #[error("{0}")]
    Custom(Cow<'static, str>),
}

/// A decoding failure: what, where in the value (field path) and where in the input (offset).
#[derive(Clone, PartialEq, Eq)]
pub struct DecodeError(Box<DecodeErrorInner>);

#[derive(Clone, PartialEq, Eq)]
struct DecodeErrorInner {
    kind: DecodeErrorKind,
    offset: usize,
    path: FieldPath,
}

impl DecodeError {
    /// An error of `kind` at byte `offset` of the input.
    #[cold]
    pub fn new(kind: DecodeErrorKind, offset: usize) -> Self {
        Self(Box::new(DecodeErrorInner { kind, offset, path: FieldPath::default() }))
    }

    /// What went wrong.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.0.kind
    }

    /// Byte offset in the decoded input where the failing value starts.
    pub fn offset(&self) -> usize {
        self.0.offset
    }

    path_methods!();

    /// Moves the offset by `base`, for input decoded from inside a larger buffer.
    #[must_use]
    pub fn shifted(mut self, base: usize) -> Self {
        self.0.offset += base;
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.0.path.is_empty() {
            write!(f, "{} ", self.0.path)?;
        }
        write!(f, "at byte {}: {}", self.0.offset, self.0.kind)
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("kind", &self.0.kind)
            .field("offset", &self.0.offset)
            .field("path", &format_args!("{}", self.0.path))
            .finish()
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0.kind)
    }
}

/// What went wrong while encoding.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeErrorKind {
    /// A value does not fit its wire type in this build (no silent clamping).
    #[error("value {value} does not fit wire type {wire}")]
    OutOfRange {
        /// The value (integers widened; floats truncated toward zero).
        value: i128,
        /// The wire type.
        wire: &'static str,
    },
    /// A string or list is too long for its length prefix.
    #[error("length {len} does not fit its {prefix} length prefix")]
    TooLong {
        /// The length.
        len: usize,
        /// The prefix type.
        prefix: &'static str,
    },
    /// A list whose length the layout fixes (such as one entry per match slot) has another length.
    #[error("expected {expected} elements, got {actual}")]
    WrongLength {
        /// The length the layout requires.
        expected: usize,
        /// The length given.
        actual: usize,
    },
    /// The packet does not exist in the target build.
    #[error("packet {name} is not present in build {build}")]
    PacketNotInBuild {
        /// The reference's packet name.
        name: &'static str,
        /// The build.
        build: u32,
    },
    /// The output buffer cannot hold the encoding.
    #[error("buffer has room for {room} bytes, {needed} needed")]
    BufferTooSmall {
        /// Bytes the encoding needs.
        needed: usize,
        /// Bytes of room left.
        room: usize,
    },
    /// A hand-written codec's own error.
    #[error("{0}")]
    Custom(Cow<'static, str>),
}

/// An encoding failure: what and where in the value.
#[derive(Clone, PartialEq, Eq)]
pub struct EncodeError(Box<EncodeErrorInner>);

#[derive(Clone, PartialEq, Eq)]
struct EncodeErrorInner {
    kind: EncodeErrorKind,
    path: FieldPath,
}

impl EncodeError {
    /// An error of `kind`.
    #[cold]
    pub fn new(kind: EncodeErrorKind) -> Self {
        Self(Box::new(EncodeErrorInner { kind, path: FieldPath::default() }))
    }

    /// What went wrong.
    pub fn kind(&self) -> &EncodeErrorKind {
        &self.0.kind
    }

    path_methods!();
}

impl From<EncodeErrorKind> for EncodeError {
    fn from(kind: EncodeErrorKind) -> Self {
        Self::new(kind)
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.0.path.is_empty() {
            write!(f, "{}: ", self.0.path)?;
        }
        write!(f, "{}", self.0.kind)
    }
}

impl fmt::Debug for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncodeError")
            .field("kind", &self.0.kind)
            .field("path", &format_args!("{}", self.0.path))
            .finish()
    }
}

impl std::error::Error for EncodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_reads_root_first() {
        let err = DecodeError::new(DecodeErrorKind::UnexpectedEnd { needed: 4, left: 2 }, 41)
            .in_field("user_id")
            .at_index(3)
            .in_field("slots")
            .in_type("BanchoMatchUpdate");
        assert_eq!(err.path().to_string(), "BanchoMatchUpdate.slots[3].user_id");
        assert_eq!(
            err.to_string(),
            "BanchoMatchUpdate.slots[3].user_id at byte 41: unexpected end of input: needed 4 bytes, 2 left"
        );
    }

    #[test]
    fn errors_are_one_pointer_wide() {
        assert_eq!(core::mem::size_of::<DecodeError>(), core::mem::size_of::<usize>());
        assert_eq!(core::mem::size_of::<EncodeError>(), core::mem::size_of::<usize>());
    }

    #[test]
    fn encode_error_display() {
        let err = EncodeError::new(EncodeErrorKind::OutOfRange { value: 300, wire: "u8" })
            .in_field("id")
            .in_type("BanchoMatchNew");
        assert_eq!(err.to_string(), "BanchoMatchNew.id: value 300 does not fit wire type u8");
    }
}
