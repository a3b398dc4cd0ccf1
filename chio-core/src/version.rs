//! osu! client version strings: `b20140127.1`, `b20230814.2cuttingedge`, `b1816.test`.
//!
//! A client names its version in the login request (and the web endpoints) as a string
//! made of a *build* number (a date such as `20140127` since 2012, a small counter such as
//! `282` before), an optional *revision* (the `.N` hotfix number) and an optional
//! *release stream* (`beta`, `cuttingedge`, `tourney`, ...). [`ClientVersion`] holds the
//! three parts; [`ClientVersion::context`] turns one into the [`Context`] every codec takes.
//!
//! ```
//! use chio_core::version::{ClientVersion, ReleaseStream};
//!
//! let v: ClientVersion = "b20230814.2cuttingedge".parse().unwrap();
//! assert_eq!((v.build, v.revision, v.stream), (20230814, Some(2), ReleaseStream::CuttingEdge));
//! assert_eq!(v.to_string(), "b20230814.2cuttingedge");
//! assert_eq!(v.context().protocol(), 19);
//! assert_eq!(v.revision_in_force().build, 20161101);
//! ```
//!
//! # Grammar
//!
//! ```text
//! version  = [ "b" ] build [ "." [ revision ] ] [ stream ]
//! build    = 1*DIGIT              ; fits in u32
//! revision = 1*DIGIT              ; fits in u32
//! stream   = 1*16 ALPHA           ; ASCII letters
//! ```
//!
//! with the rule that a `.` must be followed by a revision, a stream or both (`b282.` is an
//! error). Examples seen in the wild, all accepted:
//!
//! | string                    | build    | revision | stream         |
//! |---------------------------|----------|----------|----------------|
//! | `b282`                    | 282      | –        | stable         |
//! | `b1816.test`              | 1816     | –        | test           |
//! | `b20121223dev`            | 20121223 | –        | dev            |
//! | `b20131216.2test`         | 20131216 | 2        | test           |
//! | `b20140127`               | 20140127 | –        | stable         |
//! | `b20140127.1`             | 20140127 | 1        | stable         |
//! | `b20150403.3beta`         | 20150403 | 3        | beta           |
//! | `b20160404tourney`        | 20160404 | –        | tourney        |
//! | `b20230814.2cuttingedge`  | 20230814 | 2        | cutting edge   |
//! | `b20250306.1`             | 20250306 | 1        | stable         |
//!
//! Rulings:
//!
//! - The leading `b` is optional (`20140127.1` is accepted, as some modified clients and
//!   tools omit it); only a lower-case `b` is recognised.
//! - Nothing else is tolerated: surrounding whitespace, signs, a `B`, or anything after the
//!   stream name is an error naming the byte. Trim the input first if it may carry any.
//! - Stream names are matched case-sensitively against the lower-case names clients send
//!   (`beta`, `cuttingedge`, `tourney`, `dev`, `test`); any other run of up to 16 ASCII
//!   letters (`peppy`, `ubertest`, `Beta`) is kept verbatim as [`ReleaseStream::Other`].
//! - Leading zeros in the numbers are accepted and dropped.
//!
//! # Canonical form
//!
//! [`Display`](fmt::Display) writes `b{build}`, then `.{revision}` if there is one, then
//! the stream name. It is the input minus leading zeros, plus a `b` if it was missing, and
//! minus a `.` that was followed directly by the stream: `b1816.test` and `b1816test` are
//! the same version and both display as `b1816test`. Parsing the displayed form always
//! gives back the same value.

use core::fmt;
use core::str::FromStr;

use crate::Context;
use crate::build::Revision;

/// The most bytes a stream name may have.
pub const MAX_STREAM_LEN: usize = 16;

/// A parsed osu! client version: build, revision and release stream.
///
/// See the [module documentation](self) for the grammar and the canonical form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientVersion {
    /// The build number: `20140127` in `b20140127.1`, `282` in `b282`.
    pub build: u32,
    /// The hotfix number after the `.`: `1` in `b20140127.1`. Not to be confused with the
    /// protocol [`Revision`] in force for the build ([`ClientVersion::revision_in_force`]).
    pub revision: Option<u32>,
    /// The release stream named after the numbers ([`ReleaseStream::Stable`] if none).
    pub stream: ReleaseStream,
}

