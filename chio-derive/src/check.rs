//! Stage 2 of the pipeline: rules that relate several attributes, one function per rule.
//! Each reports into the [`Ctxt`] at the span of the attribute to blame.

use crate::ctxt::Ctxt;
use crate::ir::{
    Codec, Container, ContainerAttrs, Data, Derive, Direction, Enum, Field, Spanned, Struct, WindowAttr,
    vec_item,
};
use crate::sanitization::RESERVED_PREFIX;

/// Runs every check of an item, in the order its errors are reported.
pub(crate) fn check(cx: &Ctxt, item: &Container<'_>) {
    match &item.data {
        Data::Struct(data) => check_struct(cx, item, data),
        Data::Enum(data) => {
            check_container(cx, &item.attrs, item.derive);
            check_generics(cx, &item.input.generics);
            check_enum(cx, item, data);
        }
        Data::Flags => {
            check_container(cx, &item.attrs, item.derive);
            check_generics(cx, &item.input.generics);
        }
        Data::Unfit => {
            check_container(cx, &item.attrs, item.derive);
            check_fit(cx, item);
        }
    }
}

/// Each derive goes on one kind of item.
fn check_fit(cx: &Ctxt, item: &Container<'_>) {
    let ident = &item.input.ident;
    match item.derive {
        Derive::Packet | Derive::Payload => cx.error_spanned_by(
            ident,
            format!("{} goes on a struct; use BanchoEnum for enums", item.derive.name()),
        ),
        Derive::Enum => {
            cx.error_spanned_by(ident, "BanchoEnum goes on an enum; use BanchoPayload for structs")
        }
        Derive::Flags => {
            cx.error_spanned_by(ident, "BanchoFlags goes on a struct declared with `bitflags!`");
            check_generics(cx, &item.input.generics);
        }
    }
}

/// An enum needs an integer `#[repr]`, unit variants and literal discriminants.
fn check_enum(cx: &Ctxt, item: &Container<'_>, data: &Enum<'_>) {
    if data.repr.is_none() {
        cx.error_spanned_by(
            &item.input.ident,
            "BanchoEnum needs an integer representation: add `#[repr(u8)]` (or i8, u16, i16, u32, i32, i64)",
        );
    }
    for variant in &data.variants {
        if !matches!(variant.syntax.fields, syn::Fields::Unit) {
            cx.error_spanned_by(variant.syntax, "BanchoEnum variants cannot have fields");
        }
        if let Some(expr) = variant.bad_discriminant {
            cx.error_spanned_by(expr, "BanchoEnum discriminants must be integer literals");
        }
    }
}

/// Runs every struct check.
fn check_struct(cx: &Ctxt, item: &Container<'_>, data: &Struct<'_>) {
    check_generics(cx, &item.input.generics);
    check_container(cx, &item.attrs, item.derive);
    check_packet_identity(cx, item);
    for (index, field) in data.fields.iter().enumerate() {
        check_reserved_name(cx, field);
        check_when_uses_earlier_fields(cx, &data.fields[index..], field);
        if field.parse_failed {
            // The windows are incomplete; checking them would only add false errors.
            continue;
        }
        for window in &field.windows {
            check_window_bounds(cx, window);
            check_one_codec(cx, field, window);
            check_count_on_list(cx, field, window);
        }
        check_overlap(cx, field);
        check_default(cx, field);
    }
}

/// Derived types may borrow from the input through one lifetime; type and const
/// parameters are not supported.
fn check_generics(cx: &Ctxt, generics: &syn::Generics) {
    let mut lifetimes = 0;
    for param in &generics.params {
        match param {
            syn::GenericParam::Lifetime(_) => {
                lifetimes += 1;
                if lifetimes > 1 {
                    cx.error_spanned_by(param, "bancho types may have at most one lifetime parameter");
                }
            }
            syn::GenericParam::Type(_) | syn::GenericParam::Const(_) => {
                cx.error_spanned_by(param, "bancho types cannot have type or const parameters");
            }
        }
    }
}

/// Runs the checks of container keys that only some derives take.
fn check_container(cx: &Ctxt, attrs: &ContainerAttrs, derive: Derive) {
    check_container_default(cx, attrs, derive);
    check_large(cx, attrs, derive);
}

/// `#[bancho(default)]` generates `Default` for a struct; enums and flag sets have their
/// own ways to get one.
fn check_container_default(cx: &Ctxt, attrs: &ContainerAttrs, derive: Derive) {
    let Some(span) = attrs.default else { return };
    let hint = match derive {
        Derive::Packet | Derive::Payload => return,
        Derive::Enum => {
            "for an enum, derive `Default` and mark the variant that means \"nothing\" `#[default]`"
        }
        Derive::Flags => "a flag set gets `Default` (no flags) from `#[derive(Default)]` inside `bitflags!`",
    };
    cx.error_at(
        span,
        format!(
            "`#[bancho(default)]` generates `Default` for packet and payload structs, not for `{}` types; {hint}",
            derive.name()
        ),
    );
}

