//! The plain-text login request a client sends before any packet.
//!
//! Before it speaks bancho packets, a client logs in with three lines of text: over the
//! TCP connection itself until mid-2013, as the body of an HTTP `POST` to `c.ppy.sh` since.
//!
//! ```text
//! peppy                                       line 1: username
//! 5f4dcc3b5aa765d61d8327deb882cf99            line 2: MD5 of the password (hex)
//! b20250306.1|1|0|<hashes>|0                  line 3: client information
//! ```
//!
//! Line 3 is `version|utc offset|display city|client hashes|block non-friend PMs`; older
//! clients send fewer fields, and the client hashes (`exe md5:adapters:adapters md5:
//! uninstall md5:disk md5:`) grew over time too. No reference pins the first build of each
//! field exactly; what is known from servers that speak to these clients:
//!
//! | Builds                   | Transport | Line 3                                                 |
//! |--------------------------|-----------|--------------------------------------------------------|
//! | b282 – b1660             | TCP       | `version\|utc offset\|display city` (no hashes)        |
//! | b1661 – b20120505        | TCP       | `…\|exe md5:adapters:adapters md5:` (three hashes)     |
//! | b20120506 – b20130302    | TCP       | `…\|exe:adapters:adapters md5:uninstall:disk:` (five)  |
//! | b20130303 – mid-2013     | TCP       | `…\|<five hashes>\|block non-friend PMs`               |
//! | mid-2013 – b20250306     | HTTP      | the same five fields                                   |
//!
//! # What is accepted
//!
//! [`LoginRequest::parse`] takes the body and accepts any era's shape, without checking the
//! fields against the build (modified clients mix them):
//!
//! - Lines end in `\n` or `\r\n`; the line ending after line 3 is optional. Nothing may
//!   follow line 3 (over TCP, cut the body off first with [`LoginRequest::body_len`]).
//! - Line 1, the username, must not be empty nor hold control characters (no osu!
//!   username does, and a `\r` there would not survive [`LoginRequest::to_body`]); it is
//!   not otherwise checked.
//! - Line 2 must be 32 ASCII hex digits (either case). No client is known to send the
//!   password itself: osuTitanic's anchor, which serves clients back to b282, likewise
//!   refuses any line 2 that is not 32 characters ("osu! clients only send MD5-hashed
//!   passwords").
//! - Line 3 has 2 to 5 `|`-separated fields. The version is parsed with
//!   [`ClientVersion::parse`] (so the leading `b` is optional); the UTC offset is an
//!   integer in `i8` range (a sign is allowed); the two flags are `0` or `1`. Absent
//!   fields read as `false`, `None` and `false`. A sixth field (some modified clients send
//!   a protocol version there) is an error.
//! - The client hashes are 1 to 5 `:`-separated parts with an optional trailing `:`
//!   (the b20121203 TCP client sends the executable's MD5 alone)
//!   (which modern clients send). They are kept verbatim and not checked: the adapters
//!   part is a list, not a hash, servers for old clients meet empty parts (anchor fills in
//!   an empty adapters MD5), and which hashes to trust is the server's call ([`is_md5`]
//!   helps). An empty hashes field is `None`.
//!
//! Every error names the field (and so the line), what is wrong and the byte offset in
//! the body. Strings are borrowed from the body.
//!
//! ```
//! use chio_packets::login::request::LoginRequest;
//! use chio_packets::login::version::ReleaseStream;
//!
//! let body = "peppy\r\n5f4dcc3b5aa765d61d8327deb882cf99\r\n\
//!             b20250306.1|1|0|0e3f1a7b5d8c2e4f6a9b1c3d5e7f9a2b:runningunderwine:\
//!             d41d8cd98f00b204e9800998ecf8427e:ad921d60486366258809553a3db49a4a:\
//!             ad921d60486366258809553a3db49a4a:|1\r\n";
//! let login = LoginRequest::parse(body.as_bytes()).unwrap();
//! assert_eq!(login.username, "peppy");
//! assert_eq!((login.version.build, login.version.stream), (20250306, ReleaseStream::Stable));
//! assert_eq!(login.utc_offset, 1);
//! assert!(login.block_non_friend_dms);
//! let hashes = login.client_hashes.unwrap();
//! assert!(hashes.is_wine());
//! assert_eq!(hashes.disk_md5, Some("ad921d60486366258809553a3db49a4a"));
//!
//! // The canonical body (with `\n` line endings) parses back to the same request.
//! assert_eq!(LoginRequest::parse_str(&login.to_body()), Ok(login));
//!
//! // A 2008 body (b338): no hashes, no PM flag.
//! let old = LoginRequest::parse(b"peppy\n5f4dcc3b5aa765d61d8327deb882cf99\nb338|-5|1\n").unwrap();
//! assert_eq!((old.version.build, old.utc_offset, old.display_city), (338, -5, true));
//! assert_eq!(old.client_hashes, None);
//! ```