impl ClientVersion {
    /// A stable version with no revision: `ClientVersion::new(282)` is `b282`.
    pub const fn new(build: u32) -> Self {
        Self { build, revision: None, stream: ReleaseStream::Stable }
    }

    /// Parses a version string (see the [module documentation](self) for the grammar).
    ///
    /// ```
    /// use chio_core::version::{ClientVersion, ReleaseStream, VersionError};
    ///
    /// let v = ClientVersion::parse("b20160404tourney").unwrap();
    /// assert_eq!((v.build, v.revision, v.stream), (20160404, None, ReleaseStream::Tourney));
    /// assert_eq!(ClientVersion::parse(" b282"), Err(VersionError::UnexpectedChar {
    ///     ch: ' ',
    ///     at: 0,
    ///     expected: "the build number",
    /// }));
    /// ```
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        if s.is_empty() {
            return Err(VersionError::Empty);
        }
        let bytes = s.as_bytes();
        let mut pos = usize::from(bytes.first() == Some(&b'b'));

        let build = match parse_number(bytes, pos, NumberField::Build)? {
            Some((value, end)) => {
                pos = end;
                value
            }
            None if pos == bytes.len() => return Err(VersionError::MissingBuild { at: pos }),
            None => return Err(unexpected(s, pos, "the build number")),
        };

        let mut revision = None;
        let mut after_dot = false;
        if bytes.get(pos) == Some(&b'.') {
            pos += 1;
            after_dot = true;
            if let Some((value, end)) = parse_number(bytes, pos, NumberField::Revision)? {
                revision = Some(value);
                pos = end;
                after_dot = false;
            }
        }

        let stream_len =
            bytes.get(pos..).unwrap_or_default().iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let stream = if stream_len == 0 {
            ReleaseStream::Stable
        } else {
            let name = s.get(pos..pos + stream_len).unwrap_or_default();
            let stream = ReleaseStream::from_name(name)
                .map_err(|_| VersionError::StreamTooLong { at: pos, len: stream_len })?;
            pos += stream_len;
            after_dot = false;
            stream
        };

        if after_dot {
            return Err(if pos == bytes.len() {
                VersionError::MissingRevision { at: pos }
            } else {
                unexpected(s, pos, "a revision number or a stream name")
            });
        }
        if pos != bytes.len() {
            let expected = match (stream, revision) {
                (ReleaseStream::Stable, None) => "'.', a stream name or the end",
                (ReleaseStream::Stable, Some(_)) => "a stream name or the end",
                _ => "the end",
            };
            return Err(unexpected(s, pos, expected));
        }
        Ok(Self { build, revision, stream })
    }

    /// The [`Context`] of this version's build, with its default protocol version and slots.
    ///
    /// ```
    /// use chio_core::version::ClientVersion;
    /// let v = ClientVersion::parse("b20121223dev").unwrap();
    /// assert_eq!(v.context().build(), 20121223);
    /// ```
    pub const fn context(&self) -> Context {
        Context::new(self.build)
    }

    /// The protocol revision in force for this version's build ([`Revision::resolve`]).
    ///
    /// The revision (hotfix number) and stream of the version play no part: the wire
    /// format is a function of the build alone. Returned by value, like
    /// [`Context::revision`], because [`Revision::resolve`] is `const` and `Revision` is a
    /// small `Copy` struct.
    pub const fn revision_in_force(&self) -> Revision {
        Revision::resolve(self.build)
    }
}

impl FromStr for ClientVersion {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for ClientVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b{}", self.build)?;
        if let Some(revision) = self.revision {
            write!(f, ".{revision}")?;
        }
        f.write_str(self.stream.name())
    }
}

