//! The storage building block: `SqliteStorage` through the `Storage` trait.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::thread;

use argon2::password_hash::phc::PasswordHash;
use argon2::{Argon2, PasswordVerifier};
use chio_server::storage::{Account, FIRST_USER_ID, PasswordPolicy, SqliteStorage, Storage, StorageError};

/// MD5 of "password", as a client sends it.
const MD5: &str = "5f4dcc3b5aa765d61d8327deb882cf99";
/// MD5 of "hunter2".
const OTHER_MD5: &str = "2ab96390c7dbe3439de74d0c9b0b1767";

fn memory() -> SqliteStorage {
    SqliteStorage::in_memory(PasswordPolicy::FAST_FOR_TESTS).unwrap()
}

fn stored_hash(path: &std::path::Path, id: i32) -> Option<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("SELECT password_hash FROM accounts WHERE id = ?1", [id], |r| r.get(0)).unwrap()
}

#[test]
fn register_then_authenticate() {
    let storage = memory();
    let account = storage.register("Some User", MD5).unwrap();
    assert_eq!(account.id, FIRST_USER_ID);
    assert_eq!(account.name, "Some User");
    assert_eq!(account.permissions, Account::DEFAULT_PERMISSIONS);
    assert_eq!(account.permissions, 1 | 4);
    assert_eq!(account.country, 0);
    assert!(account.created_at > 1_700_000_000);
    assert!(!account.is_system());

    assert_eq!(storage.authenticate("Some User", MD5).unwrap(), Some(account.clone()));
    // Names compare as safe names; the digest's case does not matter.
    assert_eq!(storage.authenticate("some_user", &MD5.to_uppercase()).unwrap(), Some(account.clone()));
    assert_eq!(storage.authenticate("Some User", OTHER_MD5).unwrap(), None, "wrong password");
    assert_eq!(storage.authenticate("Nobody", MD5).unwrap(), None, "unknown name");
    assert_eq!(storage.authenticate("not a valid name!", MD5).unwrap(), None, "invalid name");
    assert!(matches!(storage.authenticate("Some User", "password"), Err(StorageError::InvalidPasswordMd5)));

    let second = storage.register("peppy", OTHER_MD5).unwrap();
    assert_eq!(second.id, FIRST_USER_ID + 1);
    assert_eq!(storage.authenticate("peppy", OTHER_MD5).unwrap(), Some(second));
    assert_eq!(storage.authenticate("peppy", MD5).unwrap(), None);
}

#[test]
fn lookups_and_updates() {
    let storage = memory();
    let account = storage.register("Some User", MD5).unwrap();
    assert_eq!(storage.account(account.id).unwrap(), Some(account.clone()));
    assert_eq!(storage.account(account.id + 1).unwrap(), None);
    assert_eq!(storage.account_by_name("SOME_USER").unwrap(), Some(account.clone()));
    assert_eq!(storage.account_by_name("some user").unwrap(), Some(account.clone()));
    assert_eq!(storage.account_by_name("someuser").unwrap(), None);

    storage.set_permissions(account.id, 1 | 2 | 16).unwrap();
    storage.set_country(account.id, 111).unwrap();
    let updated = storage.account(account.id).unwrap().unwrap();
    assert_eq!((updated.permissions, updated.country), (1 | 2 | 16, 111));
    assert_eq!(storage.authenticate("Some User", MD5).unwrap(), Some(updated));

    assert!(matches!(storage.set_permissions(999_999, 1), Err(StorageError::UnknownAccount(999_999))));
    assert!(matches!(storage.set_country(999_999, 1), Err(StorageError::UnknownAccount(999_999))));
}

#[test]
fn safe_names_collide() {
    let storage = memory();
    storage.register("Some User", MD5).unwrap();
    for taken in ["some_user", "SOME USER", "some user", "Some_User"] {
        match storage.register(taken, OTHER_MD5) {
            Err(StorageError::NameTaken(name)) => assert_eq!(name, taken),
            other => panic!("{taken:?}: {other:?}"),
        }
    }
    // The failed attempts took no id.
    assert_eq!(storage.register("someone else", MD5).unwrap().id, FIRST_USER_ID + 1);
}

