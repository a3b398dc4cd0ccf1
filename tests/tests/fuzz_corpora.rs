//! Every committed corpus file and crash reproducer of the fuzz targets
//! (`fuzz/corpus/<target>/`, `fuzz/regressions/<target>/`), run through the target's own
//! check (`chio_tests::fuzz_checks`), so what fuzzing once found and covered stays fixed
//! and covered without a fuzzer. A failure names the file; see `fuzz/FUZZING.md`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use chio_tests::fuzz_checks::{self, TARGETS, server::PollServer};

/// The committed inputs of `target`: its corpus, then its reproducers, each sorted by
/// name (the server targets keep state from one input to the next, so the order is fixed).
fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut all = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else { continue };
        let mut files: Vec<PathBuf> =
            entries.map(|entry| entry.expect("a directory entry").path()).filter(|p| p.is_file()).collect();
        files.sort();
        all.extend(files);
    }
    assert!(
        !all.is_empty(),
        "fuzz/corpus/{target}/ is empty: minimize and commit the corpus (fuzz/FUZZING.md)"
    );
    all
}

/// Runs every input of `target` through `check`, naming the file that fails.
fn run(target: &str, mut check: impl FnMut(&[u8])) {
    for path in inputs(target) {
        let data = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check(&data))) {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            panic!("{target}: {} fails its check: {message}", path.display());
        }
    }
}

#[test]
fn every_target_has_a_check_here() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let manifest = std::fs::read_to_string(fuzz.join("Cargo.toml")).unwrap();
    let bins: Vec<&str> = manifest
        .lines()
        .filter_map(|line| line.strip_prefix("name = \""))
        .filter_map(|rest| rest.strip_suffix('"'))
        .filter(|name| *name != "chio-fuzz")
        .collect();
    assert_eq!(bins, TARGETS, "fuzz/Cargo.toml's targets and fuzz_checks::TARGETS");
}

#[test]
fn frames() {
    run("frames", fuzz_checks::frames::check);
}

#[test]
fn login_request() {
    run("login_request", fuzz_checks::login_request::check);
}

#[test]
fn client_version() {
    run("client_version", fuzz_checks::client_version::check);
}

#[test]
fn tcp_login() {
    let runtime = fuzz_checks::tcp_login::runtime();
    run("tcp_login", |data| fuzz_checks::tcp_login::check(&runtime, data));
}

#[test]
fn poll_body() {
    let server = PollServer::new();
    run("poll_body", |data| fuzz_checks::poll_body::check(&server, data));
}

#[test]
fn session_packets() {
    let server = PollServer::new();
    run("session_packets", |data| fuzz_checks::session_packets::check(&server, data));
}

#[test]
fn api_frames() {
    run("api_frames", fuzz_checks::api_frames::check);
}

#[test]
fn capture() {
    run("capture", fuzz_checks::capture::check);
}

#[test]
fn roundtrip() {
    run("roundtrip", fuzz_checks::roundtrip::check);
}
