//! An `https://` upstream: a TLS terminator (tokio-rustls, a self-signed certificate for
//! `localhost` in `tests/fixtures`) in front of a loopback chio-server, reached by the
//! proxy over TLS with that certificate trusted.

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