#[test]
fn invalid_names_and_digests_are_rejected() {
    let storage = memory();
    let long = "x".repeat(33);
    for name in ["", " padded", "padded ", long.as_str(), "tab\there", "who?", "ünïcode"] {
        assert!(matches!(storage.register(name, MD5), Err(StorageError::InvalidName { .. })), "{name:?}");
    }
    assert!(storage.register(&"x".repeat(32), MD5).is_ok());
    assert!(storage.register("x", MD5).is_ok());
    for md5 in ["", "password", &MD5[..31], &format!("{MD5}a"), "g4dcc3b5aa765d61d8327deb882cf99g"] {
        assert!(matches!(storage.register("fine", md5), Err(StorageError::InvalidPasswordMd5)), "{md5:?}");
    }
    assert_eq!(storage.account_by_name("fine").unwrap(), None);
}

#[test]
fn system_accounts() {
    let storage = memory();
    let bot = storage.register_system(1, "BanchoBot").unwrap();
    assert_eq!(bot.id, 1);
    assert!(bot.is_system());
    // Again at the next start: the same account.
    assert_eq!(storage.register_system(1, "banchobot").unwrap(), bot);
    assert!(matches!(storage.register_system(1, "OtherBot"), Err(StorageError::IdTaken(1))));
    assert!(storage.register_system(2, "Bancho Bot").is_ok());
    assert!(matches!(storage.register_system(3, "BANCHOBOT"), Err(StorageError::NameTaken(_))));
    for id in [0, -1, FIRST_USER_ID, i32::MAX] {
        assert!(
            matches!(storage.register_system(id, "Bot"), Err(StorageError::InvalidSystemId(i)) if i == id)
        );
    }
    assert!(matches!(storage.register("BanchoBot", MD5), Err(StorageError::NameTaken(_))));
    // No password: every attempt fails.
    assert_eq!(storage.authenticate("BanchoBot", MD5).unwrap(), None);
    assert_eq!(storage.authenticate("BanchoBot", &"0".repeat(32)).unwrap(), None);
    // Players still start at FIRST_USER_ID, and their id is not a system id.
    let player = storage.register("player", MD5).unwrap();
    assert_eq!(player.id, FIRST_USER_ID);
    assert!(matches!(
        storage.register_system(FIRST_USER_ID, "player"),
        Err(StorageError::InvalidSystemId(_))
    ));
}

#[test]
fn friends() {
    let storage = memory();
    let a = storage.register("a", MD5).unwrap().id;
    let b = storage.register("b", MD5).unwrap().id;
    let c = storage.register("c", MD5).unwrap().id;
    assert_eq!(storage.friends(a).unwrap(), Vec::<i32>::new());

    assert!(storage.add_friend(a, c).unwrap());
    assert!(storage.add_friend(a, b).unwrap());
    assert!(!storage.add_friend(a, b).unwrap(), "adding twice changes nothing");
    assert_eq!(storage.friends(a).unwrap(), vec![b, c]);
    assert_eq!(storage.friends(b).unwrap(), Vec::<i32>::new(), "one way, as in osu!");

    assert!(matches!(storage.add_friend(a, a), Err(StorageError::FriendSelf(id)) if id == a));
    assert!(matches!(storage.add_friend(a, 4242), Err(StorageError::UnknownAccount(4242))));
    assert!(matches!(storage.add_friend(4242, a), Err(StorageError::UnknownAccount(4242))));
    assert!(matches!(storage.friends(4242), Err(StorageError::UnknownAccount(4242))));
    assert!(matches!(storage.remove_friend(4242, a), Err(StorageError::UnknownAccount(4242))));

    assert!(storage.remove_friend(a, b).unwrap());
    assert!(!storage.remove_friend(a, b).unwrap(), "removing twice changes nothing");
    assert!(!storage.remove_friend(a, 4242).unwrap(), "removing a stranger changes nothing");
    assert_eq!(storage.friends(a).unwrap(), vec![c]);

    let bot = storage.register_system(1, "BanchoBot").unwrap().id;
    assert!(storage.add_friend(a, bot).unwrap());
    assert_eq!(storage.friends(a).unwrap(), vec![bot, c]);
}

#[test]
fn stored_hash_is_argon2id_of_the_md5() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bancho.db");
    let storage = SqliteStorage::open(&path, PasswordPolicy::FAST_FOR_TESTS).unwrap();
    let id = storage.register("Some User", MD5).unwrap().id;
    let bot = storage.register_system(1, "BanchoBot").unwrap().id;

    let hash = stored_hash(&path, id).expect("a player has a hash");
    assert_ne!(hash, MD5);
    assert!(!hash.contains(MD5));
    assert!(hash.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{hash}");
    let phc = PasswordHash::new(&hash).unwrap();
    assert!(Argon2::default().verify_password(MD5.as_bytes(), &phc).is_ok());
    assert!(Argon2::default().verify_password(OTHER_MD5.as_bytes(), &phc).is_err());
    assert_eq!(stored_hash(&path, bot), None, "a system account has no hash");

    // Two accounts with one password have different hashes (salted).
    let other = storage.register("other", MD5).unwrap().id;
    assert_ne!(stored_hash(&path, other).unwrap(), hash);
}

