//! Arguments shared by several commands: the build, the direction, the input.

use std::io::Read;
use std::path::PathBuf;

use chio_packets::build::OLDEST_BUILD;
use chio_packets::login::version::ClientVersion;
use chio_packets::{Context, Direction};

/// A client build given as a number (`20140127`, `b282`) or a version string
/// (`b20140127.1cuttingedge`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Build(pub(crate) u32);

impl Build {
    /// The context of the build (its default protocol and slot count).
    pub(crate) const fn context(self) -> Context {
        Context::new(self.0)
    }
}

/// clap's parser for [`Build`].
pub(crate) fn parse_build(text: &str) -> Result<Build, String> {
    let build = if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse::<u32>().map_err(|_| format!("build number {text} is too large"))?
    } else {
        ClientVersion::parse(text)
            .map_err(|error| format!("not a build number or version string: {error}"))?
            .build
    };
    if build < OLDEST_BUILD {
        return Err(format!("b{build} is older than the oldest client with bancho, b{OLDEST_BUILD}"));
    }
    Ok(Build(build))
}

/// Who sent the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum From {
    /// Packets the server sends (`Bancho*`).
    Server,
    /// Packets the client sends (`Osu*`).
    Client,
}

impl From {
    pub(crate) const fn direction(self) -> Direction {
        match self {
            Self::Server => Direction::ServerToClient,
            Self::Client => Direction::ClientToServer,
        }
    }
}

/// Reads all of `file`, or standard input if it is `None` or `-`.
pub(crate) fn read_input(file: Option<&PathBuf>) -> Result<Vec<u8>, String> {
    let mut input = Vec::new();
    match file {
        Some(path) if path.as_os_str() != "-" => {
            input = std::fs::read(path).map_err(|error| format!("{}: {error}", path.display()))?;
        }
        _ => {
            std::io::stdin()
                .lock()
                .read_to_end(&mut input)
                .map_err(|error| format!("standard input: {error}"))?;
        }
    }
    Ok(input)
}

/// Bytes from hex text: pairs of hex digits, with any ASCII whitespace between pairs.
pub(crate) fn unhex(text: &[u8]) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::with_capacity(text.len() / 2);
    let mut high: Option<(usize, u8)> = None;
    for (at, &ch) in text.iter().enumerate() {
        if ch.is_ascii_whitespace() {
            if let Some((start, _)) = high {
                return Err(format!("hex input: odd digit at character {start} (split pair)"));
            }
            continue;
        }
        let Some(digit) = char::from(ch).to_digit(16) else {
            return Err(format!("hex input: {:?} at character {at} is not a hex digit", char::from(ch)));
        };
        // A hex digit is below 16.
        #[allow(clippy::cast_possible_truncation)]
        let digit = digit as u8;
        match high.take() {
            None => high = Some((at, digit)),
            Some((_, upper)) => bytes.push(upper << 4 | digit),
        }
    }
    match high {
        Some((start, _)) => Err(format!("hex input: odd digit at character {start} (an incomplete byte)")),
        None => Ok(bytes),
    }
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_are_numbers_or_version_strings() {
        assert_eq!(parse_build("20140127"), Ok(Build(20140127)));
        assert_eq!(parse_build("b20140127.1cuttingedge"), Ok(Build(20140127)));
        assert_eq!(parse_build("b282"), Ok(Build(282)));
        assert!(parse_build("281").unwrap_err().contains("older than"));
        assert!(parse_build("99999999999").unwrap_err().contains("too large"));
        assert!(parse_build("yesterday").unwrap_err().contains("not a build number"));
        assert!(parse_build("").is_err());
    }

    #[test]
    fn hex_allows_whitespace_between_pairs_only() {
        assert_eq!(unhex(b"05 00\n0004000000e8030000"), Ok(vec![5, 0, 0, 4, 0, 0, 0, 0xe8, 3, 0, 0]));
        assert_eq!(unhex(b"0A0b"), Ok(vec![10, 11]));
        assert!(unhex(b"0 5").unwrap_err().contains("character 0"));
        assert!(unhex(b"05x0").unwrap_err().contains("'x' at character 2"));
        assert!(unhex(b"050").unwrap_err().contains("incomplete"));
        assert_eq!(hex(&[0, 0xab, 0x10]), "00ab10");
    }
}
