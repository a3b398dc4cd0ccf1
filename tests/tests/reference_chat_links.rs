//! Needs the pinned reference (`scripts/reference-env.sh`; see tests/README.md).
//!
//! Link rewriting for old clients against the reference's regular expression, on strings
//! built from the pieces that matter (brackets, schemes, whitespace kinds, groups).

use chio_packets::events::links::{link_for_build, rewrite_modern_links};
use chio_tests::reference;

const PIECES: [&str; 18] = [
    "[",
    "]",
    "http://",
    "https://",
    "osu.ppy.sh",
    " ",
    "\t",
    "\u{1c}",
    "\u{a0}",
    "text",
    "[x]",
    "ä",
    "(",
    ")",
    "[https://a.b c]",
    "[http://x",
    "ftp://",
    "]]",
];

/// Applies the reference's pattern to each input line (JSON list in, JSON list out).
const REWRITE: &str = "import json\nfrom chio.constants import ChatLinkModern\nprint(json.dumps([ChatLinkModern.sub(r'(\\2)[\\1]', s) for s in json.load(sys.stdin)]))";

#[test]
fn rewriting_matches_the_reference_regex() {
    // A small deterministic generator (xorshift), so a failure is reproducible.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let inputs: Vec<String> = (0..4000)
        .map(|_| {
            let len = next() % 9;
            (0..len).map(|_| PIECES[(next() % PIECES.len() as u64) as usize]).collect()
        })
        .collect();
    let output = reference::run_snippet(REWRITE, serde_json::to_string(&inputs).unwrap().as_bytes());
    let expected: Vec<String> = serde_json::from_slice(&output).unwrap();
    let mut rewritten = 0;
    for (input, expected) in inputs.iter().zip(&expected) {
        assert_eq!(&rewrite_modern_links(input), expected, "input {input:?}");
        rewritten += usize::from(input != expected);
    }
    // The generator must actually produce links, or the comparison proves little.
    assert!(rewritten > 200, "only {rewritten} inputs contained a link");
}

#[test]
fn rewriting_examples() {
    let cases = [
        ("[https://osu.ppy.sh osu!]", "(osu!)[https://osu.ppy.sh]"),
        ("a [http://x.y/z?q=1 the [best] map] b", "a (the [best] map)[http://x.y/z?q=1] b"),
        ("[https://x.y  two spaces]", "(two spaces)[https://x.y]"),
        ("[https://x.y]", "[https://x.y]"),
        ("[https://x.y nested [[a]]]", "[https://x.y nested [[a]]]"),
        ("[https://a b][http://c d]", "(b)[https://a](d)[http://c]"),
    ];
    for (input, expected) in cases {
        assert_eq!(rewrite_modern_links(input), expected, "{input}");
    }
    assert_eq!(link_for_build("osu!", "https://osu.ppy.sh", 20121211), "(osu!)[https://osu.ppy.sh]");
    assert_eq!(link_for_build("osu!", "https://osu.ppy.sh", 20121212), "[https://osu.ppy.sh osu!]");
}
