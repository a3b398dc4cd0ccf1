//! Compile-fail UI tests of the derive macros: every attribute mistake must be caught at
//! the right span with a helpful message. One test per category of mistake, plus valid
//! declarations that must compile and round-trip.
//!
//! Regenerate the expected output with
//! `TRYBUILD=overwrite cargo test -p chio-tests --test ui`, then read every `.stderr`.

#[test]
fn windows() {
    trybuild::TestCases::new().compile_fail("ui/windows/*.rs");
}

#[test]
fn defaults() {
    trybuild::TestCases::new().compile_fail("ui/defaults/*.rs");
}

#[test]
fn keys() {
    trybuild::TestCases::new().compile_fail("ui/keys/*.rs");
}

#[test]
fn packets() {
    trybuild::TestCases::new().compile_fail("ui/packets/*.rs");
}

#[test]
fn enums() {
    trybuild::TestCases::new().compile_fail("ui/enums/*.rs");
}

#[test]
fn types() {
    trybuild::TestCases::new().compile_fail("ui/types/*.rs");
}

#[test]
fn accumulated() {
    trybuild::TestCases::new().compile_fail("ui/accumulated/*.rs");
}

#[test]
fn pass() {
    trybuild::TestCases::new().pass("ui/pass/*.rs");
}

#[test]
fn owned() {
    trybuild::TestCases::new().compile_fail("ui/owned/*.rs");
}
