//! Arbitrary text as a client version string: parsing never panics, and what parses
//! displays to a string that parses to the same version.
#![no_main]

use chio_packets::login::version::ClientVersion;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(version) = text.parse::<ClientVersion>() {
        let again: ClientVersion = version.to_string().parse().expect("a displayed version parses");
        assert_eq!(again, version);
    }
});
