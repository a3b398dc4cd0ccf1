//! `chio serve --db PATH` killed with SIGKILL in the middle of a load, then restarted on the
//! same database: every account and friend the server confirmed before the kill is there,
//! and SQLite finds the database intact.
//!
//! What counts as confirmed:
//!
//! - an **account** once its first login was answered with a `LoginReply` carrying its id:
//!   with open registration the server registers the name (one committed transaction)
//!   before it builds that reply;
//! - a **friend** once a direct message to BanchoBot sent *after* the `FriendsAdd` was
//!   answered: the server handles a connection's packets in order, and `FriendsAdd` writes
//!   through to storage (committed) before the next packet is handled.
//!
//! The server has no other persistent state a client can change: permissions and countries
//! are stored but only written by operators (`Storage::set_permissions`), never by a
//! client, so a load cannot exercise them.
//!
//! `cargo test -p chio-cli --test serve_kill -- --nocapture` runs 4 kill cycles and prints
//! the figures; `-- --ignored --nocapture` runs the long version (30 cycles).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chio_client::{Client, ClientConfig};
use chio_packets::ServerPacket;
use chio_packets::events::ChatMessage;
use chio_packets::events::client::ClientEvent;

/// How long anything that should happen may take.
const WAIT: Duration = Duration::from_secs(20);
/// The build of the load's clients: a TCP one, so a kill is seen at once.
const BUILD: u32 = 20121224;
/// Clients logging in at once.
const WORKERS: usize = 4;
/// Accounts logged in again through the restarted server after each kill.
const RELOGINS: usize = 40;

/// A small seeded generator (xorshift64*), so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// What the server confirmed: accounts by name (with their id) and friendships.
#[derive(Debug, Default)]
struct Confirmed {
    accounts: BTreeMap<String, i32>,
    friends: BTreeSet<(i32, i32)>,
}

impl Confirmed {
    fn ids(&self) -> Vec<i32> {
        self.accounts.values().copied().collect()
    }

    fn friends_of(&self, id: i32) -> Vec<i32> {
        self.friends.iter().filter(|(a, _)| *a == id).map(|(_, f)| *f).collect()
    }
}

/// A running `chio serve`, killed on drop.
struct Serve {
    child: Child,
    tcp: SocketAddr,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &Path) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chio"))
        .args(["serve", "--tcp", "127.0.0.1:0", "--http", "none", "--open-registration"])
        .args(["--insecure-fast-passwords", "--db"])
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let tcp = first.trim().strip_prefix("listening tcp ").unwrap_or_else(|| panic!("{first:?}"));
    Serve { tcp: tcp.parse().unwrap(), child }
}

fn password(name: &str) -> String {
    format!("{name} secret")
}

fn config(tcp: SocketAddr, name: &str) -> ClientConfig {
    ClientConfig::new(BUILD, name, password(name)).with_tcp(tcp).with_login_timeout(WAIT)
}

fn dm_bot(text: &str) -> ClientEvent<'static> {
    ClientEvent::PrivateMessage(ChatMessage {
        content: text.to_owned().into(),
        target: "BanchoBot".into(),
        ..ChatMessage::default()
    })
}

/// One load worker: registers new names and befriends known accounts until the server
/// goes away, recording what the server confirmed.
async fn worker(tcp: SocketAddr, round: usize, me: usize, seed: u64, confirmed: Arc<Mutex<Confirmed>>) {
    let mut rng = Rng(seed);
    for n in 0.. {
        let name = format!("k{round}w{me}n{n}");
        let Ok(mut client) = Client::login(config(tcp, &name)).await else { return };
        let id = client.user_id();
        let target = {
            let mut confirmed = confirmed.lock().unwrap();
            confirmed.accounts.insert(name, id);
            let ids = confirmed.ids();
            ids[usize::try_from(rng.below(ids.len() as u64)).unwrap()]
        };
        if target != id {
            let asked = client.send(&ClientEvent::FriendsAdd(target)).await;
            let asked = asked.and(client.send(&dm_bot("!help")).await);
            let answered =
                asked.is_ok() && client.recv_until(WAIT, |p| p.name() == "BanchoMessage").await.is_ok();
            if !answered {
                return;
            }
            confirmed.lock().unwrap().friends.insert((id, target));
        }
        if client.logout().await.is_err() {
            return;
        }
    }
}