/// The release stream a client build belongs to, named at the end of its version string.
///
/// Unknown names are kept in [`ReleaseStream::Other`] without allocating: a
/// [`StreamName`] holds up to [`MAX_STREAM_LEN`] ASCII letters inline, which keeps
/// `ClientVersion` `Copy`, `'static` and usable with [`FromStr`] (borrowing the name from
/// the input would have tied every version to the string it came from).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReleaseStream {
    /// No stream name: the stable release.
    #[default]
    Stable,
    /// `beta`.
    Beta,
    /// `cuttingedge`.
    CuttingEdge,
    /// `tourney`: the tournament client.
    Tourney,
    /// `dev`: developer builds.
    Dev,
    /// `test`: test builds.
    Test,
    /// Any other name (`peppy`, `ubertest`, or a modified client's own).
    Other(StreamName),
}

impl ReleaseStream {
    /// The stream named `name`: a known stream, or [`ReleaseStream::Other`]; the empty name
    /// is [`ReleaseStream::Stable`].
    ///
    /// Fails with [`StreamNameError`] if `name` is longer than [`MAX_STREAM_LEN`] bytes or
    /// has anything but ASCII letters (the names a version string can carry).
    ///
    /// ```
    /// use chio_core::version::ReleaseStream;
    /// assert_eq!(ReleaseStream::from_name("beta"), Ok(ReleaseStream::Beta));
    /// assert_eq!(ReleaseStream::from_name("peppy").unwrap().name(), "peppy");
    /// assert!(ReleaseStream::from_name("stable40").is_err());
    /// ```
    pub fn from_name(name: &str) -> Result<Self, StreamNameError> {
        Ok(match name {
            "" => Self::Stable,
            "beta" => Self::Beta,
            "cuttingedge" => Self::CuttingEdge,
            "tourney" => Self::Tourney,
            "dev" => Self::Dev,
            "test" => Self::Test,
            other => Self::Other(StreamName::new(other)?),
        })
    }

    /// The name as it appears in a version string (empty for [`ReleaseStream::Stable`]).
    pub fn name(&self) -> &str {
        match self {
            Self::Stable => "",
            Self::Beta => "beta",
            Self::CuttingEdge => "cuttingedge",
            Self::Tourney => "tourney",
            Self::Dev => "dev",
            Self::Test => "test",
            Self::Other(name) => name.as_str(),
        }
    }
}

impl fmt::Display for ReleaseStream {
    /// The name, or `stable` for [`ReleaseStream::Stable`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Stable => f.write_str("stable"),
            other => f.write_str(other.name()),
        }
    }
}

/// The name of a release stream this crate has no variant for: 1 to [`MAX_STREAM_LEN`]
/// ASCII letters, stored inline.
///
/// Made only by [`ReleaseStream::from_name`] (and parsing), so it never holds the name of
/// a known stream and a version always displays and parses back to itself.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct StreamName {
    /// The letters, zero-padded.
    bytes: [u8; MAX_STREAM_LEN],
    /// How many of `bytes` are used (1..=MAX_STREAM_LEN).
    len: u8,
}

impl StreamName {
    fn new(name: &str) -> Result<Self, StreamNameError> {
        if name.is_empty() || name.len() > MAX_STREAM_LEN {
            return Err(StreamNameError::Length(name.len()));
        }
        if let Some(at) = name.bytes().position(|b| !b.is_ascii_alphabetic()) {
            return Err(StreamNameError::NotALetter { at });
        }
        let mut bytes = [0; MAX_STREAM_LEN];
        for (slot, byte) in bytes.iter_mut().zip(name.bytes()) {
            *slot = byte;
        }
        // `name.len() <= MAX_STREAM_LEN == 16`, so it fits in a `u8`.
        let len = u8::try_from(name.len()).map_err(|_| StreamNameError::Length(name.len()))?;
        Ok(Self { bytes, len })
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        self.bytes.get(..usize::from(self.len)).and_then(|b| core::str::from_utf8(b).ok()).unwrap_or_default()
    }
}