/// `large` lifts the frame cap the server applies to frames a client sends: it belongs on
/// packets `from = client` only.
fn check_large(cx: &Ctxt, attrs: &ContainerAttrs, derive: Derive) {
    let Some(span) = attrs.large else { return };
    let from = attrs.packet.as_ref().and_then(|packet| packet.from.as_ref()).map(|from| from.value);
    match (derive, from) {
        // A missing `from` is reported by the identity check.
        (Derive::Packet, Some(Direction::Client) | None) => {}
        (Derive::Packet, Some(Direction::Server)) => cx.error_at(
            span,
            "`large` applies to packets sent by the client (`from = client`): it lets their frames exceed the client frame cap, which server frames are not under",
        ),
        _ => cx.error_at(
            span,
            format!(
                "`large` applies to packets sent by the client (`#[derive(BanchoPacket)]` with `from = client`), not to `{}` types",
                derive.name()
            ),
        ),
    }
}

/// A packet needs an id and a direction, and its build window must not be empty.
fn check_packet_identity(cx: &Ctxt, item: &Container<'_>) {
    let Some(packet) = &item.attrs.packet else {
        return;
    };
    if item.attrs.parse_failed {
        // A key whose value failed to parse was reported; do not call it missing too.
        return;
    }
    let ident = &item.input.ident;
    if packet.id.is_none() {
        cx.error_spanned_by(ident, "missing `#[bancho(id = ...)]`: the packet's canonical id");
    }
    if packet.from.is_none() {
        cx.error_spanned_by(ident, "missing `#[bancho(from = server)]` or `#[bancho(from = client)]`");
    }
    check_bounds(cx, packet.since.as_ref(), packet.until.as_ref(), "");
}

/// Generated code names its own variables `__chio_*`; fields may not.
fn check_reserved_name(cx: &Ctxt, field: &Field<'_>) {
    if field.name.starts_with(RESERVED_PREFIX) {
        cx.error_at(
            field.span,
            format!("field names starting with `{RESERVED_PREFIX}` are reserved for the generated code"),
        );
    }
}