/// Runs the load against a fresh `chio serve` and kills it `kill_after` into the load.
fn load_then_kill(
    rt: &tokio::runtime::Runtime,
    db: &Path,
    round: usize,
    rng: &mut Rng,
    confirmed: &Arc<Mutex<Confirmed>>,
) {
    let mut server = serve(db);
    let kill_after = Duration::from_millis(200 + rng.below(1300));
    let seeds: Vec<u64> = (0..WORKERS).map(|_| rng.next() | 1).collect();
    rt.block_on(async {
        let workers: Vec<_> = seeds
            .into_iter()
            .enumerate()
            .map(|(me, seed)| tokio::spawn(worker(server.tcp, round, me, seed, Arc::clone(confirmed))))
            .collect();
        tokio::time::sleep(kill_after).await;
        // SIGKILL: no shutdown, no destructor, no checkpoint.
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        for worker in workers {
            tokio::time::timeout(WAIT, worker).await.expect("a worker hung after the kill").unwrap();
        }
    });
}

/// Opens the database as left by the kill: intact, and holding every confirmed row.
fn check_database(db: &Path, confirmed: &Confirmed) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    // The load's names are lower case without spaces: their own safe names (indexed).
    for (name, id) in &confirmed.accounts {
        let stored: Option<i64> =
            conn.query_row("SELECT id FROM accounts WHERE safe_name = ?1", [name], |r| r.get(0)).ok();
        assert_eq!(stored, Some(i64::from(*id)), "account {name} (id {id}) was lost");
    }
    for (id, friend) in &confirmed.friends {
        let stored: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM friends WHERE account_id = ?1 AND friend_id = ?2)",
                [id, friend],
                |r| r.get(0),
            )
            .unwrap();
        assert!(stored, "friend {friend} of {id} was lost");
    }
}

/// Logs accounts in again through a restarted server: same id, same password, and every
/// confirmed friend in the login burst.
fn check_logins(rt: &tokio::runtime::Runtime, db: &Path, confirmed: &Confirmed, rng: &mut Rng) -> usize {
    let server = serve(db);
    // A sample (the database check above covers every row): up to `RELOGINS` accounts.
    let all: Vec<&String> = confirmed.accounts.keys().collect();
    let mut names = BTreeSet::new();
    for _ in 0..RELOGINS.min(all.len()) {
        names.insert(all[usize::try_from(rng.below(all.len() as u64)).unwrap()]);
    }
    rt.block_on(async {
        for name in &names {
            let mut client = Client::login(config(server.tcp, name)).await.unwrap();
            let id = confirmed.accounts[*name];
            assert_eq!(client.user_id(), id, "{name} logged in as another account");
            let list = client.recv_until(WAIT, |p| p.name() == "BanchoFriendsList").await.unwrap();
            let ServerPacket::BanchoFriendsList(list) = list else { unreachable!() };
            for friend in confirmed.friends_of(id) {
                assert!(list.ids.contains(&friend), "{name}: friend {friend} missing from {:?}", list.ids);
            }
            client.logout().await.unwrap();
        }
    });
    names.len()
}

fn kill_cycles(seed: u64, rounds: usize) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("killed.db");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let mut rng = Rng(seed);
    let confirmed = Arc::new(Mutex::new(Confirmed::default()));
    let started = Instant::now();
    let mut relogins = 0;
    for round in 0..rounds {
        load_then_kill(&rt, &db, round, &mut rng, &confirmed);
        let confirmed = confirmed.lock().unwrap();
        check_database(&db, &confirmed);
        relogins += check_logins(&rt, &db, &confirmed, &mut rng);
    }
    let confirmed = confirmed.lock().unwrap();
    assert!(confirmed.accounts.len() >= rounds, "the load did too little: {confirmed:?}");
    eprintln!(
        "seed {seed:#x}: {rounds} SIGKILL cycles, {} accounts and {} friendships confirmed, all present; \
         integrity_check ok after every kill; {relogins} re-logins checked; {:.1} s",
        confirmed.accounts.len(),
        confirmed.friends.len(),
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn confirmed_accounts_and_friends_survive_sigkill() {
    kill_cycles(0x5eed_c410, 4);
}

/// The long version: `cargo test -p chio-cli --test serve_kill -- --ignored --nocapture`.
#[test]
#[ignore = "about a minute; run by hand"]
fn confirmed_accounts_and_friends_survive_many_sigkills() {
    kill_cycles(0xdead_beef_c410, 30);
}