impl fmt::Debug for StreamName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for StreamName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why [`ReleaseStream::from_name`] refused a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StreamNameError {
    /// The name is longer than [`MAX_STREAM_LEN`] bytes (or empty, for a [`StreamName`]).
    #[error("stream name of {0} bytes: expected 1 to {MAX_STREAM_LEN}")]
    Length(usize),
    /// The name has a byte that is not an ASCII letter.
    #[error("stream name has a byte that is not an ASCII letter at byte {at}")]
    NotALetter {
        /// Offset of the byte in the name.
        at: usize,
    },
}

/// Which number of a version string an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumberField {
    /// The build number.
    Build,
    /// The revision (hotfix) number after the `.`.
    Revision,
}

impl fmt::Display for NumberField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Build => "build",
            Self::Revision => "revision",
        })
    }
}

/// Why a version string did not parse. Byte offsets count from the start of the string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VersionError {
    /// The string is empty.
    #[error("empty version string")]
    Empty,
    /// The string ends where the build number should start (`b`).
    #[error("missing build number at byte {at}")]
    MissingBuild {
        /// Where the build number should start.
        at: usize,
    },
    /// A number does not fit in a `u32`.
    #[error("{field} number at byte {at} does not fit in 32 bits")]
    Overflow {
        /// Which number.
        field: NumberField,
        /// Where the number starts.
        at: usize,
    },
    /// The string ends right after the `.` (`b282.`).
    #[error("missing revision number or stream name after '.' at byte {at}")]
    MissingRevision {
        /// Where the revision should start (the end of the string).
        at: usize,
    },
    /// The stream name is longer than [`MAX_STREAM_LEN`] bytes.
    #[error("stream name of {len} bytes at byte {at}: at most {MAX_STREAM_LEN} allowed")]
    StreamTooLong {
        /// Where the name starts.
        at: usize,
        /// Its length in bytes.
        len: usize,
    },
    /// A character that cannot appear there.
    #[error("unexpected character {ch:?} at byte {at}: expected {expected}")]
    UnexpectedChar {
        /// The character.
        ch: char,
        /// Where it starts.
        at: usize,
        /// What could have appeared there.
        expected: &'static str,
    },
}

impl VersionError {
    /// The byte the error points at, from the start of the string (0 for
    /// [`VersionError::Empty`]).
    pub const fn at(&self) -> usize {
        match *self {
            Self::Empty => 0,
            Self::MissingBuild { at }
            | Self::Overflow { at, .. }
            | Self::MissingRevision { at }
            | Self::StreamTooLong { at, .. }
            | Self::UnexpectedChar { at, .. } => at,
        }
    }
}

/// Reads the ASCII digits starting at `start`: `None` if there are none, else the value
/// and the offset after the last digit.
fn parse_number(
    bytes: &[u8],
    start: usize,
    field: NumberField,
) -> Result<Option<(u32, usize)>, VersionError> {
    let digits = bytes.get(start..).unwrap_or_default().iter().take_while(|b| b.is_ascii_digit());
    let mut value: u32 = 0;
    let mut count = 0;
    for &digit in digits {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u32::from(digit - b'0')))
            .ok_or(VersionError::Overflow { field, at: start })?;
        count += 1;
    }
    Ok((count > 0).then_some((value, start + count)))
}

