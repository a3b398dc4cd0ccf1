//! The `client_version` target: arbitrary text as a client version string. Parsing never
//! panics, and what parses displays to a string that parses to the same version.

use chio_packets::login::version::ClientVersion;

/// Checks one input; panics if it breaks what the target asserts.
pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(version) = text.parse::<ClientVersion>() {
        let again: ClientVersion = version.to_string().parse().expect("a displayed version parses");
        assert_eq!(again, version);
    }
}
