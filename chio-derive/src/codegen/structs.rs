//! Code generation for `BanchoPacket` and `BanchoPayload` structs: `Encode`, `Decode`,
//! `Describe`, `IntoOwned` with an inherent `into_owned`, `Default` when asked and, for
//! packets, `Packet`.

use proc_macro2::TokenStream;
use quote::{ToTokens as _, format_ident, quote, quote_spanned};
use syn::spanned::Spanned as _;

use super::{expr_source, krate_path, type_source};
use crate::check::vec_item;
use crate::ir::{Codec, DefaultValue, Direction, Field, Struct, Style, WindowAttr};

pub(crate) fn expand(item: &Struct<'_>) -> TokenStream {
    let krate = krate_path(&item.attrs);
    let encode = encode_impl(item, &krate);
    let decode = decode_impl(item, &krate);
    let describe = describe_impl(item, &krate);
    let packet = packet_impl(item, &krate);
    let owned = owned_impl(item, &krate);
    let default = default_impl(item, &krate);
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications, clippy::all)]
        const _: () = {
            #encode
            #decode
            #describe
            #packet
            #owned
            #default
        };
    }
}

/// `head { a, b }` (or the tuple or unit form) from one expression per field; `head` is
/// `Self` or the struct's name.
fn construct(item: &Struct<'_>, head: &TokenStream, values: &[TokenStream]) -> TokenStream {
    match item.style {
        Style::Named => {
            let names = item.fields.iter().map(|f| &f.binding);
            quote!(#head { #(#names: #values),* })
        }
        Style::Tuple => quote!(#head(#(#values),*)),
        Style::Unit => quote!(#head),
    }
}

/// `IntoOwned` and an inherent `into_owned` forwarding to it.
///
/// A struct with a lifetime becomes the same struct at `'static`, each field converted by
/// `IntoOwned` (a field type without it is an error at the field); one without a lifetime
/// borrows nothing and is returned as it is. The inherent method saves users an import;
/// it clashes with a hand-written inherent `into_owned`, which the derive replaces.
fn owned_impl(item: &Struct<'_>, krate: &TokenStream) -> TokenStream {
    let ident = &item.input.ident;
    let vis = &item.input.vis;
    let (impl_generics, ty_generics, where_clause) = item.input.generics.split_for_impl();
    let (owned_ty, body) = match item.input.generics.lifetimes().next() {
        None => (quote!(Self), quote!(self)),
        Some(_) => {
            // Binds every field by value (`self` is owned here).
            let destructure = destructure(item);
            let values: Vec<TokenStream> = item
                .fields
                .iter()
                .map(|field| {
                    let binding = &field.binding;
                    let ty = field.ty;
                    quote_spanned!(ty.span()=> #krate::__private::into_owned::<#ty, _>(#binding))
                })
                .collect();
            // `Self` is the borrowed type here: the owned value is built by the struct's
            // name, its lifetime inferred as `'static` from the return type.
            let construct = construct(item, &quote!(#ident), &values);
            (quote!(#ident<'static>), quote!({ #destructure #construct }))
        }
    };
    let doc = format!(
        "Detaches the value from the input it was decoded from: borrowed strings are copied, everything else is moved. The same as [`IntoOwned::into_owned`]({}::IntoOwned::into_owned), without importing the trait.",
        krate.to_string().replace(' ', "")
    );
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::IntoOwned for #ident #ty_generics #where_clause {
            type Owned = #owned_ty;
            #[inline]
            fn into_owned(self) -> #owned_ty {
                #body
            }
        }

        #[automatically_derived]
        #[allow(dead_code, unreachable_pub)]
        impl #impl_generics #ident #ty_generics #where_clause {
            #[doc = #doc]
            #[inline]
            #vis fn into_owned(self) -> #owned_ty {
                <Self as #krate::IntoOwned>::into_owned(self)
            }
        }
    }
}

/// `Default` from `#[bancho(default)]`: each field's own `default = ...` if it has one
/// (its value where it is absent), else `Default::default()`.
///
/// The fields are bound in order, as decoding binds them, so a `default = ...` sees the
/// same earlier fields in both.
fn default_impl(item: &Struct<'_>, krate: &TokenStream) -> TokenStream {
    if item.attrs.default.is_none() {
        return quote!();
    }
    let ident = &item.input.ident;
    let (impl_generics, ty_generics, where_clause) = item.input.generics.split_for_impl();
    let lets = item.fields.iter().map(|field| {
        let binding = &field.binding;
        let ty = field.ty;
        let value = match field.default.as_ref().map(|d| &d.value) {
            Some(DefaultValue::Expr(expr)) => quote!(#expr),
            // Through a helper whose message names `#[bancho(default)]`, at the field.
            Some(DefaultValue::Trait) | None => {
                quote_spanned!(ty.span()=> <#ty as #krate::__private::FieldDefault>::field_default())
            }
        };
        quote!(let #binding: #ty = #value;)
    });
    let bindings: Vec<TokenStream> = item.fields.iter().map(|f| f.binding.to_token_stream()).collect();
    let construct = construct(item, &quote!(Self), &bindings);
    quote! {
        #[automatically_derived]
        impl #impl_generics ::core::default::Default for #ident #ty_generics #where_clause {
            #[inline]
            fn default() -> Self {
                #(#lets)*
                #construct
            }
        }
    }
}

/// `let Self { a, b } = self;` (or the tuple form), binding every field: by reference in
/// `&self` methods, by value where `self` is owned.
fn destructure(item: &Struct<'_>) -> TokenStream {
    let bindings = item.fields.iter().map(|f| &f.binding);
    match item.style {
        // Named fields are bound under their own names, so `when` expressions can use them.
        Style::Named => quote!(let Self { #(#bindings),* } = self;),
        Style::Tuple => quote!(let Self(#(#bindings),*) = self;),
        Style::Unit => quote!(),
    }
}

/// The condition under which a window applies, or `None` when it always does.
///
/// `earlier` are the fields before this one; in decode code they are values, so the
/// `when` expression sees them re-bound as references, as it does in encode code.
fn window_condition(window: &WindowAttr, earlier: Option<&[Field<'_>]>) -> Option<TokenStream> {
    let mut parts = Vec::new();
    let (since, until) = window.build_bounds();
    if since > 0 {
        parts.push(quote!(__chio_ctx.build() >= #since));
    }
    if until < u32::MAX {
        parts.push(quote!(__chio_ctx.build() < #until));
    }
    let (since_protocol, until_protocol) = window.protocol_bounds();
    if since_protocol > 0 {
        parts.push(quote!(__chio_ctx.protocol() >= #since_protocol));
    }
    if until_protocol < u8::MAX {
        parts.push(quote!(__chio_ctx.protocol() < #until_protocol));
    }
    if let Some(when) = &window.when {
        match earlier {
            Some(fields) => {
                let names = fields.iter().map(|f| &f.binding);
                parts.push(quote!({ #(let #names = &#names;)* (#when) }));
            }
            None => parts.push(quote!((#when))),
        }
    }
    if parts.is_empty() { None } else { Some(quote!(#(#parts)&&*)) }
}

/// The `map_err` that adds this field (and, at a packet's root, the packet name) to a path.
fn path_mapper(item: &Struct<'_>, field: &Field<'_>) -> TokenStream {
    let mut steps = Vec::new();
    if !item.is_newtype() {
        let name = &field.name;
        steps.push(quote!(.in_field(#name)));
    }
    if let Some(name) = packet_name(item) {
        steps.push(quote!(.in_type(#name)));
    }
    quote!(.map_err(|__chio_e| __chio_e #(#steps)*))
}

fn codec_len(krate: &TokenStream, field: &Field<'_>, codec: &Codec) -> TokenStream {
    let binding = &field.binding;
    let ty = field.ty;
    match codec {
        Codec::Native => quote!(#krate::Encode::encoded_len(#binding, __chio_ctx)),
        Codec::Wire(wire) => quote!(#krate::__private::wire_len::<#ty, #wire>(#binding, __chio_ctx)),
        Codec::Count(count) => {
            quote!(#krate::__private::list::encoded_len::<#count, _>(#binding, __chio_ctx))
        }
        Codec::With(path) => quote_spanned!(path.span()=> #path::encoded_len(#binding, __chio_ctx)),
    }
}

fn codec_encode(krate: &TokenStream, field: &Field<'_>, codec: &Codec) -> TokenStream {
    let binding = &field.binding;
    let ty = field.ty;
    match codec {
        Codec::Native => quote!(#krate::Encode::encode(#binding, __chio_buf, __chio_ctx)),
        Codec::Wire(wire) => {
            quote!(#krate::__private::put_wire::<#ty, #wire, __ChioBuf>(#binding, __chio_buf, __chio_ctx))
        }
        Codec::Count(count) => {
            quote!(#krate::__private::list::encode::<#count, _, __ChioBuf>(#binding, __chio_buf, __chio_ctx))
        }
        Codec::With(path) => quote_spanned!(path.span()=> #path::encode(#binding, __chio_buf, __chio_ctx)),
    }
}

fn codec_decode(krate: &TokenStream, de: &TokenStream, field: &Field<'_>, codec: &Codec) -> TokenStream {
    let ty = field.ty;
    match codec {
        Codec::Native => quote!(<#ty as #krate::Decode<#de>>::decode(__chio_reader, __chio_ctx)),
        Codec::Wire(wire) => quote!(#krate::__private::read_wire::<#ty, #wire>(__chio_reader, __chio_ctx)),
        Codec::Count(count) => {
            quote!(#krate::__private::list::decode::<#count, _>(__chio_reader, __chio_ctx))
        }
        Codec::With(path) => quote_spanned!(path.span()=> #path::decode(__chio_reader, __chio_ctx)),
    }
}

/// The windows of a field; a field without window attributes has one, everywhere, native.
fn windows<'f>(field: &'f Field<'_>) -> Vec<(Option<&'f WindowAttr>, &'f Codec)> {
    if field.windows.is_empty() {
        vec![(None, &Codec::Native)]
    } else {
        field.windows.iter().map(|w| (Some(w), w.codec())).collect()
    }
}

/// `if c1 { a } else if c2 { b } else { fallback }`, or just `a` when it always applies.
fn chain(branches: Vec<(Option<TokenStream>, TokenStream)>, fallback: TokenStream) -> TokenStream {
    let mut out = fallback;
    for (condition, body) in branches.into_iter().rev() {
        out = match condition {
            None => body,
            Some(condition) => quote!(if #condition { #body } else { #out }),
        };
    }
    out
}

fn encode_impl(item: &Struct<'_>, krate: &TokenStream) -> TokenStream {
    let ident = &item.input.ident;
    let (impl_generics, ty_generics, where_clause) = item.input.generics.split_for_impl();
    let destructure = destructure(item);
    let mut lens = Vec::new();
    let mut writes = Vec::new();
    for field in &item.fields {
        let mapper = path_mapper(item, field);
        let mut len_branches = Vec::new();
        let mut write_branches = Vec::new();
        for (window, codec) in windows(field) {
            let condition = window.and_then(|w| window_condition(w, None));
            let len = codec_len(krate, field, codec);
            let write = codec_encode(krate, field, codec);
            len_branches.push((condition.clone(), quote!(#len)));
            write_branches.push((condition, quote!(#write #mapper?;)));
        }
        lens.push(chain(len_branches, quote!(0usize)));
        writes.push(chain(write_branches, quote!({})));
    }
    // A packet knows who sends it, and the sides write some values differently (empty
    // strings): its payload is encoded as its sender writes it.
    let sender = item.attrs.packet.as_ref().map(|packet| {
        let direction = direction_variant(packet);
        quote!(let __chio_ctx = __chio_ctx.sent_by(#krate::Direction::#direction);)
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::Encode for #ident #ty_generics #where_clause {
            // Always inlined, like `decode`: the frame writer then sees the whole payload.
            #[inline(always)]
            #[allow(unused_variables)]
            fn encoded_len(&self, __chio_ctx: #krate::Context) -> usize {
                #sender
                #destructure
                0usize #(+ #lens)*
            }

            #[inline(always)]
            #[allow(unused_variables)]
            fn encode<__ChioBuf: #krate::__private::BufMut + ?Sized>(
                &self,
                __chio_buf: &mut __ChioBuf,
                __chio_ctx: #krate::Context,
            ) -> #krate::__private::Result<(), #krate::EncodeError> {
                #sender
                #destructure
                #(#writes)*
                #krate::__private::Ok(())
            }
        }
    }
}

/// The lifetime decoded values borrow from: the struct's own, or a fresh one.
fn de_lifetime(item: &Struct<'_>) -> (TokenStream, bool) {
    match item.input.generics.lifetimes().next() {
        Some(param) => {
            let lifetime = &param.lifetime;
            (quote!(#lifetime), true)
        }
        None => (quote!('__chio_de), false),
    }
}

fn codec_min_len(krate: &TokenStream, de: &TokenStream, field: &Field<'_>, codec: &Codec) -> TokenStream {
    let ty = field.ty;
    match codec {
        Codec::Native => quote!(<#ty as #krate::Decode<#de>>::MIN_LEN),
        Codec::Wire(wire) => quote!(<#wire as #krate::Decode<#de>>::MIN_LEN),
        Codec::Count(count) => quote!(<#count as #krate::CountPrefix>::LEN),
        Codec::With(_) => quote!(0usize),
    }
}

fn decode_impl(item: &Struct<'_>, krate: &TokenStream) -> TokenStream {
    let ident = &item.input.ident;
    let (_, ty_generics, where_clause) = item.input.generics.split_for_impl();
    let (de, own_lifetime) = de_lifetime(item);
    let impl_generics = if own_lifetime { quote!(<#de>) } else { quote!(<'__chio_de>) };

    let mut reads = Vec::new();
    let mut min_lens = Vec::new();
    for (index, field) in item.fields.iter().enumerate() {
        let binding = &field.binding;
        let ty = field.ty;
        let mapper = path_mapper(item, field);
        let earlier = &item.fields[..index];
        let mut branches = Vec::new();
        let all = windows(field);
        for (window, codec) in &all {
            let condition = window.and_then(|w| window_condition(w, Some(earlier)));
            let read = codec_decode(krate, &de, field, codec);
            branches.push((condition, quote!(#read #mapper?)));
        }
        let fallback = match &field.default {
            Some(default) => match &default.value {
                DefaultValue::Trait => quote!(<#ty as ::core::default::Default>::default()),
                DefaultValue::Expr(expr) => quote!(#expr),
            },
            // The checks guarantee the windows cover every context; this branch only runs
            // if they did not, and reports it instead of panicking.
            None => quote!(return #krate::__private::Err(
                #krate::DecodeError::new(
                    #krate::DecodeErrorKind::Custom(::std::borrow::Cow::Borrowed("no window applies to this context")),
                    __chio_reader.position(),
                )
            ) #mapper),
        };
        let value = chain(branches, fallback);
        reads.push(quote!(let #binding: #ty = #value;));

        // A field on the wire everywhere with one encoding has that encoding's minimum size.
        let always = all.len() == 1 && all[0].0.is_none_or(|w| window_condition(w, None).is_none());
        if always {
            min_lens.push(codec_min_len(krate, &de, field, all[0].1));
        }
    }
    let bindings = item.fields.iter().map(|f| &f.binding);
    let construct = match item.style {
        Style::Named => quote!(Self { #(#bindings),* }),
        Style::Tuple => quote!(Self(#(#bindings),*)),
        Style::Unit => quote!(Self),
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::Decode<#de> for #ident #ty_generics #where_clause {
            const MIN_LEN: usize = 0usize #(+ #min_lens)*;

            // Always inlined: a payload's fields are then read straight into the packet
            // (and the packet into its enum) instead of being built on the stack and
            // copied at each level; a fifth of the login burst's decoding time before.
            #[inline(always)]
            #[allow(unused_variables)]
            fn decode(
                __chio_reader: &mut #krate::Reader<#de>,
                __chio_ctx: #krate::Context,
            ) -> #krate::__private::Result<Self, #krate::DecodeError> {
                #(#reads)*
                #krate::__private::Ok(#construct)
            }
        }
    }
}

fn describe_impl(item: &Struct<'_>, krate: &TokenStream) -> TokenStream {
    let ident = &item.input.ident;
    let (impl_generics, ty_generics, where_clause) = item.input.generics.split_for_impl();
    let name = packet_name(item).unwrap_or_else(|| ident.to_string());
    let fields = item.fields.iter().map(|field| {
        let field_name = &field.name;
        let rust_type = type_source(field.ty);
        let windows = windows(field).into_iter().map(|(window, codec)| {
            let (since, until) = window.map_or((0, u32::MAX), WindowAttr::build_bounds);
            let (since_protocol, until_protocol) = window.map_or((0, u8::MAX), WindowAttr::protocol_bounds);
            let condition = match window.and_then(|w| w.when.as_ref()) {
                Some(when) => {
                    let source = expr_source(&quote!(#when));
                    quote!(#krate::__private::Option::Some(#source))
                }
                None => quote!(#krate::__private::Option::None),
            };
            let encoding = layout_encoding(krate, field, codec);
            quote! {
                #krate::__private::Window {
                    builds: #krate::__private::BuildRange::new(#since, #until),
                    protocols: #krate::__private::ProtocolRange::new(#since_protocol, #until_protocol),
                    condition: #condition,
                    encoding: #encoding,
                }
            }
        });
        let default = match &field.default {
            Some(default) => {
                let source = default.value.source();
                quote!(#krate::__private::Option::Some(#source))
            }
            None => quote!(#krate::__private::Option::None),
        };
        quote! {
            #krate::__private::Field {
                name: #field_name,
                rust_type: #rust_type,
                windows: &[#(#windows),*],
                default: #default,
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::Describe for #ident #ty_generics #where_clause {
            const LAYOUT: &'static #krate::Layout = &#krate::Layout {
                name: #name,
                shape: #krate::__private::Shape::Struct { fields: &[#(#fields),*] },
            };
        }
    }
}

fn layout_encoding(krate: &TokenStream, field: &Field<'_>, codec: &Codec) -> TokenStream {
    let ty = field.ty;
    match codec {
        Codec::Native => {
            quote!(#krate::__private::Encoding::Wire(<#ty as #krate::Describe>::LAYOUT))
        }
        Codec::Wire(wire) => {
            quote!(#krate::__private::Encoding::Wire(<#wire as #krate::Describe>::LAYOUT))
        }
        Codec::Count(count) => {
            // The checks reject `count` on anything but `Vec<T>`; fall back to the field type.
            let item = vec_item(ty).unwrap_or(ty);
            let count_name = type_source(count);
            quote!(#krate::__private::Encoding::Wire(&#krate::Layout {
                name: "list",
                shape: #krate::__private::Shape::List {
                    count: #count_name,
                    item: <#item as #krate::Describe>::LAYOUT,
                },
            }))
        }
        Codec::With(path) => {
            let source = quote!(#path).to_string().replace(' ', "");
            quote!(#krate::__private::Encoding::With(#source))
        }
    }
}

fn packet_name(item: &Struct<'_>) -> Option<String> {
    let packet = item.attrs.packet.as_ref()?;
    Some(packet.name.as_ref().map_or_else(|| item.input.ident.to_string(), |n| n.value.clone()))
}

/// The `Direction` variant naming who sends a packet.
fn direction_variant(packet: &crate::ir::PacketAttrs) -> proc_macro2::Ident {
    match packet.from.as_ref().map(|d| d.value) {
        Some(Direction::Client) => format_ident!("ClientToServer"),
        _ => format_ident!("ServerToClient"),
    }
}

fn packet_impl(item: &Struct<'_>, krate: &TokenStream) -> TokenStream {
    let Some(packet) = &item.attrs.packet else {
        return quote!();
    };
    let ident = &item.input.ident;
    let (impl_generics, ty_generics, where_clause) = item.input.generics.split_for_impl();
    let name = packet_name(item);
    let id = packet.id.as_ref().map_or(0, |id| id.value);
    let direction = direction_variant(packet);
    let since = packet.since.as_ref().map_or(0, |s| s.value);
    let until = packet.until.as_ref().map_or(u32::MAX, |s| s.value);
    let large = item.attrs.large.map(|_| {
        quote!(
            const LARGE: bool = true;
        )
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::Packet for #ident #ty_generics #where_clause {
            const NAME: &'static str = #name;
            const ID: u16 = #id;
            const DIRECTION: #krate::Direction = #krate::Direction::#direction;
            const BUILDS: #krate::__private::BuildRange = #krate::__private::BuildRange::new(#since, #until);
            #large
        }
    }
}
