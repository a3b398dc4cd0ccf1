//! Stage 3 of the pipeline: code generation from the checked IR.
//!
//! Generated code names every item by its full path from the crate root given by
//! `#[bancho(crate = "...")]` (default `::chio_packets`), so it works in any module of any
//! crate without imports, and marks impls `#[automatically_derived]`.

pub(crate) mod enums;
pub(crate) mod flags;
pub(crate) mod structs;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::ContainerAttrs;

/// Path of the crate the generated code refers to.
pub(crate) fn krate_path(attrs: &ContainerAttrs) -> TokenStream {
    match &attrs.krate {
        Some(path) => quote!(#path),
        None => quote!(::chio_packets),
    }
}

/// An expression as source text, spaced the way people write it: `proc_macro2` prints
/// `* action != Status :: Unknown` for `*action != Status::Unknown`, and layouts show the
/// latter (conditions and defaults in the generated protocol reference).
pub(crate) fn expr_source(tokens: &TokenStream) -> String {
    let raw = tokens.to_string();
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let prev = out.chars().last();
            let next = chars.peek().copied();
            // The operator before `prev`, if `prev` is a unary `-`, `*`, `!` or `&`.
            let unary = matches!(prev, Some('-' | '*' | '!' | '&'))
                && out[..out.len() - 1]
                    .trim_end()
                    .chars()
                    .last()
                    .is_none_or(|before| "=<>!&|(,[+-*/".contains(before));
            let call = next == Some('(') && prev.is_some_and(|p| p.is_alphanumeric() || p == '_');
            let glue = unary
                || call
                || matches!(prev, Some('(' | '[' | '.' | ':'))
                || matches!(next, Some(')' | ']' | ',' | '.' | ':'));
            if glue {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// A type as source text, spaced the way people write it (`Cow<'a, str>`).
pub(crate) fn type_source(ty: &syn::Type) -> String {
    let raw = quote!(#ty).to_string();
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let prev = out.chars().last();
            let next = chars.peek().copied();
            let glue = matches!(prev, Some('<' | '&' | '(' | '[' | ':' | '\''))
                || matches!(next, Some('<' | '>' | ',' | ')' | ']' | ':' | ';'));
            if glue {
                continue;
            }
        }
        out.push(c);
    }
    out
}
