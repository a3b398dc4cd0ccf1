//! HTTP upstreams: an `https://` one (a TLS terminator with a self-signed certificate for
//! `localhost` from `tests/fixtures`, in front of a loopback chio-server, reached with that
//! certificate trusted), URLs that are refused, and an upstream that drops connections.

use std::sync::Arc;

use chio_client::Client;
use chio_packets::events::ChatMessage;
use chio_packets::events::client::ClientEvent;
use chio_proxy::proxy::{Proxy, ProxyConfig};
use chio_tests::loopback::{Loopback, WAIT};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::{TcpListener, TcpStream};

const CERT: &[u8] = include_bytes!("fixtures/localhost.crt");
const KEY: &[u8] = include_bytes!("fixtures/localhost.key");

/// Terminates TLS on an ephemeral port and relays the plain bytes to `target`.
async fn tls_terminator(target: std::net::SocketAddr) -> u16 {
    let certs: Vec<_> = CertificateDer::pem_slice_iter(CERT).map(Result::unwrap).collect();
    let key = PrivateKeyDer::from_pem_slice(KEY).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else { return };
                let Ok(mut plain) = TcpStream::connect(target).await else { return };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_upstream_is_reached_over_tls() {
    let server = Loopback::in_memory().await;
    let port = tls_terminator(server.http).await;
    let config = ProxyConfig::default()
        .with_upstream_http(format!("https://localhost:{port}"))
        .with_upstream_roots_pem(CERT);
    let proxy = Proxy::new(config).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let serving = proxy.clone();
    tokio::spawn(async move { serving.serve_http(listener).await.unwrap() });

    let through = |user| server.config(20250306, user).with_http(format!("http://{addr}"));
    let alice = Client::login(through("alice")).await.unwrap();
    let mut bob = Client::login(through("bob")).await.unwrap();
    let hello = ChatMessage { content: "over tls".into(), target: "#osu".into(), ..ChatMessage::default() };
    alice.send(&ClientEvent::Message(hello)).await.unwrap();
    bob.recv_until(WAIT, |p| p.name() == "BanchoMessage").await.unwrap();
    alice.logout().await.unwrap();
    bob.logout().await.unwrap();
    proxy.shutdown();
}

#[test]
fn upstream_urls_are_checked() {
    for bad in ["ftp://x", "https://", "http://"] {
        let config = ProxyConfig::default().with_upstream_http(bad);
        assert!(Proxy::new(config).is_err(), "{bad}");
    }
    let config =
        ProxyConfig::default().with_upstream_http("https://localhost").with_upstream_roots_pem("nothing");
    assert!(Proxy::new(config).is_err());
    assert!(Proxy::new(ProxyConfig::default().with_upstream_http("https://c.example.com/")).is_ok());
}

/// An upstream that closes its connection after every answer (without saying so): each
/// request still goes through, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_that_closes_idle_connections_is_reconnected() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let upstream = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream_addr = upstream.local_addr().unwrap();
    let served = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = Arc::clone(&served);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = upstream.accept().await {
            let mut request = Vec::new();
            let mut buf = [0; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let answer = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-type: text/plain\r\n\r\nok";
            let _ = stream.write_all(answer.as_bytes()).await;
            // Closed at once, with no `Connection: close`.
        }
    });
    let proxy =
        Proxy::new(ProxyConfig::default().with_upstream_http(format!("http://{upstream_addr}"))).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let serving = proxy.clone();
    tokio::spawn(async move { serving.serve_http(listener).await.unwrap() });
    for _ in 0..5 {
        let mut client = TcpStream::connect(addr).await.unwrap();
        client.write_all(b"GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").await.unwrap();
        let mut answer = Vec::new();
        client.read_to_end(&mut answer).await.unwrap();
        let answer = String::from_utf8(answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("ok"), "{answer}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 5);
    proxy.shutdown();
}