use core::fmt;
use core::num::ParseIntError;

use crate::version::{ClientVersion, VersionError};

/// The first build known to send the "block non-friend PMs" flag; [`LoginRequest::to_body`]
/// writes the flag for this build and newer (and for any request with the flag set).
pub const PM_FLAG_BUILD: u32 = 20130303;

/// A parsed login request: the three lines a client sends before any packet.
///
/// See the [module documentation](self) for the format of each era and what is accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LoginRequest<'a> {
    /// Line 1: the username, as typed.
    pub username: &'a str,
    /// Line 2: the MD5 of the password, 32 hex digits, as sent (case kept).
    pub password_md5: &'a str,
    /// Line 3, field 1: the client version (serialized as its string form).
    #[cfg_attr(feature = "serde", serde(serialize_with = "serialize_version"))]
    pub version: ClientVersion,
    /// Line 3, field 2: the UTC offset in hours.
    pub utc_offset: i8,
    /// Line 3, field 3: whether the user lets others see their city (`false` if absent).
    pub display_city: bool,
    /// Line 3, field 4: the client hashes (`None` if absent or empty).
    pub client_hashes: Option<ClientHashes<'a>>,
    /// Line 3, field 5: whether the user accepts direct messages from friends only
    /// (`false` if absent, as in builds before b20130303).
    pub block_non_friend_dms: bool,
}

impl<'a> LoginRequest<'a> {
    /// Parses a login body. It must be UTF-8; see the [module documentation](self) for
    /// the rest.
    pub fn parse(body: &'a [u8]) -> Result<Self, LoginRequestError> {
        let body = core::str::from_utf8(body).map_err(|e| {
            LoginRequestError::new(LoginField::Body, e.valid_up_to(), LoginRequestErrorKind::InvalidUtf8)
        })?;
        Self::parse_str(body)
    }

    /// Parses a login body that is already a string.
    pub fn parse_str(body: &'a str) -> Result<Self, LoginRequestError> {
        let mut lines = Lines { text: body, pos: 0 };

        let Some(username) = lines.next() else {
            return Err(LoginRequestError::new(LoginField::Username, 0, LoginRequestErrorKind::Empty));
        };
        if username.text.is_empty() {
            return Err(LoginRequestError::new(
                LoginField::Username,
                username.start,
                LoginRequestErrorKind::Empty,
            ));
        }
        if let Some((at, ch)) = username.text.char_indices().find(|&(_, c)| c.is_control()) {
            return Err(LoginRequestError::new(
                LoginField::Username,
                username.start + at,
                LoginRequestErrorKind::ControlChar { ch },
            ));
        }

        let password = lines.next().ok_or_else(|| lines.missing(LoginField::PasswordMd5))?;
        check_md5(password.text, password.start)?;

        let info = lines.next().ok_or_else(|| lines.missing(LoginField::Version))?;
        if info.terminated && lines.pos < body.len() {
            return Err(LoginRequestError::new(
                LoginField::Body,
                lines.pos,
                LoginRequestErrorKind::TrailingData,
            ));
        }

        let mut request = Self {
            username: username.text,
            password_md5: password.text,
            version: ClientVersion::new(0),
            utc_offset: 0,
            display_city: false,
            client_hashes: None,
            block_non_friend_dms: false,
        };
        let mut start = info.start;
        let mut count = 0;
        for field in info.text.split('|') {
            count += 1;
            match count {
                1 => {
                    request.version = ClientVersion::parse(field).map_err(|e| {
                        LoginRequestError::new(
                            LoginField::Version,
                            start + e.at(),
                            LoginRequestErrorKind::Version(e),
                        )
                    })?;
                }
                2 => {
                    request.utc_offset = field.parse().map_err(|e| {
                        LoginRequestError::new(
                            LoginField::UtcOffset,
                            start,
                            LoginRequestErrorKind::BadInteger(e),
                        )
                    })?;
                }
                3 => request.display_city = parse_flag(field, LoginField::DisplayCity, start)?,
                4 => request.client_hashes = ClientHashes::parse_at(field, start)?,
                5 => request.block_non_friend_dms = parse_flag(field, LoginField::BlockNonFriendDms, start)?,
                _ => {
                    let count = info.text.split('|').count();
                    return Err(LoginRequestError::new(
                        LoginField::ClientInfo,
                        start,
                        LoginRequestErrorKind::TooManyFields { count },
                    ));
                }
            }
            start += field.len() + 1;
        }
        if count < 2 {
            return Err(LoginRequestError::new(
                LoginField::UtcOffset,
                info.start + info.text.len(),
                LoginRequestErrorKind::MissingField,
            ));
        }
        Ok(request)
    }