#[test]
fn a_policy_change_rehashes_at_login() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bancho.db");
    let id = {
        let storage = SqliteStorage::open(&path, PasswordPolicy::FAST_FOR_TESTS).unwrap();
        storage.register("Some User", MD5).unwrap().id
    };
    let stronger = PasswordPolicy { memory_kib: 64, iterations: 2, parallelism: 1 };
    let storage = SqliteStorage::open(&path, stronger).unwrap();
    assert!(storage.authenticate("Some User", OTHER_MD5).unwrap().is_none());
    assert!(stored_hash(&path, id).unwrap().contains("m=8,t=1,p=1"), "no rehash on a failed login");
    assert!(storage.authenticate("Some User", MD5).unwrap().is_some());
    assert!(stored_hash(&path, id).unwrap().contains("m=64,t=2,p=1"));
    assert!(storage.authenticate("Some User", MD5).unwrap().is_some());
}

#[test]
fn the_default_policy_is_owasp() {
    assert_eq!(PasswordPolicy::default(), PasswordPolicy::OWASP);
    assert_eq!(PasswordPolicy::OWASP, PasswordPolicy { memory_kib: 19_456, iterations: 2, parallelism: 1 });
    let storage = SqliteStorage::in_memory(PasswordPolicy::default()).unwrap();
    storage.register("Some User", MD5).unwrap();
    assert!(storage.authenticate("Some User", MD5).unwrap().is_some());
    assert!(matches!(
        SqliteStorage::in_memory(PasswordPolicy { parallelism: 0, ..PasswordPolicy::OWASP }),
        Err(StorageError::Hash(_))
    ));
}

#[test]
fn data_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bancho.db");
    let (a, b) = {
        let storage = SqliteStorage::open(&path, PasswordPolicy::FAST_FOR_TESTS).unwrap();
        let a = storage.register("Some User", MD5).unwrap();
        let b = storage.register("peppy", OTHER_MD5).unwrap();
        storage.set_permissions(b.id, 1 | 16).unwrap();
        storage.set_country(b.id, 14).unwrap();
        storage.add_friend(a.id, b.id).unwrap();
        (a, storage.account(b.id).unwrap().unwrap())
    };
    let storage = SqliteStorage::open(&path, PasswordPolicy::FAST_FOR_TESTS).unwrap();
    assert_eq!(storage.account(a.id).unwrap(), Some(a.clone()));
    assert_eq!(storage.authenticate("peppy", OTHER_MD5).unwrap(), Some(b.clone()));
    assert_eq!(storage.friends(a.id).unwrap(), vec![b.id]);
    assert_eq!(storage.register("third", MD5).unwrap().id, b.id + 1);

    // Reopening applies no migration twice.
    drop(storage);
    SqliteStorage::open(&path, PasswordPolicy::FAST_FOR_TESTS).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let versions: Vec<i64> = conn
        .prepare("SELECT version FROM schema_version ORDER BY version")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(versions, vec![1]);
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bancho.db");
    drop(SqliteStorage::open(&path, PasswordPolicy::FAST_FOR_TESTS).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (99, 0)", []).unwrap();
    drop(conn);
    match SqliteStorage::open(&path, PasswordPolicy::FAST_FOR_TESTS) {
        Err(StorageError::SchemaTooNew { found: 99, supported: 1 }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn corrupt_rows_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bancho.db");
    let storage = SqliteStorage::open(&path, PasswordPolicy::FAST_FOR_TESTS).unwrap();
    let id = storage.register("Some User", MD5).unwrap().id;
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE accounts SET country = 300 WHERE id = ?1", [id]).unwrap();
    assert!(matches!(storage.account(id), Err(StorageError::CorruptRow(_))));
    conn.execute("UPDATE accounts SET country = 0, password_hash = 'plain' WHERE id = ?1", [id]).unwrap();
    assert!(storage.account(id).unwrap().is_some());
    assert!(matches!(storage.authenticate("Some User", MD5), Err(StorageError::CorruptRow(_))));
}

#[test]
fn concurrent_threads() {
    const THREADS: usize = 8;
    const EACH: usize = 25;
    let dir = tempfile::tempdir().unwrap();
    let storage: Arc<dyn Storage> =
        Arc::new(SqliteStorage::open(dir.path().join("bancho.db"), PasswordPolicy::FAST_FOR_TESTS).unwrap());
    let anchor = storage.register("anchor", MD5).unwrap().id;
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let storage = Arc::clone(&storage);
            thread::spawn(move || {
                let mut ids = Vec::new();
                for i in 0..EACH {
                    let name = format!("user {t} {i}");
                    let account = storage.register(&name, MD5).unwrap();
                    assert_eq!(storage.authenticate(&name, MD5).unwrap().as_ref(), Some(&account));
                    assert!(storage.add_friend(account.id, anchor).unwrap());
                    assert!(storage.add_friend(anchor, account.id).unwrap());
                    // Every thread races for the same name; exactly one wins.
                    match storage.register(&format!("contested {i}"), MD5) {
                        Ok(_) | Err(StorageError::NameTaken(_)) => {}
                        Err(e) => panic!("{e}"),
                    }
                    ids.push(account.id);
                }
                ids
            })
        })
        .collect();
    let ids: Vec<i32> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let unique: HashSet<i32> = ids.iter().copied().collect();
    assert_eq!(unique.len(), THREADS * EACH, "every id handed out once");
    let friends = storage.friends(anchor).unwrap();
    assert_eq!(friends.len(), THREADS * EACH);
    assert_eq!(friends.iter().copied().collect::<HashSet<_>>(), unique);
    for i in 0..EACH {
        assert!(storage.account_by_name(&format!("contested {i}")).unwrap().is_some());
    }
    // anchor, THREADS * EACH users, EACH contested names: ids are dense.
    let last = FIRST_USER_ID + i32::try_from(THREADS * EACH + EACH).unwrap();
    assert!(storage.account(last).unwrap().is_some());
    assert!(storage.account(last + 1).unwrap().is_none());
}

