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
