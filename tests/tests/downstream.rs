//! A packet declared in this crate (outside `chio-packets`) encodes, decodes and describes
//! itself like the built-in ones.

use chio_packets::{Context, Decode, DecodeErrorKind, Encode, EncodeErrorKind, Packet};
use chio_tests::custom::ServerNotice;

fn notice() -> ServerNotice<'static> {
    ServerNotice {
        text: "maintenance".into(),
        priority: 3,
        expires_at: 1_700_000_000,
        user_ids: vec![2, 1001],
    }
}

#[test]
fn layout_changes_with_build_and_protocol() {
    let value = notice();
    // b20190101: priority as u8, no expiry.
    let old = value.encode_payload(Context::new(20190101)).unwrap();
    assert_eq!(old, b"\x0b\x0bmaintenance\x03\x02\x00\x02\x00\x00\x00\xe9\x03\x00\x00");
    // b20200101: priority as i32, still no expiry.
    let mid = value.encode_payload(Context::new(20200101)).unwrap();
    assert_eq!(mid.len(), old.len() + 3);
    // b20210101 at protocol 19: expiry present; at protocol 18: absent.
    let new = value.encode_payload(Context::new(20210101)).unwrap();
    assert_eq!(new.len(), mid.len() + 8);
    let new_p18 = value.encode_payload(Context::new(20210101).with_protocol(18)).unwrap();
    assert_eq!(new_p18, mid);

    let decoded = ServerNotice::decode_payload(&new, Context::new(20210101)).unwrap();
    assert_eq!(decoded, value);
    let decoded_old = ServerNotice::decode_payload(&old, Context::new(20190101)).unwrap();
    assert_eq!(decoded_old, ServerNotice { expires_at: -1, ..value });
}

#[test]
fn encoded_len_is_exact() {
    for build in [20150101, 20190101, 20200101, 20210101, 20250306] {
        let ctx = Context::new(build);
        let bytes = notice().encode_payload(ctx).unwrap();
        assert_eq!(notice().encoded_len(ctx), bytes.len(), "b{build}");
    }
}

#[test]
fn out_of_range_is_an_error_with_a_path() {
    let value = ServerNotice { priority: 300, ..notice() };
    let err = value.encode_payload(Context::new(20190101)).unwrap_err();
    assert_eq!(err.kind(), &EncodeErrorKind::OutOfRange { value: 300, wire: "u8" });
    assert_eq!(err.to_string(), "ServerNotice.priority: value 300 does not fit wire type u8");
    // The same value fits the i32 of later builds.
    assert!(value.encode_payload(Context::new(20200101)).is_ok());
}

#[test]
fn truncated_input_names_the_field() {
    let ctx = Context::new(20250306);
    let bytes = notice().encode_payload(ctx).unwrap();

    // Two bytes short: the list count promises 8 bytes of ids with 6 left, which fails
    // before any element is read or allocated.
    let err = ServerNotice::decode_payload(&bytes[..bytes.len() - 2], ctx).unwrap_err();
    assert_eq!(err.path().to_string(), "ServerNotice.user_ids");
    assert_eq!(err.kind(), &DecodeErrorKind::CountExceedsInput { count: 2, needed: 8, left: 6 });
    // The error points at the count.
    assert_eq!(err.offset(), bytes.len() - 10);

    // Cut inside the text: the string body starts at byte 2.
    let err = ServerNotice::decode_payload(&bytes[..5], ctx).unwrap_err();
    assert_eq!(err.path().to_string(), "ServerNotice.text");
    assert_eq!(err.kind(), &DecodeErrorKind::UnexpectedEnd { needed: 11, left: 3 });
    assert_eq!(err.offset(), 2);
    assert_eq!(
        err.to_string(),
        "ServerNotice.text at byte 2: unexpected end of input: needed 11 bytes, 3 left"
    );
}

#[test]
fn identity_and_layout() {
    assert_eq!(ServerNotice::NAME, "ServerNotice");
    assert_eq!(ServerNotice::ID, 1000);
    assert!(!ServerNotice::exists_in(Context::new(20140101)));
    assert!(ServerNotice::exists_in(Context::new(20150101)));
    let layout = <ServerNotice as chio_packets::Describe>::LAYOUT;
    let names: Vec<_> = layout.fields().iter().map(|f| f.name).collect();
    assert_eq!(names, ["text", "priority", "expires_at", "user_ids"]);
    let present: Vec<_> = layout.fields_in(Context::new(20200101)).map(|(f, _)| f.name).collect();
    assert_eq!(present, ["text", "priority", "user_ids"]);
    assert_eq!(layout.fields()[2].default, Some("-1"));
}
