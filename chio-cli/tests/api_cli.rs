//! End-to-end tests of `chio api serve` and `chio api watch`: a real server process on a
//! loopback port the OS picks, and real watcher processes.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long a test waits for a process to say or do something.
const PATIENCE: Duration = Duration::from_secs(10);

/// A running `chio api serve`, killed when dropped.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    addr: String,
    log: mpsc::Receiver<String>,
}

impl Server {
    fn start(approve: &str) -> Self {
        Self::start_with(approve, &[])
    }

    fn start_with(approve: &str, extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_chio"))
            .args(["api", "serve", "--listen", "127.0.0.1:0", "--approve", approve, "--step-ms", "50"])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chio api serve runs");
        let stdin = child.stdin.take();
        let stderr = child.stderr.take().expect("stderr");
        let (lines, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Self { child, stdin, addr: String::new(), log };
        let listening = server.wait_for("listening on ");
        server.addr = listening
            .split("listening on ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .expect("an address")
            .to_owned();
        server
    }

    /// Waits for a log line containing `needle`, and returns it.
    fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => panic!("the server never logged {needle:?}"),
            }
        }
    }

    fn answer(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin");
        writeln!(stdin, "{line}").expect("the server reads its stdin");
        stdin.flush().expect("flush");
    }

    fn watch(&self, extra: &[&str]) -> Child {
        Command::new(env!("CARGO_BIN_EXE_chio"))
            .args(["api", "watch", "--connect", &self.addr])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chio api watch runs")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn finish(child: Child) -> Output {
    let (done, result) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    result.recv_timeout(PATIENCE).expect("the watcher finishes").expect("output")
}

fn lines(output: &Output) -> Vec<Value> {
    std::str::from_utf8(&output.stdout)
        .expect("UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn watch_prints_the_state_then_each_change_and_its_token_works_again() {
    let server = Server::start("always");
    let output = finish(server.watch(&["--count", "6"]));
    assert!(output.status.success(), "{}", stderr(&output));
    let messages = lines(&output);
    assert_eq!(messages.len(), 6);
    let types: Vec<&str> = messages.iter().map(|m| m["type"].as_str().unwrap()).collect();
    assert_eq!(types[..3], ["status", "spectating_status", "multiplayer_status"]);
    for kind in &types[3..] {
        assert!(["status", "spectating_status", "multiplayer_status"].contains(kind), "{kind}");
    }

    let log = stderr(&output);
    assert!(log.contains("authenticated (whitelisted)"), "{log}");
    let token = log.split("token ").nth(1).and_then(|rest| rest.split_whitespace().next()).expect("a token");
    assert_eq!(token.len(), 64);
    let again = finish(server.watch(&["--count", "1", "--token", token]));
    assert!(again.status.success());
    assert!(stderr(&again).contains("authenticated (ok)"), "{}", stderr(&again));
}

#[test]
fn grants_in_a_file_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("grants.sqlite3");
    let path = path.to_str().unwrap();
    let server = Server::start_with("always", &["--grants", path]);
    let output = finish(server.watch(&["--count", "1"]));
    assert!(output.status.success(), "{}", stderr(&output));
    let log = stderr(&output);
    let token = log.split("token ").nth(1).and_then(|rest| rest.split_whitespace().next()).expect("a token");
    let token = token.to_owned();
    drop(server);

    // A new server that would deny anyone: the token still opens.
    let server = Server::start_with("never", &["--grants", path]);
    let again = finish(server.watch(&["--count", "1", "--token", &token]));
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stderr(&again).contains("authenticated (ok)"), "{}", stderr(&again));
}

#[test]
fn serve_announces_its_websocket_endpoint() {
    let server =
        Server::start_with("always", &["--ws", "127.0.0.1:0", "--ws-origin", "http://localhost:3000"]);
    let line = server.wait_for("WebSocket on ws://127.0.0.1:");
    assert!(line.contains("allowed origins: http://localhost:3000"), "{line}");
    // The TCP API is served as before.
    let output = finish(server.watch(&["--count", "1"]));
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn watch_only_the_events_asked_for() {
    let server = Server::start("always");
    let output = finish(server.watch(&["--events", "multiplayer_status", "--count", "3"]));
    assert!(output.status.success(), "{}", stderr(&output));
    for message in lines(&output) {
        assert_eq!(message["type"], "multiplayer_status");
        // A read-only watcher never sees the room password.
        if let Some(room) = message["room"].as_object() {
            assert!(!room.contains_key("password"));
            assert_eq!(room["has_password"], true);
        }
    }
}

#[test]
fn a_denied_watcher_fails_with_one_line() {
    let server = Server::start("never");
    let output = finish(server.watch(&[]));
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert_eq!(stderr(&output).trim(), "chio api watch: authentication refused: denied");
}

#[test]
fn prompt_asks_on_the_terminal() {
    let mut server = Server::start("prompt");
    let watcher = server.watch(&["--count", "3", "--application", "prompted app"]);
    let question = server.wait_for("asks for read|subscribe");
    assert!(question.contains("\"prompted app\""), "{question}");
    server.wait_for("allow it?");
    server.answer("y");
    let output = finish(watcher);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(lines(&output).len(), 3);

    // Blacklisting holds for the next attempt, which is refused without a question.
    let watcher = server.watch(&["--application", "pest"]);
    server.wait_for("allow it?");
    server.answer("b");
    let output = finish(watcher);
    assert!(stderr(&output).contains("authentication refused: blacklisted"), "{}", stderr(&output));
    let output = finish(server.watch(&["--application", "pest"]));
    assert!(stderr(&output).contains("authentication refused: blacklisted"), "{}", stderr(&output));
}

#[test]
fn ctrl_c_disconnects_watchers_with_shutdown() {
    let mut server = Server::start("always");
    let watcher = server.watch(&[]);
    server.wait_for("session 1 open");
    let interrupted = Command::new("kill").args(["-INT", &server.child.id().to_string()]).status();
    assert!(interrupted.expect("kill runs").success());
    let output = finish(watcher);
    assert!(output.status.success(), "{}", stderr(&output));
    let messages = lines(&output);
    assert_eq!(messages.last().unwrap(), &serde_json::json!({"type": "disconnect", "reason": "shutdown"}));
    server.wait_for("shutting down");
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("try_wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());
}

#[test]
fn watch_without_subscribe_is_refused_before_connecting() {
    let output = Command::new(env!("CARGO_BIN_EXE_chio"))
        .args(["api", "watch", "--connect", "127.0.0.1:9", "--permissions", "read"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("needs the subscribe permission"), "{}", stderr(&output));
}

#[test]
fn bad_flags_are_usage_errors() {
    for args in [
        ["api", "watch", "--permissions", "read|admin"],
        ["api", "watch", "--events", "chat"],
        ["api", "serve", "--listen", "nowhere"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_chio")).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
    let output = Command::new(env!("CARGO_BIN_EXE_chio"))
        .args(["api", "serve", "--listen", "0.0.0.0:0", "--approve", "never"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("non-loopback"), "{}", stderr(&output));
}

#[test]
fn help_shows_examples() {
    for command in ["serve", "watch"] {
        let output =
            Command::new(env!("CARGO_BIN_EXE_chio")).args(["api", command, "--help"]).output().unwrap();
        assert!(output.status.success());
        let help = String::from_utf8(output.stdout).unwrap();
        assert!(help.contains("Examples:") && help.contains(&format!("chio api {command}")), "{help}");
    }
}
