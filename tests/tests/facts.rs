//! Facts about the protocol that could be stated as numbers (the revision count, the
//! packet and type counts) are stated once: in the tables they come from and in the
//! generated reference (`docs/PROTOCOL.md`). Code derives them from the tables; prose
//! elsewhere does not write them, so a new revision or packet edits no prose.

use std::path::{Path, PathBuf};

use chio_packets::build::REVISIONS;
use chio_packets::catalog;

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root").to_path_buf()
}

/// Every `.md` and `.rs` file of the workspace, without build output and recorded data.
fn prose_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        if path.is_dir() {
            if !name.starts_with('.') && !matches!(&*name, "target" | "fixtures" | "snapshots") {
                prose_files(&path, out);
            }
        } else if name.ends_with(".md") || name.ends_with(".rs") {
            out.push(path);
        }
    }
}

/// The numbers written right before `phrase` (for `" revisions"`, the N of `N revisions`), with
/// line breaks and comment markers read as spaces.
fn numbers_before(text: &str, phrase: &str) -> Vec<usize> {
    let flat = text.replace("\n//!", " ").replace("\n///", " ").replace("\n//", " ").replace('\n', " ");
    let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut found = Vec::new();
    for (at, _) in flat.match_indices(phrase) {
        let digits: String =
            flat[..at].chars().rev().take_while(|c| c.is_ascii_digit() || *c == ',').collect::<String>();
        let digits: String = digits.chars().rev().filter(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            found.push(digits.parse().unwrap());
        }
    }
    found
}

/// The files that may state the revision count: the generated reference and the table
/// itself. Everywhere else the count is derived (`REVISIONS.len()`) or not written, so a
/// new revision edits no prose.
const STATES_THE_REVISION_COUNT: [&str; 2] = ["docs/PROTOCOL.md", "chio-core/src/build.rs"];

#[test]
fn the_revision_count_is_stated_only_where_it_is_generated_or_defined() {
    let mut files = Vec::new();
    prose_files(&root(), &mut files);
    let mut checked = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let relative = file.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/");
        for phrase in [" revisions", " builds at which"] {
            for count in numbers_before(&text, phrase) {
                assert!(
                    STATES_THE_REVISION_COUNT.contains(&&*relative),
                    "{relative}: states the revision count ({count}); derive it or leave it out"
                );
                assert_eq!(count, REVISIONS.len(), "{relative}: the revision count");
                checked += 1;
            }
        }
    }
    assert!(checked >= 1, "{checked}");
}

/// The packet and type counts are stated in the generated reference only.
#[test]
fn the_packet_and_type_counts_of_the_docs_match_the_catalog() {
    let packets = catalog::all().map(|info| info.name).collect::<std::collections::BTreeSet<_>>().len();
    let types = catalog::all().count();
    for (file, phrase, expected) in [
        ("docs/PROTOCOL.md", " packets carried by", packets),
        ("docs/PROTOCOL.md", " types. Contents", types),
    ] {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        let found = numbers_before(&text, phrase);
        assert!(!found.is_empty(), "{file}: no count before {phrase:?}");
        for count in found {
            assert_eq!(count, expected, "{file}: the count before {phrase:?}");
        }
    }
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for phrase in [" packets of the reference", " Rust types"] {
        assert!(numbers_before(&readme, phrase).is_empty(), "README.md states a count before {phrase:?}");
    }
}

/// The Rust packet types `chio-packets` declares with `#[derive(... BanchoPacket ...)]`
/// (outside doc examples and test modules).
fn declared_packet_types() -> Vec<String> {
    let mut files = Vec::new();
    prose_files(&root().join("chio-packets/src"), &mut files);
    let mut names = Vec::new();
    for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "rs")) {
        let text = std::fs::read_to_string(file).unwrap();
        let mut derived = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with("#[cfg(test)]") {
                break;
            }
            if line.starts_with("//") {
                continue;
            }
            if line.starts_with("#[derive(") && line.contains("BanchoPacket") {
                derived = true;
            } else if derived && let Some(rest) = line.strip_prefix("pub struct ") {
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                names.push(name);
                derived = false;
            }
        }
    }
    names.sort();
    names
}

/// A packet type that is declared but missing from the catalog (its `packet_enum!` line
/// forgotten) would never be decoded or listed: every declared type must be there.
#[test]
fn every_declared_packet_is_in_the_catalog() {
    let declared = declared_packet_types();
    let mut listed: Vec<String> = catalog::all().map(|info| info.type_name.to_owned()).collect();
    listed.sort();
    listed.dedup();
    assert!(declared.len() > 100, "the scan found too few packets: {declared:?}");
    let missing: Vec<_> = declared.iter().filter(|name| !listed.contains(name)).collect();
    assert!(missing.is_empty(), "declared but not in the catalog: {missing:?}");
    let unknown: Vec<_> = listed.iter().filter(|name| !declared.contains(name)).collect();
    assert!(unknown.is_empty(), "in the catalog but not found declared: {unknown:?}");
}

/// Integration tests that run the pinned reference say so in their file name
/// (`reference_*.rs`), so the ones that need `scripts/reference-env.sh` are visible
/// from the listing (tests/README.md).
#[test]
fn tests_that_run_the_reference_are_named_for_it() {
    let dir = root().join("tests/tests");
    let mut named = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // A call into `chio_tests::reference` (written split so this file does not match).
        let runs_it = ["run", "python"].iter().any(|call| text.contains(&format!("{}::{call}", "reference")));
        assert_eq!(
            runs_it,
            name.starts_with("reference_"),
            "tests/tests/{name}: a test file runs the reference exactly when it is named reference_*.rs"
        );
        named += usize::from(runs_it);
    }
    assert!(named >= 5, "{named}");
}
