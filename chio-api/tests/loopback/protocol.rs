//! Framing and malformed input: split frames, oversize frames, bad JSON, non-auth first
//! frames, HTTP, notifications' limits.

use std::time::Duration;

use chio_api::server::{Approval, ServerConfig};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::*;

fn auth_frame() -> Vec<u8> {
    let payload = json!({"type": "auth", "application": "overlay", "permissions": "read", "scope": "client"});
    let payload = payload.to_string();
    let mut frame = vec![u8::try_from(payload.len()).unwrap()];
    frame.extend_from_slice(payload.as_bytes());
    frame
}

#[tokio::test]
async fn a_frame_split_across_many_reads_is_reassembled() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut raw = Raw::connect(server.addr).await;
    // One byte per write, with pauses, so the server sees many short reads.
    for byte in auth_frame() {
        raw.send_bytes(&[byte]).await;
        tokio::time::sleep(Duration::from_micros(300)).await;
    }
    assert_eq!(raw.recv().await["state"], "whitelisted");

    // A request whose two-byte length prefix itself is split.
    let payload = format!("{{\"type\":\"status\",\"padding\":\"{}\"}}", "x".repeat(200));
    let mut frame = Vec::new();
    chio_core::primitives::uleb128::put(&mut frame, u32::try_from(payload.len()).unwrap());
    assert_eq!(frame.len(), 2);
    frame.extend_from_slice(payload.as_bytes());
    for chunk in frame.chunks(7) {
        raw.send_bytes(chunk).await;
        tokio::time::sleep(Duration::from_micros(300)).await;
    }
    assert_eq!(raw.recv().await["type"], "status");
}

#[tokio::test]
async fn two_frames_in_one_write_are_both_served() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut raw = Raw::connect(server.addr).await;
    let mut bytes = auth_frame();
    bytes.extend_from_slice(b"\x11{\"type\":\"status\"}");
    raw.send_bytes(&bytes).await;
    assert_eq!(raw.recv().await["state"], "whitelisted");
    assert_eq!(raw.recv().await["type"], "status");
}

#[tokio::test]
async fn an_oversize_frame_is_refused_from_its_length_alone() {
    let server = start(Answer::Now(Approval::Approve)).await;
    // Before authentication: the prefix claims 1 MiB (limit 4 KiB) and no body follows.
    let mut raw = Raw::connect(server.addr).await;
    raw.send_bytes(&[0x80, 0x80, 0x40]).await;
    assert_eq!(raw.recv().await, json!({"type": "auth", "state": "protocol_error"}));
    raw.expect_closed().await;

    // After authentication: an error, then the connection closes (the stream cannot resync).
    let mut raw = authed(&server, "overlay", "read").await;
    raw.send_bytes(&[0x81, 0x20]).await; // 4097 bytes
    assert_eq!(raw.recv().await, json!({"type": "error", "error": "invalid_request"}));
    raw.expect_closed().await;
}

#[tokio::test]
async fn a_frame_at_the_limit_is_accepted() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut raw = authed(&server, "overlay", "read").await;
    let head = "{\"type\":\"status\",\"pad\":\"";
    let tail = "\"}";
    let payload = format!("{head}{}{tail}", "x".repeat(4096 - head.len() - tail.len()));
    assert_eq!(payload.len(), 4096);
    raw.send_payload(payload.as_bytes()).await;
    assert_eq!(raw.recv().await["type"], "status");
}

#[tokio::test]
async fn a_length_prefix_over_five_bytes_closes() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut raw = Raw::connect(server.addr).await;
    raw.send_bytes(&[0xff, 0xff, 0xff, 0xff, 0xff, 0x01]).await;
    assert_eq!(raw.recv().await["state"], "protocol_error");
    raw.expect_closed().await;
}

#[tokio::test]
async fn a_first_frame_other_than_auth_is_not_authentified() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut raw = Raw::connect(server.addr).await;
    raw.send(json!({"type": "status"})).await;
    assert_eq!(raw.recv().await, json!({"type": "error", "error": "not_authentified", "request": "status"}));
    raw.send(json!({"type": "notification", "message": "hi"})).await;
    assert_eq!(raw.recv().await["error"], "not_authentified");
    raw.send(json!({"type": "open_beatmap"})).await;
    assert_eq!(
        raw.recv().await,
        json!({"type": "error", "error": "not_authentified", "request": "open_beatmap"})
    );
    // The connection is still waiting for its auth.
    assert_eq!(raw.auth("overlay", "read", "client", None).await["state"], "whitelisted");
    raw.send(json!({"type": "status"})).await;
    assert_eq!(raw.recv().await["type"], "status");
}

#[tokio::test]
async fn malformed_first_frames_are_protocol_errors() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let payloads: [&[u8]; 6] = [
        b"",
        b"not json",
        b"{\"type\": \"auth\", // a comment\n \"application\": \"x\"}",
        b"[\"auth\"]",
        b"{\"application\": \"x\"}",
        b"\xff\xfe{}",
    ];
    for payload in payloads {
        let mut raw = Raw::connect(server.addr).await;
        raw.send_payload(payload).await;
        assert_eq!(raw.recv().await, json!({"type": "auth", "state": "protocol_error"}), "{payload:?}");
        raw.expect_closed().await;
    }
}