/// The error for the character starting at byte `at` of `s` (the end if there is none).
fn unexpected(s: &str, at: usize, expected: &'static str) -> VersionError {
    match s.get(at..).and_then(|rest| rest.chars().next()) {
        Some(ch) => VersionError::UnexpectedChar { ch, at, expected },
        None => VersionError::MissingBuild { at },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn other(name: &str) -> ReleaseStream {
        ReleaseStream::Other(StreamName::new(name).unwrap())
    }

    #[track_caller]
    fn check(s: &str, build: u32, revision: Option<u32>, stream: ReleaseStream, canonical: &str) {
        let v = ClientVersion::parse(s).unwrap();
        assert_eq!(v, ClientVersion { build, revision, stream }, "{s}");
        assert_eq!(v.to_string(), canonical, "{s}");
        assert_eq!(canonical.parse::<ClientVersion>(), Ok(v), "{s}");
    }

    #[test]
    fn examples_from_the_wild() {
        use ReleaseStream::*;
        check("b282", 282, None, Stable, "b282");
        check("b1816.test", 1816, None, Test, "b1816test");
        check("b20140127", 20140127, None, Stable, "b20140127");
        check("b20140127.1", 20140127, Some(1), Stable, "b20140127.1");
        check("b20230814.2cuttingedge", 20230814, Some(2), CuttingEdge, "b20230814.2cuttingedge");
        check("b20160404tourney", 20160404, None, Tourney, "b20160404tourney");
        check("b20121223dev", 20121223, None, Dev, "b20121223dev");
        check("b20150403.3beta", 20150403, Some(3), Beta, "b20150403.3beta");
        check("b20131216.2test", 20131216, Some(2), Test, "b20131216.2test");
        check("b20250306.1", 20250306, Some(1), Stable, "b20250306.1");
    }

    #[test]
    fn lenient_forms() {
        use ReleaseStream::*;
        check("20140127.1", 20140127, Some(1), Stable, "b20140127.1");
        check("282", 282, None, Stable, "b282");
        check("b0", 0, None, Stable, "b0");
        check("b000282.01", 282, Some(1), Stable, "b282.1");
        check("b20140127.0", 20140127, Some(0), Stable, "b20140127.0");
        check("b1816test", 1816, None, Test, "b1816test");
        check("b4294967295.4294967295", u32::MAX, Some(u32::MAX), Stable, "b4294967295.4294967295");
    }

    #[test]
    fn unknown_streams_are_kept() {
        check("b20130815ubertest", 20130815, None, other("ubertest"), "b20130815ubertest");
        check("b1337.peppy", 1337, None, other("peppy"), "b1337peppy");
        check("b20250306.1Beta", 20250306, Some(1), other("Beta"), "b20250306.1Beta");
        check("b1abcdefghijklmnop", 1, None, other("abcdefghijklmnop"), "b1abcdefghijklmnop");
        assert_eq!(other("peppy").to_string(), "peppy");
        assert_eq!(format!("{:?}", other("peppy")), "Other(\"peppy\")");
    }

    #[test]
    fn context_and_revision() {
        let v = ClientVersion::parse("b20140127.1").unwrap();
        assert_eq!(v.context(), Context::new(20140127));
        assert_eq!(v.revision_in_force().build, 20130801);
        assert_eq!(ClientVersion::new(282).revision_in_force().build, 282);
        assert_eq!(ClientVersion::new(1816).context().build(), 1816);
    }

    #[test]
    fn stream_names() {
        assert_eq!(ReleaseStream::from_name(""), Ok(ReleaseStream::Stable));
        assert_eq!(ReleaseStream::from_name("cuttingedge"), Ok(ReleaseStream::CuttingEdge));
        assert_eq!(ReleaseStream::from_name("tourney"), Ok(ReleaseStream::Tourney));
        assert_eq!(ReleaseStream::from_name("abcdefghijklmnopq"), Err(StreamNameError::Length(17)));
        assert_eq!(ReleaseStream::from_name("stable40"), Err(StreamNameError::NotALetter { at: 6 }));
        assert_eq!(ReleaseStream::Stable.to_string(), "stable");
        assert_eq!(ReleaseStream::CuttingEdge.to_string(), "cuttingedge");
        assert_eq!(ReleaseStream::Stable.name(), "");
        assert_eq!(StreamName::new(""), Err(StreamNameError::Length(0)));
    }

    #[track_caller]
    fn fails(s: &str, error: VersionError) {
        assert_eq!(ClientVersion::parse(s), Err(error), "{s:?}");
        assert!(!error.to_string().is_empty());
        assert!(error.at() <= s.len());
    }

    #[test]
    fn errors() {
        use VersionError::*;
        fails("", Empty);
        fails("b", MissingBuild { at: 1 });
        fails("btest", UnexpectedChar { ch: 't', at: 1, expected: "the build number" });
        fails(".1", UnexpectedChar { ch: '.', at: 0, expected: "the build number" });
        fails("B282", UnexpectedChar { ch: 'B', at: 0, expected: "the build number" });
        fails(" b282", UnexpectedChar { ch: ' ', at: 0, expected: "the build number" });
        fails("b-1", UnexpectedChar { ch: '-', at: 1, expected: "the build number" });
        fails("bb282", UnexpectedChar { ch: 'b', at: 1, expected: "the build number" });
        fails("b4294967296", Overflow { field: NumberField::Build, at: 1 });
        fails("b99999999999999999999", Overflow { field: NumberField::Build, at: 1 });
        fails("b1.4294967296", Overflow { field: NumberField::Revision, at: 3 });
        fails("b282.", MissingRevision { at: 5 });
        fails("b282.-1", UnexpectedChar { ch: '-', at: 5, expected: "a revision number or a stream name" });
        fails("b282..1", UnexpectedChar { ch: '.', at: 5, expected: "a revision number or a stream name" });
        fails("b282 ", UnexpectedChar { ch: ' ', at: 4, expected: "'.', a stream name or the end" });
        fails("b282\n", UnexpectedChar { ch: '\n', at: 4, expected: "'.', a stream name or the end" });
        fails("b282.1.2", UnexpectedChar { ch: '.', at: 6, expected: "a stream name or the end" });
        fails("b282.1beta2", UnexpectedChar { ch: '2', at: 10, expected: "the end" });
        fails("b282beta.1", UnexpectedChar { ch: '.', at: 8, expected: "the end" });
        fails("b282é", UnexpectedChar { ch: 'é', at: 4, expected: "'.', a stream name or the end" });
        fails("b1abcdefghijklmnopq", StreamTooLong { at: 2, len: 17 });
        fails("b1.2abcdefghijklmnopqrstuvwxyz", StreamTooLong { at: 4, len: 26 });
    }

    #[test]
    fn error_messages() {
        assert_eq!(
            VersionError::Overflow { field: NumberField::Revision, at: 3 }.to_string(),
            "revision number at byte 3 does not fit in 32 bits"
        );
        assert_eq!(
            VersionError::UnexpectedChar { ch: ' ', at: 0, expected: "the build number" }.to_string(),
            "unexpected character ' ' at byte 0: expected the build number"
        );
        assert_eq!(
            VersionError::StreamTooLong { at: 2, len: 17 }.to_string(),
            "stream name of 17 bytes at byte 2: at most 16 allowed"
        );
    }

    fn any_stream() -> impl Strategy<Value = ReleaseStream> {
        prop_oneof![
            Just(ReleaseStream::Stable),
            Just(ReleaseStream::Beta),
            Just(ReleaseStream::CuttingEdge),
            Just(ReleaseStream::Tourney),
            Just(ReleaseStream::Dev),
            Just(ReleaseStream::Test),
            "[a-zA-Z]{1,16}".prop_map(|name| ReleaseStream::from_name(&name).unwrap()),
        ]
    }

    proptest! {
        #[test]
        fn display_parse_round_trips(build: u32, revision: Option<u32>, stream in any_stream()) {
            let v = ClientVersion { build, revision, stream };
            let text = v.to_string();
            prop_assert_eq!(ClientVersion::parse(&text), Ok(v));
            prop_assert_eq!(ClientVersion::parse(text.trim_start_matches('b')), Ok(v));
        }

        #[test]
        fn parse_never_panics(s in any::<String>()) {
            if let Ok(v) = ClientVersion::parse(&s) {
                prop_assert_eq!(ClientVersion::parse(&v.to_string()), Ok(v));
            }
        }

        #[test]
        fn parse_never_panics_on_version_like_text(s in "b?[0-9]{0,12}(\\.[0-9]{0,12})?[a-zA-Z.0-9 é]{0,20}") {
            if let Ok(v) = ClientVersion::parse(&s) {
                prop_assert_eq!(ClientVersion::parse(&v.to_string()), Ok(v));
            }
        }
    }
}
