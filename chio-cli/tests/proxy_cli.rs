//! `chio proxy` as a user runs it: a server, the proxy process in front of it, clients of
//! both transports through the proxy, and the log and capture it writes.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use chio_client::Client;
use chio_packets::events::ChatMessage;
use chio_packets::events::client::ClientEvent;
use chio_proxy::capture::{self, Dir, Kind};
use chio_tests::loopback::{Loopback, WAIT};
use serde_json::Value;

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn line_with(rx: &Receiver<String>, needle: &str) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(line) if line.contains(needle) => return line,
            Ok(_) => {}
            Err(e) => panic!("no line with {needle:?}: {e}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_proxy_logs_and_captures_clients_of_both_transports() {
    let server = Loopback::in_memory().await;
    let dir = tempfile::tempdir().unwrap();
    let (log, capture) = (dir.path().join("log.jsonl"), dir.path().join("capture"));
    let (log_path, capture_path) = (log.to_str().unwrap(), capture.to_str().unwrap());
    let (tcp_upstream, http_upstream) = (server.tcp.to_string(), server.http_url());
    let (_running, rx) = start_proxy(&[
        "--listen-tcp",
        "127.0.0.1:0",
        "--listen-http",
        "127.0.0.1:0",
        "--upstream-tcp",
        &tcp_upstream,
        "--upstream-http",
        &http_upstream,
        "--log",
        log_path,
        "--capture",
        capture_path,
    ]);
    let addr = |line: String| line.rsplit(' ').next().unwrap().to_owned();
    let tcp = addr(line_with(&rx, "listening tcp "));
    let http = addr(line_with(&rx, "listening http "));
    assert!(tcp.starts_with("127.0.0.1:") && !tcp.ends_with(":0"), "{tcp}");

    let through = |build, user| {
        server.config(build, user).with_tcp(tcp.parse().unwrap()).with_http(format!("http://{http}"))
    };
    let old = Client::login(through(20130815, "old")).await.unwrap();
    let mut new = Client::login(through(20250306, "new")).await.unwrap();
    let hello =
        ChatMessage { content: "via the proxy".into(), target: "#osu".into(), ..ChatMessage::default() };
    old.send(&ClientEvent::Message(hello)).await.unwrap();
    new.recv_until(WAIT, |p| p.name() == "BanchoMessage").await.unwrap();
    old.logout().await.unwrap();
    new.logout().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let lines: Vec<Value> =
        std::fs::read_to_string(&log).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let logins: Vec<_> = lines.iter().filter(|l| l.get("login").is_some()).collect();
    assert_eq!(logins.len(), 2, "{logins:?}");
    assert!(logins.iter().all(|l| l["login"]["password_md5"] == "<redacted>"));
    for dir in ["c2s", "s2c"] {
        assert!(lines.iter().any(|l| l["dir"] == dir && l["packet"].is_string()), "no {dir} packet");
    }
    assert!(lines.iter().any(|l| l["packet"] == "BanchoLoginReply" && l["build"] == 20130815));
    let sessions = capture::read(BufReader::new(std::fs::File::open(&capture).unwrap())).unwrap();
    assert_eq!(sessions.len(), 2);
    for session in &sessions {
        assert!(!session.bytes(Dir::ClientToServer, &[Kind::Login]).is_empty());
        assert!(!session.bytes(Dir::ServerToClient, &[Kind::Data]).is_empty());
        assert!(session.ended);
    }
}

/// Starts `chio proxy` with `args`, returning it and its `listening` lines.
fn start_proxy(args: &[&str]) -> (Running, Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chio"))
        .arg("proxy")
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("chio proxy runs");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (Running(child), rx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_proxy_serves_the_client_api_from_the_traffic() {
    use chio_api::auth::Scope;
    use chio_api::client::ApiClient;
    use chio_api::message::{AuthRequest, AuthState};
    use chio_api::permission::Permissions;

    let server = Loopback::in_memory().await;
    let dir = tempfile::tempdir().unwrap();
    let grants = dir.path().join("grants.db");
    let grants = grants.to_str().unwrap();
    let upstream = server.http_url();
    let addr = |line: String| line.rsplit(' ').next().unwrap().to_owned();
    let request = || AuthRequest::new("overlay", "reads the player", Permissions::READ, Scope::Client);

    let token = {
        let (_proxy, lines) = start_proxy(&[
            "--listen-http",
            "127.0.0.1:0",
            "--upstream-http",
            &upstream,
            "--api",
            "127.0.0.1:0",
            "--api-approve",
            "always",
            "--api-grants",
            grants,
        ]);
        let api = addr(line_with(&lines, "listening api "));
        let http = addr(line_with(&lines, "listening http "));
        let player = Client::login(server.config(20250306, "streamer").with_http(format!("http://{http}")))
            .await
            .unwrap();
        let mut app = ApiClient::connect(api.as_str()).await.unwrap();
        assert_eq!(app.authenticate(request()).await.unwrap(), AuthState::Whitelisted);
        // The API knows the player who logged in through the proxy.
        let deadline = Instant::now() + WAIT;
        while !app.multiplayer_status().await.unwrap().multiplayer_enabled {
            assert!(Instant::now() < deadline, "the API never saw the player");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        player.logout().await.unwrap();
        app.token().unwrap().clone()
    };
    // Restarted, refusing every new approval: the token from before still gets in.
    let (_proxy, lines) = start_proxy(&[
        "--listen-http",
        "127.0.0.1:0",
        "--upstream-http",
        &upstream,
        "--api",
        "127.0.0.1:0",
        "--api-approve",
        "never",
        "--api-grants",
        grants,
    ]);
    let api = addr(line_with(&lines, "listening api "));
    let mut app = ApiClient::connect(api.as_str()).await.unwrap().with_token(token);
    assert_eq!(app.authenticate(request()).await.unwrap(), AuthState::Ok);
    let mut stranger = ApiClient::connect(api.as_str()).await.unwrap();
    assert!(stranger.authenticate(request()).await.is_err(), "a new application is refused");
}