    /// The length of the login body at the start of `buf` (up to and including the third
    /// `\n`), or `None` if `buf` does not hold three lines yet.
    ///
    /// Over TCP the body is followed directly by packets; this finds where it ends.
    ///
    /// ```
    /// use chio_packets::login::request::LoginRequest;
    /// let stream = b"peppy\n5f4dcc3b5aa765d61d8327deb882cf99\nb20120818|0|0|a:b:c:d:e:\n\x04\x00";
    /// let len = LoginRequest::body_len(stream).unwrap();
    /// assert_eq!(&stream[len..], b"\x04\x00");
    /// assert_eq!(LoginRequest::body_len(b"peppy\n5f4dcc3b"), None);
    /// ```
    pub fn body_len(buf: &[u8]) -> Option<usize> {
        buf.iter().enumerate().filter(|&(_, &b)| b == b'\n').nth(2).map(|(i, _)| i + 1)
    }

    /// The canonical body of this request, with `\n` line endings (for test clients).
    ///
    /// Line 3 has the version's canonical form, the UTC offset and the display-city flag;
    /// then the client hashes (with the trailing `:`) if there are any; then the PM flag
    /// if the build is [`PM_FLAG_BUILD`] or newer or the flag is set (with an empty hashes
    /// field if there are none). A body in this form parses back to the same request and
    /// matches what the client of that era sends.
    ///
    /// The strings are written verbatim: a request built by hand with a line break, `|` or
    /// `:` (in the hashes) where the format uses one gives a body that does not parse back.
    /// A request [`parse`](Self::parse) returned always round-trips.
    pub fn to_body(&self) -> String {
        use fmt::Write as _;

        let hashes_len = self.client_hashes.map_or(0, |h| h.encoded_len());
        // Version and offset are short; 48 bytes covers them and the separators.
        let mut body = String::with_capacity(self.username.len() + self.password_md5.len() + hashes_len + 48);
        // Writing to a `String` cannot fail.
        let _ = write!(
            body,
            "{}\n{}\n{}|{}|{}",
            self.username,
            self.password_md5,
            self.version,
            self.utc_offset,
            u8::from(self.display_city)
        );
        let pm_flag = self.block_non_friend_dms || self.version.build >= PM_FLAG_BUILD;
        if self.client_hashes.is_some() || pm_flag {
            body.push('|');
            if let Some(hashes) = self.client_hashes {
                let _ = write!(body, "{hashes}");
            }
        }
        if pm_flag {
            body.push('|');
            body.push(if self.block_non_friend_dms { '1' } else { '0' });
        }
        body.push('\n');
        body
    }

    /// The [`Context`](crate::Context) of the client's build.
    pub const fn context(&self) -> crate::Context {
        self.version.context()
    }
}

/// The hashes a client sends to identify its executable and machine (line 3, field 4).
///
/// Kept verbatim and unchecked: the parts are meant to be MD5 hex strings (but for the
/// adapters list), yet may be empty, and old builds send fewer parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ClientHashes<'a> {
    /// MD5 of the client executable (`osu!.exe`).
    pub executable_md5: &'a str,
    /// The network adapters, `.`-separated (MAC addresses), or `runningunderwine`; may be
    /// empty; `None` if the client sent the executable's MD5 alone (as the b20121203 TCP
    /// client does: `b20121203|2|1|<exe md5>`). See [`ClientHashes::adapter_list`].
    pub adapters: Option<&'a str>,
    /// MD5 of the adapters list (part 3; `None` if the client sent fewer parts).
    pub adapters_md5: Option<&'a str>,
    /// MD5 of the client's uninstall id (part 4; sent from about b20120506).
    pub uninstall_md5: Option<&'a str>,
    /// MD5 of the disk signature (part 5; sent from about b20120506).
    pub disk_md5: Option<&'a str>,
}

