//! Arbitrary bytes as a login body: parsing never panics, and what parses writes back to
//! a body that parses to the same request.
#![no_main]

use chio_packets::login::request::LoginRequest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(request) = LoginRequest::parse(data) {
        let body = request.to_body();
        let again = LoginRequest::parse(body.as_bytes()).expect("a written body parses");
        assert_eq!(again, request);
    }
});
