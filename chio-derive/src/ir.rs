//! Stage 1 of the pipeline: the item and its `#[bancho(...)]` attributes parsed into one
//! typed IR for every derive, [`Container`], by [`parse`].
//!
//! Parsing records every malformed or unknown key in the [`Ctxt`] and keeps going, so all
//! problems surface in one compile. Rules that relate several attributes live in
//! [`crate::check`], not here.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;
use syn::{Expr, Ident, LitInt, LitStr, Token};

use crate::ctxt::Ctxt;
use crate::symbol::{self, Symbol};
use crate::{sanitization, source};

/// A value from an attribute with the span to blame for it.
#[derive(Clone)]
pub(crate) struct Spanned<T> {
    pub(crate) value: T,
    pub(crate) span: Span,
}

/// Who sends a packet.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Server,
    Client,
}

/// Identity of a packet struct.
pub(crate) struct PacketAttrs {
    pub(crate) name: Option<Spanned<String>>,
    pub(crate) id: Option<Spanned<u16>>,
    pub(crate) from: Option<Spanned<Direction>>,
    pub(crate) since: Option<Spanned<u32>>,
    pub(crate) until: Option<Spanned<u32>>,
}

/// Container-level attributes.
pub(crate) struct ContainerAttrs {
    /// Some value failed to parse (and was reported): skip checks about missing keys.
    pub(crate) parse_failed: bool,
    pub(crate) krate: Option<syn::Path>,
    /// `default`: generate `Default` (structs only; the checks reject it elsewhere).
    pub(crate) default: Option<Span>,
    /// `large`: the packet may use the larger frame cap (client packets only; the checks
    /// reject it elsewhere).
    pub(crate) large: Option<Span>,
    /// Present for `BanchoPacket` only.
    pub(crate) packet: Option<PacketAttrs>,
}

/// How a field is encoded in one window.
pub(crate) enum Codec {
    /// By its own `Encode`/`Decode`.
    Native,
    /// Through `WireCast` to this wire type.
    Wire(syn::Type),
    /// As a list with this count prefix.
    Count(syn::Type),
    /// By the functions of this module.
    With(syn::Path),
}

/// One `#[bancho(...)]` on a field that says where or how the field is on the wire.
pub(crate) struct WindowAttr {
    /// The whole attribute, so errors about the window underline all of it.
    pub(crate) tokens: proc_macro2::TokenStream,
    pub(crate) since: Option<Spanned<u32>>,
    pub(crate) until: Option<Spanned<u32>>,
    pub(crate) since_protocol: Option<Spanned<u8>>,
    pub(crate) until_protocol: Option<Spanned<u8>>,
    /// Every codec key given; the checks reject more than one.
    pub(crate) codecs: Vec<Spanned<Codec>>,
    pub(crate) when: Option<Expr>,
}

impl WindowAttr {
    pub(crate) fn build_bounds(&self) -> (u32, u32) {
        (self.since.as_ref().map_or(0, |s| s.value), self.until.as_ref().map_or(u32::MAX, |s| s.value))
    }

    pub(crate) fn protocol_bounds(&self) -> (u8, u8) {
        (
            self.since_protocol.as_ref().map_or(0, |s| s.value),
            self.until_protocol.as_ref().map_or(u8::MAX, |s| s.value),
        )
    }

    pub(crate) fn codec(&self) -> &Codec {
        self.codecs.first().map_or(&Codec::Native, |c| &c.value)
    }
}

/// The value a field takes where it is absent.
pub(crate) enum DefaultValue {
    /// `default`: `Default::default()`.
    Trait,
    /// `default = expr`.
    Expr(Expr),
}

/// One field with its parsed attributes.
pub(crate) struct Field<'a> {
    /// Local variable bound to the field in generated code.
    pub(crate) binding: Ident,
    /// Name in paths and layouts.
    pub(crate) name: String,
    pub(crate) ty: &'a syn::Type,
    pub(crate) windows: Vec<WindowAttr>,
    pub(crate) default: Option<Spanned<DefaultValue>>,
    pub(crate) span: Span,
    /// Some value failed to parse (and was reported): skip checks about windows and defaults.
    pub(crate) parse_failed: bool,
}

/// An item being derived: the one IR every derive produces, from [`parse`].
pub(crate) struct Container<'a> {
    pub(crate) input: &'a syn::DeriveInput,
    pub(crate) derive: Derive,
    pub(crate) attrs: ContainerAttrs,
    pub(crate) data: Data<'a>,
}