/// The environment variable that makes [`crash_child`] write into the database it names.
const CRASH_DB: &str = "CHIO_SERVER_CRASH_TEST_DB";

/// Not a test on its own: run by [`committed_writes_survive_sigkill`] in a child process,
/// where it registers accounts until killed, printing each id once its write has committed.
#[test]
fn crash_child() {
    let Some(path) = std::env::var_os(CRASH_DB) else { return };
    let storage = SqliteStorage::open(path, PasswordPolicy::FAST_FOR_TESTS).unwrap();
    let first = storage.register("first", MD5).unwrap().id;
    println!("committed {first}");
    for i in 0.. {
        let account = storage.register(&format!("user {i}"), MD5).unwrap();
        storage.add_friend(account.id, first).unwrap();
        // println! flushes at each newline; the parent reads the line only after commit.
        println!("committed {}", account.id);
    }
}

/// The id in a line of [`crash_child`]'s output. libtest's own `test crash_child ... ` may
/// precede the first one on its line.
fn committed_id(line: &str) -> Option<i32> {
    Some(line.rsplit_once("committed ")?.1.parse().unwrap())
}

#[test]
fn committed_writes_survive_sigkill() {
    const BEFORE_KILL: usize = 300;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bancho.db");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CRASH_DB, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut committed = Vec::new();
    while committed.len() < BEFORE_KILL {
        let line = lines.next().expect("the child ended early").unwrap();
        if let Some(id) = committed_id(&line) {
            committed.push(id);
        }
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    // Lines printed before the kill are commits too.
    for line in lines {
        if let Some(id) = committed_id(&line.unwrap()) {
            committed.push(id);
        }
    }

    let conn = rusqlite::Connection::open(&path).unwrap();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    drop(conn);
    let storage = SqliteStorage::open(&path, PasswordPolicy::FAST_FOR_TESTS).unwrap();
    let first = committed[0];
    for &id in &committed {
        assert!(storage.account(id).unwrap().is_some(), "committed account {id} is lost");
        if id != first {
            // The friend write followed the account's own, before the id was printed.
            assert_eq!(storage.friends(id).unwrap(), vec![first]);
        }
    }
    // The database still takes writes after the crash.
    let next = storage.register("after the crash", MD5).unwrap().id;
    assert!(next > *committed.last().unwrap());
}