/// A `when` condition is evaluated while decoding, when only the fields before it exist.
/// `rest` is this field and the ones after it.
fn check_when_uses_earlier_fields(cx: &Ctxt, rest: &[Field<'_>], field: &Field<'_>) {
    for window in &field.windows {
        let Some(when) = &window.when else { continue };
        let mut idents = Vec::new();
        collect_idents(quote::quote!(#when), &mut idents);
        for later in rest {
            if idents.contains(&later.binding) {
                cx.error_spanned_by(
                    when,
                    format!(
                        "`when` of field `{}` uses `{}`, which is decoded after it; a condition may only use earlier fields",
                        field.name, later.name
                    ),
                );
            }
        }
    }
}

fn collect_idents(tokens: proc_macro2::TokenStream, out: &mut Vec<proc_macro2::Ident>) {
    for token in tokens {
        match token {
            proc_macro2::TokenTree::Ident(ident) => out.push(ident),
            proc_macro2::TokenTree::Group(group) => collect_idents(group.stream(), out),
            _ => {}
        }
    }
}

/// `since` must be below `until`, for builds and for protocol versions.
fn check_window_bounds(cx: &Ctxt, window: &WindowAttr) {
    check_bounds(cx, window.since.as_ref(), window.until.as_ref(), "");
    check_bounds(cx, window.since_protocol.as_ref(), window.until_protocol.as_ref(), "_protocol");
}

fn check_bounds<T: PartialOrd + std::fmt::Display>(
    cx: &Ctxt,
    since: Option<&Spanned<T>>,
    until: Option<&Spanned<T>>,
    suffix: &str,
) {
    if let (Some(since), Some(until)) = (since, until)
        && since.value >= until.value
    {
        cx.error_at(
            until.span,
            format!("`until{suffix} = {}` must be above `since{suffix} = {}`", until.value, since.value),
        );
    }
}

/// A window encodes its field one way: `wire`, `count` and `with` exclude each other.
fn check_one_codec(cx: &Ctxt, field: &Field<'_>, window: &WindowAttr) {
    for extra in window.codecs.iter().skip(1) {
        cx.error_at(
            extra.span,
            format!("field `{}`: a window takes one of `wire`, `count` or `with`, not several", field.name),
        );
    }
}

/// `count = ...` applies to `Vec<T>` fields only.
fn check_count_on_list(cx: &Ctxt, field: &Field<'_>, window: &WindowAttr) {
    for codec in &window.codecs {
        if matches!(codec.value, Codec::Count(_)) && vec_item(field.ty).is_none() {
            cx.error_at(
                codec.span,
                format!("field `{}`: `count` applies to `Vec<T>` fields only", field.name),
            );
        }
    }
}

/// Windows are tried in order; one without `when` must not overlap a later one, which it
/// would hide.
fn check_overlap(cx: &Ctxt, field: &Field<'_>) {
    for (i, later) in field.windows.iter().enumerate() {
        for earlier in &field.windows[..i] {
            if earlier.when.is_none() && intersects(earlier, later) {
                cx.error_spanned_by(
                    &later.tokens,
                    format!(
                        "field `{}`: this window overlaps an earlier one ({}); windows of one field must not share a build and protocol version",
                        field.name,
                        describe(earlier)
                    ),
                );
            }
        }
    }
}

/// A field absent from some builds (or only present under `when`) needs `default`; a
/// field on the wire everywhere must not have one.
fn check_default(cx: &Ctxt, field: &Field<'_>) {
    let always_present = covers_everything(&field.windows);
    match (&field.default, always_present) {
        (None, false) => cx.error_spanned_by(
            field.windows.first().map_or_else(|| quote::quote_spanned!(field.span=> _), |w| w.tokens.clone()),
            format!(
                "field `{}` is absent in some builds or protocol versions; add `#[bancho(default)]` or `#[bancho(default = ...)]` for its value there",
                field.name
            ),
        ),
        (Some(default), true) => cx.error_at(
            default.span,
            format!("field `{}` is on the wire in every build, so `default` is never used", field.name),
        ),
        _ => {}
    }
}

/// Build and protocol bounds widened so that "no upper bound" is past every value.
fn bounds(window: &WindowAttr) -> ((u64, u64), (u64, u64)) {
    let (bs, bu) = window.build_bounds();
    let (ps, pu) = window.protocol_bounds();
    let bu = if bu == u32::MAX { 1 << 32 } else { u64::from(bu) };
    let pu = if pu == u8::MAX { 1 << 8 } else { u64::from(pu) };
    ((u64::from(bs), bu), (u64::from(ps), pu))
}

fn intersects(a: &WindowAttr, b: &WindowAttr) -> bool {
    let ((a0, a1), (ap0, ap1)) = bounds(a);
    let ((b0, b1), (bp0, bp1)) = bounds(b);
    a0.max(b0) < a1.min(b1) && ap0.max(bp0) < ap1.min(bp1)
}

/// Whether the unconditional windows cover every (build, protocol) pair. A field with no
/// window attributes is on the wire everywhere.
fn covers_everything(windows: &[WindowAttr]) -> bool {
    if windows.is_empty() {
        return true;
    }
    let rects: Vec<_> = windows.iter().filter(|w| w.when.is_none()).map(bounds).collect();
    let mut build_cuts: Vec<u64> = vec![0, 1 << 32];
    let mut protocol_cuts: Vec<u64> = vec![0, 1 << 8];
    for ((b0, b1), (p0, p1)) in &rects {
        build_cuts.extend([*b0, *b1]);
        protocol_cuts.extend([*p0, *p1]);
    }
    build_cuts.sort_unstable();
    build_cuts.dedup();
    protocol_cuts.sort_unstable();
    protocol_cuts.dedup();
    // Every cell of the grid the bounds cut is inside or outside each rectangle as a whole.
    build_cuts.windows(2).all(|b| {
        protocol_cuts.windows(2).all(|p| {
            rects.iter().any(|((b0, b1), (p0, p1))| *b0 <= b[0] && b[1] <= *b1 && *p0 <= p[0] && p[1] <= *p1)
        })
    })
}

fn describe(window: &WindowAttr) -> String {
    let (bs, bu) = window.build_bounds();
    let (ps, pu) = window.protocol_bounds();
    let builds = match (bs, bu) {
        (0, u32::MAX) => "all builds".to_owned(),
        (s, u32::MAX) => format!("b{s}+"),
        (0, u) => format!("before b{u}"),
        (s, u) => format!("b{s}..b{u}"),
    };
    match (ps, pu) {
        (0, u8::MAX) => builds,
        (s, u8::MAX) => format!("{builds}, protocol >= {s}"),
        (0, u) => format!("{builds}, protocol < {u}"),
        (s, u) => format!("{builds}, protocol {s}..{u}"),
    }
}