impl<'a> ClientHashes<'a> {
    /// Parses a client hashes field: 1 to 5 `:`-separated parts with an optional trailing
    /// `:`. An empty field is `Ok(None)`. Error offsets count from the start of `field`.
    ///
    /// ```
    /// use chio_packets::login::request::ClientHashes;
    /// let h = ClientHashes::parse("e1:00163E5F8C2A.0A0027000001:a3:").unwrap().unwrap();
    /// assert_eq!(h.adapter_list().collect::<Vec<_>>(), ["00163E5F8C2A", "0A0027000001"]);
    /// assert_eq!((h.adapters_md5, h.uninstall_md5), (Some("a3"), None));
    /// assert_eq!(h.to_string(), "e1:00163E5F8C2A.0A0027000001:a3:");
    /// ```
    pub fn parse(field: &'a str) -> Result<Option<Self>, LoginRequestError> {
        Self::parse_at(field, 0)
    }

    fn parse_at(field: &'a str, base: usize) -> Result<Option<Self>, LoginRequestError> {
        if field.is_empty() {
            return Ok(None);
        }
        // Verbatim, but not control characters: a `\r` here would be read as the end of
        // the line by the next parse of the written body.
        if let Some((at, ch)) = field.char_indices().find(|&(_, c)| c.is_control()) {
            let kind = LoginRequestErrorKind::ControlChar { ch };
            return Err(LoginRequestError::new(LoginField::ClientHashes, base + at, kind));
        }
        let parts = field.strip_suffix(':').unwrap_or(field);
        let count = parts.split(':').count();
        if count > 5 {
            let kind = LoginRequestErrorKind::TooManyHashes { count };
            return Err(LoginRequestError::new(LoginField::ClientHashes, base, kind));
        }
        let mut split = parts.split(':');
        Ok(Some(Self {
            executable_md5: split.next().unwrap_or_default(),
            adapters: split.next(),
            adapters_md5: split.next(),
            uninstall_md5: split.next(),
            disk_md5: split.next(),
        }))
    }

    /// The adapters one by one (the non-empty `.`-separated parts of
    /// [`ClientHashes::adapters`]).
    pub fn adapter_list(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        self.adapters.unwrap_or_default().split('.').filter(|a| !a.is_empty())
    }

    /// Whether the client reports running under Wine (adapters `runningunderwine`).
    pub fn is_wine(&self) -> bool {
        self.adapters == Some("runningunderwine")
    }

    /// The parts present, in order (a `None` before a present part is written as empty).
    fn parts(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let optional = [self.adapters, self.adapters_md5, self.uninstall_md5, self.disk_md5];
        let present = optional.iter().rposition(Option::is_some).map_or(0, |last| last + 1);
        core::iter::once(self.executable_md5)
            .chain(optional.into_iter().take(present).map(Option::unwrap_or_default))
    }

    /// Whether the canonical form is the executable's MD5 alone, without a `:`: only the
    /// executable's part is present, and it is not empty (an empty field would read back
    /// as no hashes at all).
    fn is_executable_alone(&self) -> bool {
        self.adapters.is_none() && self.parts().count() == 1 && !self.executable_md5.is_empty()
    }

    fn encoded_len(&self) -> usize {
        let colons = if self.is_executable_alone() { 0 } else { self.parts().count() };
        self.parts().map(str::len).sum::<usize>() + colons
    }
}

impl fmt::Display for ClientHashes<'_> {
    /// The canonical form: each part followed by `:`, up to the last present part; the
    /// executable's MD5 alone without the `:`, as the clients that send it alone do (but
    /// an empty one alone is `:`, since an empty field reads as no hashes).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_executable_alone() {
            return f.write_str(self.executable_md5);
        }
        for part in self.parts() {
            f.write_str(part)?;
            f.write_str(":")?;
        }
        Ok(())
    }
}