/// What the derive found in the item.
pub(crate) enum Data<'a> {
    /// A packet or payload struct.
    Struct(Struct<'a>),
    /// A fieldless enum.
    Enum(Enum<'a>),
    /// A `bitflags` flag set: the derive uses only the `bitflags::Flags` trait, so it needs
    /// nothing from the item but its name.
    Flags,
    /// Not the kind of item the derive goes on (reported by the checks).
    Unfit,
}

/// A struct's fields.
pub(crate) struct Struct<'a> {
    pub(crate) fields: Vec<Field<'a>>,
    pub(crate) style: Style,
}

/// The struct's syntax.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Named,
    Tuple,
    Unit,
}

impl Struct<'_> {
    /// A newtype (one unnamed field) is transparent: its field adds no path segment.
    pub(crate) fn is_newtype(&self) -> bool {
        self.style == Style::Tuple && self.fields.len() == 1
    }
}

/// A fieldless enum: its repr and each variant with its value.
pub(crate) struct Enum<'a> {
    /// The integer `#[repr]`, if it has one of [`ENUM_REPRS`] (the checks require it).
    pub(crate) repr: Option<Ident>,
    pub(crate) variants: Vec<Variant<'a>>,
}

/// One enum variant.
pub(crate) struct Variant<'a> {
    pub(crate) syntax: &'a syn::Variant,
    /// Its explicit literal, or one more than the previous variant.
    pub(crate) value: i128,
    /// The discriminant when it is not an integer literal (the checks reject it).
    pub(crate) bad_discriminant: Option<&'a Expr>,
}

impl Variant<'_> {
    pub(crate) fn ident(&self) -> &Ident {
        &self.syntax.ident
    }
}

/// Which derive is running: it decides which container keys are allowed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Derive {
    Packet,
    Payload,
    Enum,
    Flags,
}

impl Derive {
    /// The derive's name, for messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Packet => "BanchoPacket",
            Self::Payload => "BanchoPayload",
            Self::Enum => "BanchoEnum",
            Self::Flags => "BanchoFlags",
        }
    }
}

/// Parses an item for `derive`: the single entry point of the stage.
///
/// A struct derive on anything but a struct reports only that, so the item's attributes
/// are not parsed for it.
pub(crate) fn parse<'a>(cx: &Ctxt, input: &'a syn::DeriveInput, derive: Derive) -> Container<'a> {
    let is_struct = matches!(input.data, syn::Data::Struct(_));
    if matches!(derive, Derive::Packet | Derive::Payload) && !is_struct {
        return Container { input, derive, attrs: ContainerAttrs::empty(derive), data: Data::Unfit };
    }
    // Container attributes first: their errors come before the fields'.
    let attrs = parse_container(cx, &input.attrs, derive);
    let data = match (derive, &input.data) {
        (Derive::Packet | Derive::Payload, syn::Data::Struct(data)) => Data::Struct(parse_struct(cx, data)),
        (Derive::Enum, syn::Data::Enum(data)) => Data::Enum(parse_enum(input, data)),
        (Derive::Flags, syn::Data::Struct(_)) => Data::Flags,
        _ => Data::Unfit,
    };
    Container { input, derive, attrs, data }
}

/// Parses a struct's field attributes.
fn parse_struct<'a>(cx: &Ctxt, data: &'a syn::DataStruct) -> Struct<'a> {
    let style = match data.fields {
        syn::Fields::Named(_) => Style::Named,
        syn::Fields::Unnamed(_) => Style::Tuple,
        syn::Fields::Unit => Style::Unit,
    };
    let fields = data.fields.iter().enumerate().map(|(i, f)| parse_field(cx, i, f)).collect();
    Struct { fields, style }
}

impl ContainerAttrs {
    fn empty(derive: Derive) -> Self {
        Self {
            parse_failed: false,
            krate: None,
            default: None,
            large: None,
            packet: (derive == Derive::Packet).then_some(PacketAttrs {
                name: None,
                id: None,
                from: None,
                since: None,
                until: None,
            }),
        }
    }
}