#[tokio::test]
async fn malformed_json_after_auth_is_an_invalid_request_and_harmless() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut raw = authed(&server, "overlay", "read|subscribe").await;
    let payloads: [&[u8]; 4] = [
        b"{\"type\": \"status\"",
        // The concept's example style: comments and a trailing comma are not JSON.
        b"{\n  \"type\": \"status\" // or \"idle\"\n}",
        b"{\"type\": \"status\",}",
        b"{\"type\": null}",
    ];
    for payload in payloads {
        raw.send_payload(payload).await;
        assert_eq!(raw.recv().await, json!({"type": "error", "error": "invalid_request"}), "{payload:?}");
    }
    raw.send(json!({"type": "subscribe", "events": ["status", "chat"]})).await;
    assert_eq!(
        raw.recv().await,
        json!({"type": "error", "error": "invalid_request", "request": "subscribe"})
    );
    raw.send(json!({"type": "auth", "application": "again", "permissions": "full", "scope": "client"})).await;
    assert_eq!(raw.recv().await, json!({"type": "error", "error": "invalid_request", "request": "auth"}));
    // Fields a request does not define are ignored; the session is still fine.
    raw.send(json!({"type": "subscribe", "events": [], "extra": true})).await;
    assert_eq!(raw.recv().await, json!({"type": "subscribe", "events": []}));
}

#[tokio::test]
async fn http_requests_are_closed_without_a_byte() {
    // A long auth timeout: the close must come from the sniffing, not from the timeout.
    let config = ServerConfig { auth_timeout: Duration::from_secs(60), ..config() };
    let server = start_with(config, Answer::Now(Approval::Approve)).await;
    let requests: [&[&[u8]]; 3] = [
        &[b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"],
        // A WebSocket upgrade, as a web page would try.
        &[b"GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"],
        // A method split across reads.
        &[b"PO", b"ST /api HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"],
    ];
    for parts in requests {
        let mut raw = Raw::connect(server.addr).await;
        for part in parts {
            raw.send_bytes(part).await;
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let mut received = Vec::new();
        let read = tokio::time::timeout(PATIENCE, raw.io.get_mut().read_to_end(&mut received)).await;
        assert!(read.is_ok(), "the connection stayed open");
        assert!(received.is_empty(), "answered HTTP with {received:?}");
    }
    assert!(server.approvals.asked().is_empty());
}

#[tokio::test]
async fn the_stream_ending_inside_a_frame_ends_the_session() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut raw = authed(&server, "overlay", "read").await;
    eventually(|| server.handle.sessions().len() == 1).await;
    raw.send_bytes(b"\x20{\"type\"").await;
    raw.io.get_mut().shutdown().await.unwrap();
    eventually(|| server.handle.sessions().is_empty()).await;
}

#[tokio::test]
async fn notifications_are_rate_limited_and_checked() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut shown = server.state.notifications();
    let mut raw = authed(&server, "overlay", "notify").await;

    raw.send(json!({"type": "notification", "message": "  "})).await;
    assert_eq!(
        raw.recv().await,
        json!({"type": "error", "error": "invalid_request", "request": "notification"})
    );
    raw.send(json!({"type": "notification", "message": "x".repeat(101)})).await;
    assert_eq!(raw.recv().await["error"], "invalid_request");

    // The burst is 2, then one per minute.
    for n in 0..2 {
        raw.send(json!({"type": "notification", "message": format!("hello {n}")})).await;
        assert_eq!(shown.recv().await.unwrap().message, format!("hello {n}"));
    }
    raw.expect_silence().await;
    raw.send(json!({"type": "notification", "message": "one too many"})).await;
    assert_eq!(
        raw.recv().await,
        json!({"type": "error", "error": "rate_limited", "request": "notification"})
    );
    assert!(shown.try_recv().is_err());

    // Each session has its own bucket.
    let mut other = authed(&server, "tracker", "notify").await;
    other.send(json!({"type": "notification", "message": "from tracker"})).await;
    let notification = shown.recv().await.unwrap();
    assert_eq!(
        (notification.application.as_str(), notification.message.as_str()),
        ("tracker", "from tracker")
    );
}

#[tokio::test]
async fn the_documented_field_limits_are_enforced() {
    use chio_api::message::{MAX_APPLICATION_CHARS, MAX_DESCRIPTION_CHARS, MAX_NOTIFICATION_CHARS};
    assert_eq!((MAX_APPLICATION_CHARS, MAX_DESCRIPTION_CHARS, MAX_NOTIFICATION_CHARS), (64, 512, 500));
    let config = ServerConfig { max_notification_chars: MAX_NOTIFICATION_CHARS, ..config() };
    let server = start_with(config, Answer::Now(Approval::Approve)).await;

    // A name of 65 characters, or a description of 513: protocol_error, and the connection closes.
    for (application, description) in [("n".repeat(65), String::new()), ("overlay".into(), "d".repeat(513))] {
        let mut raw = Raw::connect(server.addr).await;
        raw.send(json!({"type": "auth", "application": application, "description": description,
            "permissions": "read", "scope": "client"}))
            .await;
        assert_eq!(raw.recv().await, json!({"type": "auth", "state": "protocol_error"}));
        raw.expect_closed().await;
    }
    // Exactly at the limits (counted in characters, not bytes) is fine.
    let mut raw = Raw::connect(server.addr).await;
    raw.send(json!({"type": "auth", "application": "é".repeat(64), "description": "ß".repeat(512),
        "permissions": "notify", "scope": "client"}))
        .await;
    assert_eq!(raw.recv().await["state"], "whitelisted");
    assert!(server.approvals.asked().len() == 1);

    // A notification of 501 characters: invalid_request, the session goes on; 500 is shown.
    let mut shown = server.state.notifications();
    raw.send(json!({"type": "notification", "message": "x".repeat(501)})).await;
    assert_eq!(
        raw.recv().await,
        json!({"type": "error", "error": "invalid_request", "request": "notification"})
    );
    raw.send(json!({"type": "notification", "message": "ü".repeat(500)})).await;
    assert_eq!(shown.recv().await.unwrap().message.chars().count(), 500);
}
