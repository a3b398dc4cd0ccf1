//! Tests that pin bugs that were fixed, one per bug, each saying what went wrong. A bug
//! found later gets its test here (or, when it needs a whole scenario file, a module of
//! its own named in this list); tests of features stay with their feature.
//!
//! Property-test regression seeds (`*.proptest-regressions`) stay next to the property
//! tests that read them.

use chio_packets::catalog;
use chio_packets::layout::{Encoding, Layout};

/// Every field default in the layouts of the catalog's packets and the payloads they
/// carry, as `(type, field, default text)`.
fn defaults() -> Vec<(&'static str, &'static str, &'static str)> {
    fn walk(layout: &'static Layout, seen: &mut Vec<&'static str>, out: &mut Vec<(&str, &str, &str)>) {
        if seen.contains(&layout.name) {
            return;
        }
        seen.push(layout.name);
        for field in layout.fields() {
            if let Some(default) = field.default {
                out.push((layout.name, field.name, default));
            }
            for window in field.windows {
                if let Encoding::Wire(inner) = window.encoding {
                    walk(inner, seen, out);
                }
            }
        }
    }
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for info in catalog::all() {
        walk(info.layout, &mut seen, &mut out);
    }
    out
}

/// Fixed in the derive's source-text printer (commit 50c9d27): a negative default such
/// as `#[bancho(default = -1)]` was recorded as `- 1`, so the generated reference and
/// `chio packets` showed a default nobody wrote. Every numeric default now reads as a
/// number.
#[test]
fn negative_defaults_read_as_written() {
    let defaults = defaults();
    let negative: Vec<_> = defaults.iter().filter(|(_, _, text)| text.starts_with('-')).collect();
    assert!(negative.len() >= 3, "the packets have negative defaults: {negative:?}");
    for (layout, field, text) in negative {
        assert!(text.parse::<i64>().is_ok(), "{layout}.{field}: default {text:?} is not a number as written");
    }
}
