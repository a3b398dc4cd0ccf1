//! Chat links: the two notations and the rewrite from the modern to the legacy one.
//!
//! Clients up to b20121224 show links written `(text)[url]`; later clients use
//! `[url text]`. A server that stores messages in the modern notation rewrites them for
//! the older clients, as the reference does.

use std::borrow::Cow;

use super::features::MODERN_CHAT_LINKS;

/// A link in the notation of clients up to b20121211: `(text)[url]`.
pub fn legacy_link(text: &str, url: &str) -> String {
    format!("({text})[{url}]")
}

/// A link in the notation of b20121212 and later: `[url text]`.
pub fn modern_link(text: &str, url: &str) -> String {
    format!("[{url} {text}]")
}

/// The link notation a build's client displays (the reference's `format_chat_link`).
pub fn link_for_build(text: &str, url: &str, build: u32) -> String {
    if MODERN_CHAT_LINKS.in_build(build) { modern_link(text, url) } else { legacy_link(text, url) }
}

/// Rewrites every modern link `[http(s)://url text]` in `content` to `(text)[url]`.
///
/// A link is `[`, `http://` or `https://` followed by the URL (no whitespace, no `]`), at
/// least one whitespace character, then text made of characters other than brackets or
/// of `[...]` groups without nested brackets, then `]`. Matches are found left to right
/// and do not overlap; the text is taken as far as it can reach the closing bracket
/// (text around a match, and anything that does not match, is kept).
///
/// ```
/// use chio_packets::events::links::rewrite_modern_links;
/// assert_eq!(
///     rewrite_modern_links("see [https://osu.ppy.sh the site]!"),
///     "see (the site)[https://osu.ppy.sh]!"
/// );
/// assert_eq!(rewrite_modern_links("[not a link]"), "[not a link]");
/// ```
// Inlined, so that a line without a bracket (almost every line) costs no call.
#[inline]
pub fn rewrite_modern_links(content: &str) -> Cow<'_, str> {
    if has_open_bracket(content.as_bytes()) { rewrite_bracketed(content) } else { Cow::Borrowed(content) }
}

/// [`rewrite_modern_links`] for a line with a `[`.
#[cold]
fn rewrite_bracketed(content: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some(offset) = content[at..].find('[') {
        let start = at + offset;
        match match_link(content, start) {
            Some(link) => {
                out.push_str(&content[copied..start]);
                out.push('(');
                out.push_str(link.text);
                out.push_str(")[");
                out.push_str(link.url);
                out.push(']');
                copied = link.end;
                at = link.end;
            }
            None => at = start + 1,
        }
    }
    if copied == 0 {
        return Cow::Borrowed(content);
    }
    out.push_str(&content[copied..]);
    Cow::Owned(out)
}

/// Whether `bytes` holds a `[`, eight bytes at a time: chat lines are short, and the
/// general byte search (`str::find`) spends more on reaching its word loop than such a
/// line takes to scan.
// The last 7 bytes at most are scanned inline too: `contains` would call that search.
#[allow(clippy::manual_contains)]
#[inline]
fn has_open_bracket(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    const BRACKETS: u64 = ONES * b'[' as u64;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let word = word.first_chunk::<8>().map_or(0, |w| u64::from_le_bytes(*w)) ^ BRACKETS;
        // A byte of `word` is zero where `bytes` holds a bracket; the first zero byte
        // sets its high bit here (bytes after it may too, which does not matter).
        if word.wrapping_sub(ONES) & !word & HIGH != 0 {
            return true;
        }
    }
    words.remainder().iter().any(|&b| b == b'[')
}

struct Link<'a> {
    url: &'a str,
    text: &'a str,
    end: usize,
}

/// Matches a modern link starting at the `[` at `start`, with the same outcome as the
/// reference's regular expression (greedy, backtracking: the longest text after which a
/// `]` closes the link).
fn match_link(content: &str, start: usize) -> Option<Link<'_>> {
    let rest = &content[start + 1..];
    let scheme = if rest.starts_with("http://") {
        7
    } else if rest.starts_with("https://") {
        8
    } else {
        return None;
    };
    // Every quantifier of the pattern is greedy, and none can usefully give characters
    // back: the URL stops only at whitespace or `]`, the whitespace run only before a
    // non-space, and a shorter text would be followed by the first character of a token,
    // which is never `]`. So a single left-to-right scan decides the match.
    let url_len =
        scheme + rest[scheme..].find(|c: char| is_space(c) || c == ']').unwrap_or(rest.len() - scheme);
    if url_len == scheme {
        return None;
    }
    let url = &rest[..url_len];
    let after_url = &rest[url_len..];
    let ws_len = after_url.find(|c: char| !is_space(c)).unwrap_or(after_url.len());
    if ws_len == 0 {
        return None;
    }
    let text_start = start + 1 + url_len + ws_len;
    // The text: characters other than brackets, or `[...]` groups without brackets inside,
    // up to the closing `]`.
    let bytes = content.as_bytes();
    let mut position = text_start;
    loop {
        match bytes.get(position)? {
            b']' => return Some(Link { url, text: &content[text_start..position], end: position + 1 }),
            b'[' => {
                let inner = &content[position + 1..];
                let close = inner.find(['[', ']'])?;
                if inner.as_bytes()[close] != b']' {
                    return None;
                }
                position += close + 2;
            }
            _ => position += content[position..].chars().next().map_or(1, char::len_utf8),
        }
    }
}

/// Whitespace as the reference's pattern (`\s` on a Python `str`) sees it: Unicode
/// whitespace plus the four ASCII separators U+001C–U+001F.
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word scan finds a bracket at every position of every length up to 40, and
    /// none where there is none, among bytes one bit away from it (`Z`, `\`, `{`,
    /// 0xdb, which is `[` with the high bit), other bytes with the high bit (as in UTF-8
    /// text) and the zero byte.
    #[test]
    fn the_word_scan_finds_a_bracket_wherever_it_is() {
        for fill in [b'a', b'Z', b'\\', b'{', 0xdb, 0xdc, 0xc3, 0xff, 0] {
            for len in 0..=40 {
                let mut bytes = vec![fill; len];
                assert!(!has_open_bracket(&bytes), "{fill:#x} × {len}");
                for at in 0..len {
                    bytes[at] = b'[';
                    assert!(has_open_bracket(&bytes), "{fill:#x} × {len}, `[` at {at}");
                    bytes[at] = fill;
                }
            }
        }
    }
}
