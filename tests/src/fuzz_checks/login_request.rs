//! The `login_request` target: arbitrary bytes as a login body. Parsing never panics, and
//! what parses writes back to a body that parses to the same request.

use chio_packets::login::request::LoginRequest;

/// Checks one input; panics if it breaks what the target asserts.
pub fn check(data: &[u8]) {
    if let Ok(request) = LoginRequest::parse(data) {
        let body = request.to_body();
        let again = LoginRequest::parse(body.as_bytes()).expect("a written body parses");
        assert_eq!(again, request);
    }
}