/// Parses container attributes: packet keys on packets, `default` on payloads, `crate`
/// everywhere. `default` and `large` are parsed on every derive, so that the checks can
/// say where they belong instead of calling them unknown.
fn parse_container(cx: &Ctxt, attrs: &[syn::Attribute], derive: Derive) -> ContainerAttrs {
    let mut out = ContainerAttrs::empty(derive);
    let mut failed = false;
    for attr in attrs.iter().filter(|a| a.path() == symbol::BANCHO) {
        let result = attr.parse_nested_meta(|meta| {
            let key = &meta.path;
            if key == symbol::CRATE {
                let lit: LitStr = meta.value()?.parse()?;
                match lit.parse::<syn::Path>() {
                    Ok(path) => set_once(cx, &mut out.krate, path, &meta, symbol::CRATE),
                    Err(_) => {
                        failed = true;
                        cx.error_spanned_by(&lit, "expected a path, such as `crate = \"chio_packets\"`");
                    }
                }
                return Ok(());
            }
            if key == symbol::DEFAULT {
                if let Some(span) = parse_flag(cx, &meta, symbol::DEFAULT)? {
                    set_once(cx, &mut out.default, span, &meta, symbol::DEFAULT);
                }
                return Ok(());
            }
            if key == symbol::LARGE {
                if let Some(span) = parse_flag(cx, &meta, symbol::LARGE)? {
                    set_once(cx, &mut out.large, span, &meta, symbol::LARGE);
                }
                return Ok(());
            }
            let Some(packet) = out.packet.as_mut() else {
                let known = if derive == Derive::Payload { symbol::PAYLOAD_KEYS } else { symbol::TYPE_KEYS };
                return unknown_key(cx, &meta, known);
            };
            if key == symbol::NAME {
                let expr: Expr = meta.value()?.parse()?;
                match ungroup(&expr) {
                    Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(lit), .. }) => {
                        let value = Spanned { value: lit.value(), span: lit.span() };
                        set_once(cx, &mut packet.name, value, &meta, symbol::NAME);
                    }
                    _ => {
                        failed = true;
                        cx.error_spanned_by(
                            &expr,
                            "expected the packet name as a string, such as `name = \"BanchoPing\"`",
                        );
                    }
                }
            } else if key == symbol::ID {
                if let Some(value) = parse_int::<u16>(cx, &mut failed, &meta, "a packet id (u16)")? {
                    set_once(cx, &mut packet.id, value, &meta, symbol::ID);
                }
            } else if key == symbol::FROM {
                let expr: Expr = meta.value()?.parse()?;
                let direction = match &expr {
                    Expr::Path(path) if path.path.is_ident("server") => Some(Direction::Server),
                    Expr::Path(path) if path.path.is_ident("client") => Some(Direction::Client),
                    _ => None,
                };
                match direction {
                    Some(value) => {
                        let value = Spanned { value, span: expr.span() };
                        set_once(cx, &mut packet.from, value, &meta, symbol::FROM);
                    }
                    None => {
                        failed = true;
                        cx.error_spanned_by(&expr, "expected `from = server` or `from = client`");
                    }
                }
            } else if key == symbol::SINCE {
                if let Some(value) = parse_int::<u32>(cx, &mut failed, &meta, "a build number (u32)")? {
                    set_once(cx, &mut packet.since, value, &meta, symbol::SINCE);
                }
            } else if key == symbol::UNTIL {
                if let Some(value) = parse_until_build(cx, &mut failed, &meta)? {
                    set_once(cx, &mut packet.until, value, &meta, symbol::UNTIL);
                }
            } else {
                return unknown_key(cx, &meta, symbol::PACKET_KEYS);
            }
            Ok(())
        });
        if let Err(err) = result {
            failed = true;
            cx.syn_error(err);
        }
    }
    out.parse_failed = failed;
    out
}

