//! Binding a listener that holds a burst of connections.
//!
//! `TcpListener::bind` asks the kernel for an accept queue of 128, like the standard
//! library. A login burst or a connection flood overflows that; the kernel then drops the
//! SYN, and the client retries only after its initial retransmission timeout (one second on
//! Linux), so a burst of 200 logins costs some clients a second for nothing.

use std::net::SocketAddr;

use tokio::net::{TcpListener, TcpSocket};

/// The accept queue asked of the kernel, which caps it at `net.core.somaxconn` (4,096 on
/// Linux since 5.4).
pub const BACKLOG: u32 = 4096;

/// Binds a listener to `addr` with [`BACKLOG`] and, outside Windows, `SO_REUSEADDR` (as
/// `TcpListener::bind` does), so a restarted server binds its port at once.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// let listener = chio_server::listen::bind("127.0.0.1:13381".parse().unwrap())?;
/// # Ok(()) }
/// ```
pub fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    #[cfg(not(windows))]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::net::TcpStream;

    use super::*;

    /// The largest accept queue the kernel grants (`somaxconn`; 4,096 where unknown).
    fn somaxconn() -> usize {
        std::fs::read_to_string("/proc/sys/net/core/somaxconn")
            .ok()
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(4096)
    }

    /// Connections the server has not accepted yet wait in the queue: 600 of them (past
    /// the 128 of `TcpListener::bind`, within what the kernel grants) all complete their
    /// handshake at once, with nothing accepted.
    #[tokio::test]
    async fn a_burst_waits_in_the_queue_instead_of_being_dropped() {
        let burst = 600.min(somaxconn());
        if burst < 600 {
            eprintln!("somaxconn grants {burst}: a burst of {burst}");
        }
        let listener = bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = listener.local_addr().unwrap();
        let mut connected = Vec::with_capacity(burst);
        for _ in 0..burst {
            // A dropped SYN would be retried after a second: half of that is a failure.
            let stream = tokio::time::timeout(Duration::from_millis(500), TcpStream::connect(addr))
                .await
                .expect("the handshake completes without an accept")
                .unwrap();
            connected.push(stream);
        }
        assert_eq!(connected.len(), burst);
        drop(listener);
    }
}