/// Whether `s` is an MD5 digest in hex: 32 ASCII hex digits, either case.
///
/// ```
/// use chio_packets::login::request::is_md5;
/// assert!(is_md5("d41d8cd98f00b204e9800998ecf8427e"));
/// assert!(!is_md5("runningunderwine"));
/// ```
pub fn is_md5(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A part of a login request, named in [`LoginRequestError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum LoginField {
    /// The body as a whole (encoding, what follows line 3).
    Body,
    /// Line 1.
    Username,
    /// Line 2.
    PasswordMd5,
    /// Line 3 as a whole.
    ClientInfo,
    /// Line 3, field 1.
    Version,
    /// Line 3, field 2.
    UtcOffset,
    /// Line 3, field 3.
    DisplayCity,
    /// Line 3, field 4.
    ClientHashes,
    /// Line 3, field 5.
    BlockNonFriendDms,
}

impl LoginField {
    /// The line the field is on (1 to 3), or `None` for [`LoginField::Body`].
    pub const fn line(self) -> Option<u8> {
        match self {
            Self::Body => None,
            Self::Username => Some(1),
            Self::PasswordMd5 => Some(2),
            _ => Some(3),
        }
    }
}

impl fmt::Display for LoginField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Body => "body",
            Self::Username => "username (line 1)",
            Self::PasswordMd5 => "password MD5 (line 2)",
            Self::ClientInfo => "client information (line 3)",
            Self::Version => "version (line 3, field 1)",
            Self::UtcOffset => "UTC offset (line 3, field 2)",
            Self::DisplayCity => "display-city flag (line 3, field 3)",
            Self::ClientHashes => "client hashes (line 3, field 4)",
            Self::BlockNonFriendDms => "block-non-friend-PMs flag (line 3, field 5)",
        })
    }
}

/// What is wrong with a login request.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoginRequestErrorKind {
    /// The body is not UTF-8 (the offset is the length of the valid prefix).
    #[error("invalid UTF-8")]
    InvalidUtf8,
    /// The body ends before the line holding the field.
    #[error("missing: the body has too few lines")]
    MissingLine,
    /// Something follows line 3.
    #[error("unexpected data after line 3")]
    TrailingData,
    /// The field is empty.
    #[error("empty")]
    Empty,
    /// The username has a control character (a tab, a `\r` before the line ending...).
    #[error("unexpected control character {ch:?}")]
    ControlChar {
        /// The character.
        ch: char,
    },
    /// The password MD5 is not 32 bytes long.
    #[error("{len} bytes long: expected 32 hex digits")]
    BadLength {
        /// Its length in bytes.
        len: usize,
    },
    /// The password MD5 has a character that is not a hex digit.
    #[error("unexpected character {ch:?}: expected a hex digit")]
    NotHex {
        /// The character.
        ch: char,
    },
    /// The version does not parse.
    #[error(transparent)]
    Version(VersionError),
    /// The UTC offset is not an integer in `i8` range.
    #[error("not an integer from -128 to 127: {0}")]
    BadInteger(ParseIntError),
    /// A flag is not `0` or `1`.
    #[error("expected 0 or 1")]
    BadFlag,
    /// Line 3 ends before a required field (only the version was sent).
    #[error("missing: line 3 needs at least a version and a UTC offset")]
    MissingField,
    /// Line 3 has more than five fields.
    #[error("{count} fields: at most 5 expected")]
    TooManyFields {
        /// How many fields there are.
        count: usize,
    },
    /// The client hashes have more than five parts.
    #[error("{count} parts: at most 5 expected")]
    TooManyHashes {
        /// How many parts there are.
        count: usize,
    },
}

/// Why a login request did not parse: the field, the byte offset in the body and what is
/// wrong. Reads like `password MD5 (line 2) at byte 6: 31 bytes long: expected 32 hex
/// digits`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field} at byte {offset}: {kind}")]
pub struct LoginRequestError {
    /// The field at fault.
    pub field: LoginField,
    /// The byte offset in the body where the problem is (the start of the field unless
    /// the kind points at a character).
    pub offset: usize,
    /// What is wrong.
    pub kind: LoginRequestErrorKind,
}

impl LoginRequestError {
    /// An error about `field` at byte `offset`.
    pub const fn new(field: LoginField, offset: usize, kind: LoginRequestErrorKind) -> Self {
        Self { field, offset, kind }
    }
}

/// A line of the body: its text without the line ending and where it starts.
struct Line<'a> {
    text: &'a str,
    start: usize,
    /// Whether a line ending followed.
    terminated: bool,
}

/// Splits the body into lines ending in `\n` or `\r\n`, the last one possibly unterminated.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Lines<'a> {
    fn next(&mut self) -> Option<Line<'a>> {
        let rest = self.text.get(self.pos..).filter(|rest| !rest.is_empty())?;
        let start = self.pos;
        Some(match rest.find('\n') {
            Some(end) => {
                self.pos += end + 1;
                let line = rest.get(..end).unwrap_or_default();
                Line { text: line.strip_suffix('\r').unwrap_or(line), start, terminated: true }
            }
            None => {
                self.pos = self.text.len();
                Line { text: rest, start, terminated: false }
            }
        })
    }

    /// The error for a missing line holding `field`.
    fn missing(&self, field: LoginField) -> LoginRequestError {
        LoginRequestError::new(field, self.text.len(), LoginRequestErrorKind::MissingLine)
    }
}