fn parse_field<'a>(cx: &Ctxt, index: usize, field: &'a syn::Field) -> Field<'a> {
    let (binding, name) = match &field.ident {
        Some(ident) => (ident.clone(), syn::ext::IdentExt::unraw(ident).to_string()),
        None => (quote::format_ident!("{}{}", sanitization::FIELD_PREFIX, index), index.to_string()),
    };
    let mut out = Field {
        binding,
        name,
        ty: &field.ty,
        windows: Vec::new(),
        default: None,
        span: field.span(),
        parse_failed: false,
    };
    let mut failed = false;
    for attr in field.attrs.iter().filter(|a| a.path() == symbol::BANCHO) {
        let mut window = WindowAttr {
            tokens: quote::ToTokens::to_token_stream(attr),
            since: None,
            until: None,
            since_protocol: None,
            until_protocol: None,
            codecs: Vec::new(),
            when: None,
        };
        let mut is_window = false;
        let result = attr.parse_nested_meta(|meta| {
            let key = &meta.path;
            if key == symbol::DEFAULT {
                let value = if meta.input.peek(Token![=]) {
                    DefaultValue::Expr(meta.value()?.parse()?)
                } else {
                    DefaultValue::Trait
                };
                let value = Spanned { value, span: meta.path.span() };
                set_once(cx, &mut out.default, value, &meta, symbol::DEFAULT);
                return Ok(());
            }
            is_window = true;
            if key == symbol::SINCE {
                if let Some(value) = parse_int::<u32>(cx, &mut failed, &meta, "a build number (u32)")? {
                    set_once(cx, &mut window.since, value, &meta, symbol::SINCE);
                }
            } else if key == symbol::UNTIL {
                if let Some(value) = parse_until_build(cx, &mut failed, &meta)? {
                    set_once(cx, &mut window.until, value, &meta, symbol::UNTIL);
                }
            } else if key == symbol::SINCE_PROTOCOL {
                if let Some(value) = parse_int::<u8>(cx, &mut failed, &meta, "a protocol version (u8)")? {
                    set_once(cx, &mut window.since_protocol, value, &meta, symbol::SINCE_PROTOCOL);
                }
            } else if key == symbol::UNTIL_PROTOCOL {
                if let Some(value) = parse_int::<u8>(cx, &mut failed, &meta, "a protocol version (u8)")? {
                    if value.value == u8::MAX {
                        failed = true;
                        cx.error_at(value.span, "`until_protocol = 255` would read as \"no upper bound\"; leave `until_protocol` out for an open window");
                    } else {
                        set_once(cx, &mut window.until_protocol, value, &meta, symbol::UNTIL_PROTOCOL);
                    }
                }
            } else if key == symbol::WIRE {
                let span = meta.path.span();
                let ty: syn::Type = meta.value()?.parse()?;
                window.codecs.push(Spanned { value: Codec::Wire(ty), span });
            } else if key == symbol::COUNT {
                let span = meta.path.span();
                let ty: syn::Type = meta.value()?.parse()?;
                window.codecs.push(Spanned { value: Codec::Count(ty), span });
            } else if key == symbol::WITH {
                let span = meta.path.span();
                let path: syn::Path = meta.value()?.parse()?;
                window.codecs.push(Spanned { value: Codec::With(path), span });
            } else if key == symbol::WHEN {
                let expr: Expr = meta.value()?.parse()?;
                set_once(cx, &mut window.when, expr, &meta, symbol::WHEN);
            } else {
                is_window = false;
                return unknown_key(cx, &meta, symbol::FIELD_KEYS);
            }
            Ok(())
        });
        if let Err(err) = result {
            failed = true;
            cx.syn_error(err);
        }
        if is_window {
            out.windows.push(window);
        }
    }
    out.parse_failed = failed;
    out
}

/// Records an unknown key and skips its value so parsing can go on.
fn unknown_key(cx: &Ctxt, meta: &ParseNestedMeta<'_>, known: &[Symbol]) -> syn::Result<()> {
    let path = &meta.path;
    let key = source::path(path);
    cx.error_spanned_by(
        &meta.path,
        format!("unknown bancho attribute `{key}`; expected {}", symbol::list(known)),
    );
    if meta.input.peek(Token![=]) {
        // Skip the value: an expression covers every value form we accept.
        let _: Expr = meta.value()?.parse()?;
    }
    Ok(())
}

/// A key without a value, such as `large`: its span, or `None` (reported) when a value
/// was given.
fn parse_flag(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: Symbol) -> syn::Result<Option<Span>> {
    if meta.input.peek(Token![=]) {
        let value: Expr = meta.value()?.parse()?;
        cx.error_spanned_by(&value, format!("`{key}` takes no value: write `#[bancho({key})]`"));
        return Ok(None);
    }
    Ok(Some(meta.path.span()))
}

/// Stores `value`, or reports a duplicate key.
fn set_once<T>(cx: &Ctxt, slot: &mut Option<T>, value: T, meta: &ParseNestedMeta<'_>, key: Symbol) {
    if slot.is_some() {
        cx.error_spanned_by(&meta.path, format!("duplicate bancho attribute `{key}`"));
    } else {
        *slot = Some(value);
    }
}

