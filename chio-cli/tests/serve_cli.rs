//! `chio serve` as a user runs it: accounts added with `users add`, clients of two eras
//! through `chio client`, the bot, and a restart on the same database.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::thread;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

fn chio() -> Command {
    Command::new(env!("CARGO_BIN_EXE_chio"))
}

/// Lines of a child's standard output, as they come.
fn lines(stdout: ChildStdout) -> Receiver<String> {
    let (tx, rx) = channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// The first line containing `needle`, within `WAIT`.
fn line_with(rx: &Receiver<String>, needle: &str) -> String {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return line,
            Ok(_) => {}
            Err(e) => panic!("no line with {needle:?}: {e}"),
        }
    }
}

struct Serve {
    child: Child,
    tcp: String,
    http: String,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &Path) -> Serve {
    let mut child = chio()
        .args(["serve", "--tcp", "127.0.0.1:0", "--http", "127.0.0.1:0", "--db"])
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = lines(child.stdout.take().unwrap());
    let tcp = line_with(&out, "listening tcp ").trim_start_matches("listening tcp ").to_owned();
    let http = line_with(&out, "listening http ").trim_start_matches("listening http ").to_owned();
    Serve { child, tcp, http: format!("http://{http}") }
}

/// Starts `chio client` with its standard input open.
fn client(server: &str, build: &str, user: &str, password: &str) -> (Child, Receiver<String>) {
    let mut child = chio()
        .args(["client", "--server", server, "--build", build, "--user", user, "--password", password])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = lines(child.stdout.take().unwrap());
    (child, out)
}

fn send(child: &mut Child, line: &str) {
    writeln!(child.stdin.as_mut().unwrap(), "{line}").unwrap();
}

#[test]
fn users_clients_the_bot_and_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("serve.db");
    let add = |name: &str| {
        chio()
            .args(["serve", "users", "add", name, "--password", "hunter2", "--db"])
            .arg(&db)
            .output()
            .unwrap()
    };
    let added = add("peppy");
    assert!(added.status.success(), "{added:?}");
    assert_eq!(String::from_utf8_lossy(&added.stdout).trim(), "registered peppy as user 1000");
    assert!(!add("Peppy").status.success(), "the same safe name twice");
    assert!(add("Cookiezi").status.success());

    let server = serve(&db);
    // A 2009 TCP client and a modern HTTP one.
    let (mut old, old_out) = client(&server.tcp, "1000", "Cookiezi", "hunter2");
    line_with(&old_out, "\"BanchoLoginReply\"");
    let (mut new, new_out) = client(&server.http, "20250306", "peppy", "hunter2");
    line_with(&new_out, r#""data":1000"#);
    send(&mut old, "say #osu hello from 2009");
    line_with(&new_out, "hello from 2009");
    // The bot answers in the channel.
    send(&mut new, "say #osu !roll 6");
    let roll = line_with(&old_out, "rolls");
    assert!(roll.contains(r#""sender":"BanchoBot""#), "{roll}");
    // A friend, kept across the restart.
    send(&mut new, "friend-add 1001");
    thread::sleep(Duration::from_millis(500));
    drop(new.stdin.take());
    assert!(new.wait().unwrap().success());
    drop(old.stdin.take());
    assert!(old.wait().unwrap().success());

    // Unknown names are refused without --open-registration.
    let refused = chio()
        .args([
            "client",
            "--server",
            &server.http,
            "--build",
            "20250306",
            "--user",
            "nobody",
            "--password",
            "x",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("refused"), "{refused:?}");

    drop(server);
    let server = serve(&db);
    let (mut again, again_out) = client(&server.http, "20250306", "peppy", "hunter2");
    let friends = line_with(&again_out, "BanchoFriendsList");
    assert!(friends.contains("[1001]"), "{friends}");
    drop(again.stdin.take());
    assert!(again.wait().unwrap().success());
}