/// Checks the password line: 32 bytes (else the length is the error), all hex digits
/// (else the first other character is).
fn check_md5(text: &str, start: usize) -> Result<(), LoginRequestError> {
    if text.len() != 32 {
        let kind = LoginRequestErrorKind::BadLength { len: text.len() };
        return Err(LoginRequestError::new(LoginField::PasswordMd5, start, kind));
    }
    match text.char_indices().find(|&(_, c)| !c.is_ascii_hexdigit()) {
        Some((at, ch)) => {
            let kind = LoginRequestErrorKind::NotHex { ch };
            Err(LoginRequestError::new(LoginField::PasswordMd5, start + at, kind))
        }
        None => Ok(()),
    }
}

fn parse_flag(field: &str, which: LoginField, start: usize) -> Result<bool, LoginRequestError> {
    match field {
        "0" => Ok(false),
        "1" => Ok(true),
        _ => Err(LoginRequestError::new(which, start, LoginRequestErrorKind::BadFlag)),
    }
}

#[cfg(feature = "serde")]
fn serialize_version<S: serde::Serializer>(
    version: &ClientVersion,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MD5: &str = "5f4dcc3b5aa765d61d8327deb882cf99";

    #[test]
    fn modern_body() {
        let body = format!("peppy\n{MD5}\nb20250306.1|1|0|e:runningunderwine:a:u:d:|0\n");
        let login = LoginRequest::parse(body.as_bytes()).unwrap();
        assert_eq!(login.to_body(), body);
        assert_eq!(login.context().build(), 20250306);
    }

    #[test]
    fn check_md5_prefers_length() {
        let e = LoginRequest::parse_str("a\nxyz\nb1|0").unwrap_err();
        assert_eq!(e.kind, LoginRequestErrorKind::BadLength { len: 3 });
        assert_eq!(e.offset, 2);
    }

    /// Found by the `login_request` fuzz target: a hashes field of a lone `:` (an empty
    /// executable MD5) was written back as an empty field, which reads as no hashes.
    #[test]
    fn an_empty_executable_md5_alone_round_trips() {
        let body = format!("d\n{MD5}\n05940|4|0|:");
        let login = LoginRequest::parse(body.as_bytes()).unwrap();
        let hashes = login.client_hashes.unwrap();
        assert_eq!((hashes.executable_md5, hashes.adapters), ("", None));
        assert_eq!(hashes.to_string(), ":");
        assert_eq!(hashes.encoded_len(), 1);
        assert_eq!(login.to_body(), format!("d\n{MD5}\nb5940|4|0|:\n"));
        assert_eq!(LoginRequest::parse_str(&login.to_body()), Ok(login));
        // A non-empty one alone is still written without the `:`.
        let body = format!("d\n{MD5}\nb20121203|2|1|e1");
        let alone = LoginRequest::parse_str(&body).unwrap();
        assert_eq!(alone.client_hashes.unwrap().to_string(), "e1");
    }

    #[test]
    fn hashes_parts_fill_gaps() {
        let h = ClientHashes {
            executable_md5: "e",
            adapters: Some(""),
            adapters_md5: None,
            uninstall_md5: None,
            disk_md5: Some("d"),
        };
        assert_eq!(h.to_string(), "e::::d:");
        assert_eq!(h.encoded_len(), 7);
    }
}