/// Parses `= <integer literal>`. A value that is not a fitting literal is reported and
/// gives `None`, so the keys after it are still parsed; only a broken token stream is an
/// `Err` (and stops the attribute).
fn parse_int<N>(
    cx: &Ctxt,
    failed: &mut bool,
    meta: &ParseNestedMeta<'_>,
    what: &str,
) -> syn::Result<Option<Spanned<N>>>
where
    N: std::str::FromStr,
    N::Err: std::fmt::Display,
{
    let expr: Expr = meta.value()?.parse()?;
    let parsed = match ungroup(&expr) {
        Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(lit), .. }) => {
            parse_lit_int::<N>(lit, what).map(|value| Spanned { value, span: lit.span() })
        }
        _ => Err(syn::Error::new_spanned(&expr, format!("expected {what} as an integer literal"))),
    };
    match parsed {
        Ok(value) => Ok(Some(value)),
        Err(err) => {
            *failed = true;
            cx.syn_error(err);
            Ok(None)
        }
    }
}

/// The expression inside any invisible groups: a literal passed through a `macro_rules!`
/// fragment arrives wrapped in one.
fn ungroup(mut expr: &Expr) -> &Expr {
    while let Expr::Group(group) = expr {
        expr = &group.expr;
    }
    expr
}

/// `until = B`, refusing `u32::MAX`, which would read as "no upper bound".
fn parse_until_build(
    cx: &Ctxt,
    failed: &mut bool,
    meta: &ParseNestedMeta<'_>,
) -> syn::Result<Option<Spanned<u32>>> {
    let value = parse_int::<u32>(cx, failed, meta, "a build number (u32)")?;
    match value {
        Some(value) if value.value == u32::MAX => {
            *failed = true;
            cx.error_at(
                value.span,
                "`until = 4294967295` would read as \"no upper bound\"; leave `until` out for an open window",
            );
            Ok(None)
        }
        other => Ok(other),
    }
}

fn parse_lit_int<N>(lit: &LitInt, what: &str) -> syn::Result<N>
where
    N: std::str::FromStr,
    N::Err: std::fmt::Display,
{
    lit.base10_parse::<N>().map_err(|_| syn::Error::new(lit.span(), format!("expected {what}")))
}

/// The integer types an enum may use as `#[repr]`.
///
/// `u64` is left out: enum values are handled as `i64`, and no bancho enum needs more.
pub(crate) const ENUM_REPRS: &[&str] = &["u8", "i8", "u16", "i16", "u32", "i32", "i64"];

/// Reads a fieldless enum's integer `#[repr]` and computes each variant's value (explicit
/// literals, or one more than the previous variant). What is wrong with it is left to the
/// checks.
fn parse_enum<'a>(input: &'a syn::DeriveInput, data: &'a syn::DataEnum) -> Enum<'a> {
    let mut repr = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("repr")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(ident) = meta.path.get_ident()
                && ENUM_REPRS.iter().any(|r| ident == r)
            {
                repr = Some(ident.clone());
            }
            Ok(())
        });
    }
    let mut variants = Vec::new();
    let mut next: i128 = 0;
    for variant in &data.variants {
        let (value, bad_discriminant) = match &variant.discriminant {
            None => (next, None),
            Some((_, expr)) => match literal_value(expr) {
                Some(value) => (value, None),
                None => (next, Some(expr)),
            },
        };
        variants.push(Variant { syntax: variant, value, bad_discriminant });
        next = value + 1;
    }
    Enum { repr, variants }
}

/// The value of `12`, `-1` or `0x0b`.
fn literal_value(expr: &Expr) -> Option<i128> {
    match expr {
        Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(lit), .. }) => lit.base10_parse().ok(),
        Expr::Unary(syn::ExprUnary { op: syn::UnOp::Neg(_), expr, .. }) => literal_value(expr).map(|v| -v),
        Expr::Group(group) => literal_value(&group.expr),
        Expr::Paren(paren) => literal_value(&paren.expr),
        _ => None,
    }
}

/// The element type of a `Vec<T>` written as such.
pub(crate) fn vec_item(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Vec" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) if args.args.len() == 1 => match &args.args[0] {
            syn::GenericArgument::Type(item) => Some(item),
            _ => None,
        },
        _ => None,
    }
}
