//! Tokens as source text, spaced the way people write them, for layouts, docs and
//! messages: `proc_macro2` prints `* action != Status :: Unknown` for
//! `*action != Status::Unknown` and `Cow < 'a , str >` for `Cow<'a, str>`.
//!
//! One printer drops the spaces `proc_macro2` puts between tokens wherever Rust style
//! glues them; which spaces those are depends on whether the tokens are an expression or a
//! type (`a < b` against `Vec<u8>`).

use quote::ToTokens;

/// What the tokens are: it decides where a space between two tokens is kept.
#[derive(Clone, Copy)]
enum Syntax {
    Expr,
    Type,
}

/// An expression as source text (conditions and defaults in layouts).
pub(crate) fn expr(tokens: &impl ToTokens) -> String {
    print(tokens, Syntax::Expr)
}

/// A type as source text (`Cow<'a, str>`).
pub(crate) fn ty(tokens: &impl ToTokens) -> String {
    print(tokens, Syntax::Type)
}

/// A path as source text (`crate::codec`).
pub(crate) fn path(tokens: &impl ToTokens) -> String {
    print(tokens, Syntax::Type)
}

fn print(tokens: &impl ToTokens, syntax: Syntax) -> String {
    let raw = tokens.to_token_stream().to_string();
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let prev = out.chars().last();
            let next = chars.peek().copied();
            let glue = match syntax {
                Syntax::Expr => expr_glue(&out, prev, next),
                Syntax::Type => type_glue(prev, next),
            };
            if glue {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Whether the space between `prev` (the end of `out`) and `next` goes in an expression.
fn expr_glue(out: &str, prev: Option<char>, next: Option<char>) -> bool {
    // `prev` ends a unary `-`, `*`, `!` or `&` (or a run of them, `&&x`) when what comes
    // before the run is an operator or nothing; after an operand the run is binary (`a && b`).
    let unary = matches!(prev, Some('-' | '*' | '!' | '&'))
        && out
            .trim_end_matches(['-', '*', '!', '&'])
            .trim_end()
            .chars()
            .last()
            .is_none_or(|before| "=<>!&|(,[+-*/".contains(before));
    let call = next == Some('(') && prev.is_some_and(|p| p.is_alphanumeric() || p == '_');
    unary
        || call
        || matches!(prev, Some('(' | '[' | '.' | ':'))
        || matches!(next, Some(')' | ']' | ',' | '.' | ':'))
}

/// Whether the space between `prev` and `next` goes in a type or a path.
fn type_glue(prev: Option<char>, next: Option<char>) -> bool {
    matches!(prev, Some('<' | '&' | '(' | '[' | ':' | '\''))
        || matches!(next, Some('<' | '>' | ',' | ')' | ']' | ':' | ';'))
}

#[cfg(test)]
mod tests {
    use quote::quote;

    #[test]
    fn expressions_keep_binary_operators_apart() {
        assert_eq!(super::expr(&quote!(*action != Status::Unknown)), "*action != Status::Unknown");
        assert_eq!(super::expr(&quote!(a < b && f(x, -1))), "a < b && f(x, -1)");
        assert_eq!(super::expr(&quote!(a - -b == &&c)), "a - -b == &&c");
        assert_eq!(super::expr(&quote!(self.mods.contains(Mods::DT))), "self.mods.contains(Mods::DT)");
    }

    #[test]
    fn types_and_paths_glue_their_punctuation() {
        assert_eq!(super::ty(&quote!(Cow<'a, str>)), "Cow<'a, str>");
        assert_eq!(super::ty(&quote!(&'a [u8; 4])), "&'a [u8; 4]");
        assert_eq!(super::path(&quote!(crate::codec::bytes)), "crate::codec::bytes");
        assert_eq!(super::path(&quote!(::chio_packets)), "::chio_packets");
    }
}
