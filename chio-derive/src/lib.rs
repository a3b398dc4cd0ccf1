//! Derive macros for chio-rs: version-aware bancho codecs.
//!
//! Use them through `chio-packets`, which re-exports them; the attribute reference with an
//! example for every key is the `chio_packets::attributes` module.
//!
//! Each derive is a pipeline of three stages:
//! 1. [`ir`]: the item and its `#[bancho(...)]` attributes parsed into one typed IR for
//!    every derive ([`ir::Container`]), collecting every error;
//! 2. [`check`]: one function per rule relating attributes (window bounds, overlaps,
//!    defaults, codec keys, the item's shape), reporting at the offending span;
//! 3. [`codegen`]: `Encode`, `Decode`, `Describe`, `IntoOwned` (and `Packet`, and on
//!    request `Default`) impls, naming every path and local from one table
//!    ([`sanitization`]).
//!
//! Layouts, docs and messages show tokens as source text through one printer ([`source`]).
//!
//! All errors of one item are reported together, serde_derive style (see [`ctxt`]).

mod check;
mod codegen;
mod ctxt;
mod ir;
mod sanitization;
mod source;
mod symbol;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

use crate::ctxt::Ctxt;
use crate::ir::Derive;

/// Derives `Encode`, `Decode`, `Describe`, `Packet` and `IntoOwned` (with an inherent
/// `into_owned`) for a packet struct, and `Default` with `#[bancho(default)]`.
///
/// ```text
/// #[derive(BanchoPacket)]
/// #[bancho(id = 11, from = server, name = "BanchoUserStats")]
/// struct UserStats { /* fields with #[bancho(since = ..., until = ..., wire = ...)] */ }
/// ```
#[proc_macro_derive(BanchoPacket, attributes(bancho))]
pub fn derive_packet(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input, Derive::Packet).into()
}

/// Derives `Encode`, `Decode`, `Describe` and `IntoOwned` (with an inherent `into_owned`)
/// for a payload struct nested in packets, and `Default` with `#[bancho(default)]`.
#[proc_macro_derive(BanchoPayload, attributes(bancho))]
pub fn derive_payload(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input, Derive::Payload).into()
}

/// Derives the codec, `WireCast` to every integer type, `From`/`TryFrom` its repr and
/// `Describe` and `IntoOwned` (the identity) for a fieldless enum with a `#[repr(int)]`.
#[proc_macro_derive(BanchoEnum, attributes(bancho))]
pub fn derive_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input, Derive::Enum).into()
}

/// Derives the codec, `WireCast` to every integer type, `Describe` and `IntoOwned` (the
/// identity) for a `bitflags` flag set. Put it in the `#[derive(...)]` inside `bitflags!`.
#[proc_macro_derive(BanchoFlags, attributes(bancho))]
pub fn derive_flags(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input, Derive::Flags).into()
}

/// The pipeline, the same for every derive.
fn expand(input: &DeriveInput, derive: Derive) -> proc_macro2::TokenStream {
    let cx = Ctxt::new();
    let item = ir::parse(&cx, input, derive);
    check::check(&cx, &item);
    match cx.check() {
        Ok(()) => codegen::expand(&item),
        Err(errors) => errors,
    }
}
