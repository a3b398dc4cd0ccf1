//! Derive macros for chio-rs: version-aware bancho codecs.
//!
//! Use them through `chio-packets`, which re-exports them; the attribute reference with an
//! example for every key is the `chio_packets::attributes` module.
//!
//! Each derive is a pipeline of three stages:
//! 1. [`ir`]: `#[bancho(...)]` attributes parsed into a typed IR, collecting every error;
//! 2. [`check`]: one function per rule relating attributes (window bounds, overlaps,
//!    defaults, codec keys), reporting at the offending span;
//! 3. [`codegen`]: `Encode`, `Decode`, `Describe`, `IntoOwned` (and `Packet`, and on
//!    request `Default`) impls with fully qualified paths.
//!
//! All errors of one item are reported together, serde_derive style (see [`ctxt`]).

mod check;
mod codegen;
mod ctxt;
mod ir;
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
    expand_struct(&input, Derive::Packet).into()
}

/// Derives `Encode`, `Decode`, `Describe` and `IntoOwned` (with an inherent `into_owned`)
/// for a payload struct nested in packets, and `Default` with `#[bancho(default)]`.
#[proc_macro_derive(BanchoPayload, attributes(bancho))]
pub fn derive_payload(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand_struct(&input, Derive::Payload).into()
}

/// Derives the codec, `WireCast` to every integer type, `From`/`TryFrom` its repr and
/// `Describe` and `IntoOwned` (the identity) for a fieldless enum with a `#[repr(int)]`.
#[proc_macro_derive(BanchoEnum, attributes(bancho))]
pub fn derive_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let cx = Ctxt::new();
    let attrs = ir::parse_container(&cx, &input.attrs, Derive::Enum);
    check::check_container(&cx, &attrs, Derive::Enum);
    let item = ir::parse_enum(&cx, &input, attrs);
    match (cx.check(), item) {
        (Ok(()), Some(item)) => codegen::enums::expand(&item).into(),
        (Err(errors), _) => errors.into(),
        (Ok(()), None) => unreachable_error(&input).into(),
    }
}

/// Derives the codec, `WireCast` to every integer type, `Describe` and `IntoOwned` (the
/// identity) for a `bitflags` flag set. Put it in the `#[derive(...)]` inside `bitflags!`.
#[proc_macro_derive(BanchoFlags, attributes(bancho))]
pub fn derive_flags(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let cx = Ctxt::new();
    let attrs = ir::parse_container(&cx, &input.attrs, Derive::Flags);
    check::check_container(&cx, &attrs, Derive::Flags);
    if !matches!(input.data, syn::Data::Struct(_)) {
        cx.error_spanned_by(&input.ident, "BanchoFlags goes on a struct declared with `bitflags!`");
    }
    check::check_generics(&cx, &input.generics);
    match cx.check() {
        Ok(()) => codegen::flags::expand(&input, &attrs).into(),
        Err(errors) => errors.into(),
    }
}

fn expand_struct(input: &DeriveInput, derive: Derive) -> proc_macro2::TokenStream {
    let syn::Data::Struct(data) = &input.data else {
        return syn::Error::new_spanned(
            &input.ident,
            format!("{} goes on a struct; use BanchoEnum for enums", derive.name()),
        )
        .to_compile_error();
    };
    let cx = Ctxt::new();
    let item = ir::parse_struct(&cx, input, data, derive);
    check::check_struct(&cx, &item);
    match cx.check() {
        Ok(()) => codegen::structs::expand(&item),
        Err(errors) => errors,
    }
}

/// Parsing returned nothing without recording why: a bug in the macro, reported politely.
fn unreachable_error(input: &DeriveInput) -> proc_macro2::TokenStream {
    syn::Error::new_spanned(&input.ident, "chio-derive failed without an error message (a bug)")
        .to_compile_error()
}
