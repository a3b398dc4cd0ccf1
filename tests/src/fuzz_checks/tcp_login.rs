//! The `tcp_login` target: arbitrary bytes as what a TCP client sends before its first
//! packet, read by `chio_server::tcp_login::read_login` in arbitrary pieces (with
//! `Pending` between reads or not) under a small limit. Nothing may panic; a login that
//! reads parses again from its `to_body`; nothing past the limit is read.
//!
//! The first byte picks the piece size (bits 0–5) and the stalls (bit 6); the rest is the
//! stream.

use std::time::Duration;

use chio_packets::login::request::LoginRequest;
use chio_server::tcp_login::{LoginLimits, TcpLoginError, read_login};

use super::pieces::Pieces;

/// The login limit the target reads under.
pub const MAX_LEN: usize = 512;

/// A current-thread runtime with timers (`read_login` has a deadline), made once per
/// fuzzing process or test.
///
/// Its clock is paused: it moves only when the runtime has nothing else to do, so the
/// deadline passes only if `read_login` waits for bytes an in-memory stream always has
/// (a hang), never because the process was descheduled or stopped mid-input (on the real
/// clock, a fuzzer stopped for ten seconds with `SIGSTOP` reported a `Timeout`).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().expect("a runtime")
}

/// Checks one input on `runtime`; panics if it breaks what the target asserts.
pub fn check(runtime: &tokio::runtime::Runtime, data: &[u8]) {
    let Some((&selector, stream)) = data.split_first() else { return };
    let limits = LoginLimits {
        max_len: MAX_LEN,
        timeout: Duration::from_secs(10),
        redirect: "http://c.fuzz/".to_owned(),
    };
    let mut io = Pieces::new(stream, 1 + usize::from(selector & 0x3f), selector & 0x40 != 0);
    let result = runtime.block_on(read_login(&mut io, &limits));
    assert!(io.read <= MAX_LEN, "read {} bytes past the limit", io.read);
    match result {
        Ok(login) => {
            let request = login.request.as_request();
            let body = request.to_body();
            let again = LoginRequest::parse(body.as_bytes()).expect("a written login parses");
            assert_eq!(again, request);
            // What was read is the login, then the leftover.
            assert!(stream[..io.read].ends_with(&login.leftover));
            assert!(io.written.is_empty());
        }
        Err(TcpLoginError::StrayHttp) => {
            assert!(io.written.starts_with(b"HTTP/1.1 302 Found\r\n"));
            assert!(io.written.ends_with(b"\r\n\r\n"));
        }
        Err(TcpLoginError::Closed { received }) => {
            assert_eq!(received, stream.len());
            assert_eq!(io.read, stream.len());
        }
        Err(TcpLoginError::TooLong { limit }) => {
            assert_eq!(limit, MAX_LEN);
            assert_eq!(io.read, MAX_LEN);
        }
        Err(TcpLoginError::Invalid(_)) => {}
        Err(error @ (TcpLoginError::Timeout | TcpLoginError::Io(_))) => {
            panic!("an in-memory stream cannot {error}")
        }
    }
}

#[cfg(test)]
mod tests {
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

    use super::*;

    /// A stream that never has bytes and never wakes its reader: a hang.
    struct Silent;

    impl AsyncRead for Silent {
        fn poll_read(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            _: &mut ReadBuf<'_>,
        ) -> Poll<std::io::Result<()>> {
            Poll::Pending
        }
    }

    impl AsyncWrite for Silent {
        fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
            Poll::Ready(Ok(buf.len()))
        }

        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Poll::Ready(Ok(()))
        }

        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    /// On the paused clock a hang still ends in `Timeout` (at once, in real time), so the
    /// check's "an in-memory stream cannot time out" still catches one.
    #[test]
    fn a_hang_still_times_out_on_the_paused_clock() {
        let limits =
            LoginLimits { max_len: MAX_LEN, timeout: Duration::from_secs(10), redirect: String::new() };
        let started = std::time::Instant::now();
        let result = runtime().block_on(read_login(&mut Silent, &limits));
        assert!(matches!(result, Err(TcpLoginError::Timeout)), "{result:?}");
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    }
}
