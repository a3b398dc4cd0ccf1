//! `chio decode --capture` and `chio replay` on captures of real sessions (recorded by the
//! test relays of `chio-tests`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chio_server::server::ServerConfig;
use chio_tests::loopback::Loopback;
use chio_tests::relay::capture_scenario;
use serde_json::Value;

fn chio() -> Command {
    Command::new(env!("CARGO_BIN_EXE_chio"))
}

/// Runs `chio` with `args` off the runtime's threads (the servers run on them).
async fn run(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || chio().args(&args).output().expect("chio runs"))
        .await
        .expect("joined")
}

async fn capture_file(dir: &Path, build: u32) -> PathBuf {
    let server = Loopback::in_memory().await;
    let capture = capture_scenario(&server, build, "cli").await;
    server.server.shutdown();
    let path = dir.join(format!("b{build}.capture"));
    std::fs::write(&path, capture).expect("written");
    path
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decode_capture_prints_sessions_directions_and_times() {
    let dir = tempfile::tempdir().unwrap();
    let path = capture_file(dir.path(), 1000).await;
    let file = path.display().to_string();
    let output = run(vec!["decode".into(), "--capture".into(), file.clone()]).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    let lines: Vec<Value> =
        text(&output.stdout).lines().map(|line| serde_json::from_str(line).expect("a JSON line")).collect();
    assert!(lines.iter().all(|line| line["session"] == 1 && line["t_ms"].is_u64()));
    // The login comes first, its password hash redacted.
    assert_eq!(lines[0]["dir"], "c2s");
    assert_eq!(lines[0]["login"]["username"], "cli");
    assert_eq!(lines[0]["login"]["password_md5"], "<redacted>");
    assert!(lines[0]["text"].as_str().unwrap().contains("\n<redacted>\n"));
    assert!(!text(&output.stdout).contains(&chio_client::md5_hex(b"cli password")));
    let reply = lines.iter().find(|line| line["packet"] == "BanchoLoginReply").expect("a login reply");
    assert_eq!(reply["dir"], "s2c");
    assert!(lines.iter().any(|line| line["dir"] == "c2s" && line["packet"] == "OsuExit"));

    let output =
        run(vec!["decode".into(), "--capture".into(), file.clone(), "--dir".into(), "s2c".into()]).await;
    assert!(output.status.success());
    assert!(text(&output.stdout).lines().all(|line| line.contains("\"dir\":\"s2c\"")));

    let output = run(vec!["decode".into(), "--capture".into(), file, "--session".into(), "2".into()]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("no session 2"), "{}", text(&output.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_exits_0_when_equal_1_with_the_diff_2_on_errors() {
    let dir = tempfile::tempdir().unwrap();
    for build in [1000, 20250306] {
        let path = capture_file(dir.path(), build).await;
        let file = path.display().to_string();
        // HTTP too: the login body, then poll bodies and response bodies.
        let output = run(vec!["decode".into(), "--capture".into(), file.clone()]).await;
        assert!(output.status.success(), "b{build}: {}", text(&output.stderr));
        let stdout = text(&output.stdout);
        assert!(stdout.lines().next().unwrap().contains("\"password_md5\":\"<redacted>\""), "{stdout}");
        assert!(stdout.contains("\"dir\":\"c2s\",") && stdout.contains("\"packet\":\"OsuExit\""), "{stdout}");
        assert!(
            stdout.contains(
                "\"packet\":\"BanchoChannelJoinSuccess\",\"id\":64,\"compressed\":false,\"data\":\"#lobby\""
            ) || build == 1000,
            "{stdout}"
        );
        let address =
            |server: &Loopback| if build == 1000 { server.tcp.to_string() } else { server.http_url() };

        let fresh = Loopback::in_memory().await;
        let output = run(vec!["replay".into(), file.clone(), "--server".into(), address(&fresh)]).await;
        assert_eq!(
            output.status.code(),
            Some(0),
            "b{build}: {}{}",
            text(&output.stdout),
            text(&output.stderr)
        );
        assert_eq!(text(&output.stdout), "");
        fresh.server.shutdown();

        let fresh = Loopback::in_memory().await;
        let mut args = vec!["replay".into(), file.clone(), "--server".into(), address(&fresh)];
        args.extend(["--unordered", "--timing", "real", "--ignore", "timezone"].map(String::from));
        let output = run(args).await;
        assert_eq!(
            output.status.code(),
            Some(0),
            "b{build}: {}{}",
            text(&output.stdout),
            text(&output.stderr)
        );
        fresh.server.shutdown();

        let welcome =
            ServerConfig { welcome: Some("a server that greets".to_owned()), ..ServerConfig::default() };
        let altered = Loopback::with_config(welcome).await;
        let args =
            vec!["replay".into(), file.clone(), "--server".into(), address(&altered), "--ignore-ids".into()];
        let output = run(args).await;
        assert_eq!(output.status.code(), Some(1), "b{build}: {}", text(&output.stderr));
        let stdout = text(&output.stdout);
        assert!(
            stdout.lines().any(|line| line.starts_with("extra packet ") && line.ends_with(" BanchoAnnounce")),
            "b{build}: {stdout}"
        );
        altered.server.shutdown();
    }
    let path = dir.path().join("b1000.capture").display().to_string();
    let output =
        run(vec!["replay".into(), path.clone(), "--server".into(), "http://127.0.0.1:1".into()]).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("TCP session"), "{}", text(&output.stderr));
    let output = run(vec!["replay".into(), path, "--server".into(), "127.0.0.1:1".into()]).await;
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
}
