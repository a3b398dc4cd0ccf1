//! Code generation for `BanchoPacket` and `BanchoPayload` structs: `Encode`, `Decode`,
//! `Describe`, `IntoOwned` with an inherent `into_owned`, `Default` when asked and, for
//! packets, `Packet`.

use std::ops::Deref;

use proc_macro2::TokenStream;
use quote::{ToTokens as _, quote, quote_spanned};
use syn::spanned::Spanned as _;

use super::wrap;
use crate::ir::{Codec, Container, DefaultValue, Direction, Field, Struct, Style, WindowAttr, vec_item};
use crate::sanitization::{
    BUF, BUF_TYPE, BUILD, CTX, DEFAULT, ENCODE, ERROR, FIELD_DEFAULT, INTO, INTO_OWNED_FIELD, Lib,
    NEEDS_DROP, PLAN, READER, RUN, STRETCH_LEN, VALUE, de_lifetime,
};
use crate::source;

/// A struct being derived: the item (through `Deref`) with its fields.
struct Item<'c, 'a> {
    container: &'c Container<'a>,
    body: &'c Struct<'a>,
}

impl<'a> Deref for Item<'_, 'a> {
    type Target = Container<'a>;

    fn deref(&self) -> &Container<'a> {
        self.container
    }
}

pub(crate) fn expand(container: &Container<'_>, data: &Struct<'_>, lib: &Lib) -> TokenStream {
    let item = &Item { container, body: data };
    let encode = encode_impl(item, lib);
    let decode = decode_impl(item, lib);
    let describe = describe_impl(item, lib);
    let packet = packet_impl(item, lib);
    let owned = owned_impl(item, lib);
    let default = default_impl(item, lib);
    wrap(quote! {
        #encode
        #decode
        #describe
        #packet
        #owned
        #default
    })
}

/// `head { a, b }` (or the tuple or unit form) from one expression per field; `head` is
/// `Self` or the struct's name.
fn construct(item: &Item<'_, '_>, head: &TokenStream, values: &[TokenStream]) -> TokenStream {
    match item.body.style {
        Style::Named => {
            let names = item.body.fields.iter().map(|f| &f.binding);
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
fn owned_impl(item: &Item<'_, '_>, lib: &Lib) -> TokenStream {
    let ident = &item.input.ident;
    let vis = &item.input.vis;
    let (impl_generics, ty_generics, where_clause) = item.input.generics.split_for_impl();
    let (owned_ty, body) = match item.input.generics.lifetimes().next() {
        None => (quote!(Self), quote!(self)),
        Some(_) => {
            // Binds every field by value (`self` is owned here).
            let destructure = destructure(item);
            let values: Vec<TokenStream> = item
                .body
                .fields
                .iter()
                .map(|field| {
                    let binding = &field.binding;
                    let ty = field.ty;
                    let into_owned = lib.at(INTO_OWNED_FIELD, ty.span());
                    quote_spanned!(ty.span()=> #into_owned::<#ty, _>(#binding))
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
        lib.root_source()
    );
    let into_owned = &lib.into_owned;
    quote! {
        #[automatically_derived]
        impl #impl_generics #into_owned for #ident #ty_generics #where_clause {
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
                <Self as #into_owned>::into_owned(self)
            }
        }
    }
}

/// `Default` from `#[bancho(default)]`: each field's own `default = ...` if it has one
/// (its value where it is absent), else `Default::default()`.
///
/// The fields are bound in order, as decoding binds them, so a `default = ...` sees the
/// same earlier fields in both.
fn default_impl(item: &Item<'_, '_>, lib: &Lib) -> TokenStream {
    if item.attrs.default.is_none() {
        return quote!();
    }
    let ident = &item.input.ident;
    let (impl_generics, ty_generics, where_clause) = item.input.generics.split_for_impl();
    let lets = item.body.fields.iter().map(|field| {
        let binding = &field.binding;
        let ty = field.ty;
        let value = match field.default.as_ref().map(|d| &d.value) {
            Some(DefaultValue::Expr(expr)) => quote!(#expr),
            // Through a helper whose message names `#[bancho(default)]`, at the field.
            Some(DefaultValue::Trait) | None => {
                let field_default = lib.at(FIELD_DEFAULT, ty.span());
                quote_spanned!(ty.span()=> <#ty as #field_default>::field_default())
            }
        };
        quote!(let #binding: #ty = #value;)
    });
    let bindings: Vec<TokenStream> = item.body.fields.iter().map(|f| f.binding.to_token_stream()).collect();
    let construct = construct(item, &quote!(Self), &bindings);
    quote! {
        #[automatically_derived]
        impl #impl_generics #DEFAULT for #ident #ty_generics #where_clause {
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
fn destructure(item: &Item<'_, '_>) -> TokenStream {
    let bindings = item.body.fields.iter().map(|f| &f.binding);
    match item.body.style {
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
        parts.push(quote!(#CTX.build() >= #since));
    }
    if until < u32::MAX {
        parts.push(quote!(#CTX.build() < #until));
    }
    parts.extend(runtime_condition(window, earlier));
    if parts.is_empty() { None } else { Some(quote!(#(#parts)&&*)) }
}

/// The part of a window's condition that the build alone does not settle: its protocol
/// bounds and its `when`; `None` when there is none.
fn runtime_condition(window: &WindowAttr, earlier: Option<&[Field<'_>]>) -> Option<TokenStream> {
    let mut parts = Vec::new();
    let (since_protocol, until_protocol) = window.protocol_bounds();
    if since_protocol > 0 {
        parts.push(quote!(#CTX.protocol() >= #since_protocol));
    }
    if until_protocol < u8::MAX {
        parts.push(quote!(#CTX.protocol() < #until_protocol));
    }
    if let Some(when) = &window.when {
        match earlier {
            Some(fields) => {
                let names = fields.iter().map(|f| &f.binding);
                // Decoded fields are held in `ManuallyDrop` ([`read_into`]).
                parts.push(quote!({ #(let #names = &*#names;)* (#when) }));
            }
            None => parts.push(quote!((#when))),
        }
    }
    if parts.is_empty() { None } else { Some(quote!(#(#parts)&&*)) }
}

/// The `map_err` that adds this field (and, at a packet's root, the packet name) to a path.
fn path_mapper(item: &Item<'_, '_>, field: &Field<'_>) -> TokenStream {
    let mut steps = Vec::new();
    if !item.body.is_newtype() {
        let name = &field.name;
        steps.push(quote!(.in_field(#name)));
    }
    if let Some(name) = packet_name(item) {
        steps.push(quote!(.in_type(#name)));
    }
    quote!(.map_err(|#ERROR| #ERROR #(#steps)*))
}

fn codec_len(lib: &Lib, field: &Field<'_>, codec: &Codec) -> TokenStream {
    let Lib { encode, list_encoded_len, wire_len, .. } = lib;
    let binding = &field.binding;
    let ty = field.ty;
    match codec {
        Codec::Native => quote!(#encode::encoded_len(#binding, #CTX)),
        Codec::Wire(wire) => quote!(#wire_len::<#ty, #wire>(#binding, #CTX)),
        Codec::Count(count) => {
            quote!(#list_encoded_len::<#count, _>(#binding, #CTX))
        }
        Codec::With(path) => {
            let ctx = CTX.at(path.span());
            quote_spanned!(path.span()=> #path::encoded_len(#binding, #ctx))
        }
    }
}

fn codec_encode(lib: &Lib, field: &Field<'_>, codec: &Codec) -> TokenStream {
    let Lib { encode, list_encode, put_wire, .. } = lib;
    let binding = &field.binding;
    let ty = field.ty;
    match codec {
        Codec::Native => quote!(#encode::encode(#binding, #BUF, #CTX)),
        Codec::Wire(wire) => {
            quote!(#put_wire::<#ty, #wire, #BUF_TYPE>(#binding, #BUF, #CTX))
        }
        Codec::Count(count) => {
            quote!(#list_encode::<#count, _, #BUF_TYPE>(#binding, #BUF, #CTX))
        }
        Codec::With(path) => {
            let (buf, ctx) = (BUF.at(path.span()), CTX.at(path.span()));
            quote_spanned!(path.span()=> #path::encode(#binding, #buf, #ctx))
        }
    }
}

fn codec_decode(lib: &Lib, de: &TokenStream, field: &Field<'_>, codec: &Codec) -> TokenStream {
    let Lib { decode, list_decode, read_wire, .. } = lib;
    let ty = field.ty;
    match codec {
        Codec::Native => quote!(<#ty as #decode<#de>>::decode(#READER, #CTX)),
        Codec::Wire(wire) => quote!(#read_wire::<#ty, #wire>(#READER, #CTX)),
        Codec::Count(count) => {
            quote!(#list_decode::<#count, _>(#READER, #CTX))
        }
        Codec::With(path) => {
            let (reader, ctx) = (READER.at(path.span()), CTX.at(path.span()));
            quote_spanned!(path.span()=> #path::decode(#reader, #ctx))
        }
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

fn encode_impl(item: &Item<'_, '_>, lib: &Lib) -> TokenStream {
    let Lib { buf_mut, context, encode, encode_error, fixed_sum, none, ok, option, result, .. } = lib;
    let ident = &item.input.ident;
    // Fixed when every field is on the wire everywhere with a fixed size (a replay frame,
    // say): lists of it are then sized without looking at the elements.
    let fixed: Option<Vec<TokenStream>> = item
        .body
        .fields
        .iter()
        .map(|field| match &windows(field)[..] {
            [(window, codec)] if window.is_none_or(|w| window_condition(w, None).is_none()) => {
                codec_fixed_len(lib, field, codec)
            }
            _ => None,
        })
        .collect();
    let fixed_len = match fixed {
        Some(lens) => quote!(#fixed_sum(&[#(#lens),*])),
        None => quote!(#none),
    };
    let (impl_generics, ty_generics, where_clause) = item.input.generics.split_for_impl();
    let destructure = destructure(item);
    // As in `decode`: one straight run of fields per span of builds with the same layout,
    // picked by one comparison chain on the build (newest first), so that no field tests
    // its own build window. Encoding is inlined into every packet's frame writer, so an
    // item with many spans (a match has 13) tests each field's window instead: a copy of
    // its fields per span made each match packet's writer four times larger.
    let spans = build_spans(item);
    let (len, write) = if spans.len() > MAX_ENCODE_SPANS {
        span_encoding(item, lib, None)
    } else {
        spans[1..].iter().fold(span_encoding(item, lib, Some(spans[0])), |(len, write), &span| {
            let (span_len, span_write) = span_encoding(item, lib, Some(span));
            let since = span.0;
            (
                quote!(if #CTX.build() >= #since { #span_len } else { #len }),
                quote!(if #CTX.build() >= #since { #span_write } else { #write }),
            )
        })
    };
    // A packet knows who sends it, and the sides write some values differently (empty
    // strings): its payload is encoded as its sender writes it.
    let sender = item.attrs.packet.as_ref().map(|packet| {
        let direction = direction_variant(lib, packet);
        quote!(let #CTX = #CTX.sent_by(#direction);)
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #encode for #ident #ty_generics #where_clause {
            const FIXED_LEN: #option<usize> = #fixed_len;

            // Always inlined, like `decode`: the frame writer then sees the whole payload.
            #[inline(always)]
            #[allow(unused_variables)]
            fn encoded_len(&self, #CTX: #context) -> usize {
                #sender
                #destructure
                #len
            }

            #[inline(always)]
            #[allow(unused_variables)]
            fn encode<#BUF_TYPE: #buf_mut + ?Sized>(
                &self,
                #BUF: &mut #BUF_TYPE,
                #CTX: #context,
            ) -> #result<(), #encode_error> {
                #sender
                #destructure
                #write
                #ok(())
            }
        }
    }
}

/// The most spans of builds an item's encoding is written out for ([`encode_impl`]).
const MAX_ENCODE_SPANS: usize = 6;

/// The encoded size (an expression) and the writes of every field for the builds of
/// `span`: each field's windows that cover the span, with only their protocol and `when`
/// conditions left to test; for every build (`None`), each window with its whole condition.
fn span_encoding(item: &Item<'_, '_>, lib: &Lib, span: Option<(u32, u32)>) -> (TokenStream, TokenStream) {
    let mut lens = Vec::new();
    let mut writes = Vec::new();
    for field in &item.body.fields {
        let mapper = path_mapper(item, field);
        let mut len_branches = Vec::new();
        let mut write_branches = Vec::new();
        for (window, codec) in
            windows(field).into_iter().filter(|(window, _)| span.is_none_or(|span| covers(*window, span)))
        {
            let condition = match span {
                Some(_) => window.and_then(|w| runtime_condition(w, None)),
                None => window.and_then(|w| window_condition(w, None)),
            };
            let len = codec_len(lib, field, codec);
            let write = codec_encode(lib, field, codec);
            len_branches.push((condition.clone(), quote!(#len)));
            write_branches.push((condition, quote!(#write #mapper?;)));
        }
        // A field on the wire nowhere in the span has no branch and so no bytes.
        if !len_branches.is_empty() {
            lens.push(chain(len_branches, quote!(0usize)));
            writes.push(chain(write_branches, quote!({})));
        }
    }
    (quote!(0usize #(+ #lens)*), quote!(#(#writes)*))
}

/// The lifetime decoded values borrow from: the struct's own, or a fresh one.
fn decode_lifetime(item: &Item<'_, '_>) -> (TokenStream, bool) {
    match item.input.generics.lifetimes().next() {
        Some(param) => {
            let lifetime = &param.lifetime;
            (quote!(#lifetime), true)
        }
        None => (de_lifetime().to_token_stream(), false),
    }
}

/// The spans of builds `[since, until)` over which no build window of the item's fields
/// starts or ends, in build order; one span of every build for an item without windows.
fn build_spans(item: &Item<'_, '_>) -> Vec<(u32, u32)> {
    let mut cuts: Vec<u32> = item
        .body
        .fields
        .iter()
        .flat_map(|field| &field.windows)
        .flat_map(|window| {
            let (since, until) = window.build_bounds();
            [since, until]
        })
        .filter(|&cut| cut > 0 && cut < u32::MAX)
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let starts = core::iter::once(0).chain(cuts.iter().copied());
    let ends = cuts.iter().copied().chain(core::iter::once(u32::MAX));
    starts.zip(ends).collect()
}

/// Whether a field's window (`None`: no window) holds every build of `span`.
fn covers(window: Option<&WindowAttr>, span: (u32, u32)) -> bool {
    window.is_none_or(|w| {
        let (since, until) = w.build_bounds();
        since <= span.0 && (until == u32::MAX || span.1 <= until)
    })
}

/// Whether the struct's values decoded in the builds of `span` free nothing when dropped.
/// A field on the wire throughout the span by its type's own decoding does if that type's
/// values decoded there do; one read by its type's own decoding where it is on the wire
/// and its type's `Default` elsewhere, if both do; any other field (a list, a `with`
/// codec, a conversion, a `default = expr`) only if its type has no drop glue at all.
fn span_drops_nothing(item: &Item<'_, '_>, lib: &Lib, de: &TokenStream, span: (u32, u32)) -> TokenStream {
    let decode = &lib.decode;
    let fields = item.body.fields.iter().map(|field| {
        let ty = field.ty;
        let no_glue = quote!(!#NEEDS_DROP::<#ty>());
        // `drops_nothing` written out, with the impl's own lifetime: a field type without
        // `Decode` is then reported once, as for `MIN_LEN`.
        let decoded = quote!((#no_glue || <#ty as #decode<#de>>::decodes_borrowed(#BUILD)));
        let all = windows(field);
        let covering: Vec<_> = all.iter().filter(|(window, _)| covers(*window, span)).collect();
        let native = all.iter().all(|(_, codec)| matches!(codec, Codec::Native));
        match &covering[..] {
            [(window, Codec::Native)] if window.is_none_or(|w| runtime_condition(w, None).is_none()) => {
                decoded
            }
            _ if native && field.default.as_ref().is_some_and(|d| matches!(d.value, DefaultValue::Trait)) => {
                quote!(#decoded && (#no_glue || <#ty as #decode<#de>>::default_frees_nothing()))
            }
            _ => no_glue,
        }
    });
    quote!(true #(&& #fields)*)
}

/// The reads of every field for the builds of `span`: each field's windows that cover the
/// span, with only their protocol and `when` conditions left to test; fields on the wire
/// throughout the span are read in stretches where they have fixed sizes ([`run_reads`]).
fn span_reads(item: &Item<'_, '_>, lib: &Lib, de: &TokenStream, span: (u32, u32)) -> Vec<TokenStream> {
    let Lib { decode_custom, decode_error_new, err, ok, some, .. } = lib;
    let mut reads = Vec::new();
    // Consecutive fields on the wire throughout the span, and those not on the wire
    // there: (field, fixed size, value, the fields before it).
    let mut run: Vec<Read<'_, '_>> = Vec::new();
    for (index, field) in item.body.fields.iter().enumerate() {
        let ty = field.ty;
        let mapper = path_mapper(item, field);
        let earlier = &item.body.fields[..index];
        let covering: Vec<_> = windows(field)
            .into_iter()
            .filter(|(window, _)| covers(*window, span))
            .map(|(window, codec)| (window.and_then(|w| runtime_condition(w, Some(earlier))), codec))
            .collect();
        let branches = covering.iter().map(|(condition, codec)| {
            let read = codec_decode(lib, de, field, codec);
            (condition.clone(), quote!(#read #mapper))
        });
        let fallback = match &field.default {
            Some(default) => match &default.value {
                DefaultValue::Trait => quote!(#ok(<#ty as #DEFAULT>::default())),
                DefaultValue::Expr(expr) => quote!(#ok(#expr)),
            },
            // The checks guarantee the windows cover every context; this branch only runs
            // if they did not, and reports it instead of panicking.
            None => quote!(#err(
                #decode_error_new(
                    #decode_custom(#INTO("no window applies to this context")),
                    #READER.position(),
                )
            ) #mapper),
        };
        let value = chain(branches.collect(), fallback);
        // On the wire throughout the span with one encoding: part of the run if sized.
        let fixed = match covering.first() {
            Some((None, codec)) => codec_fixed_len(lib, field, codec),
            _ => None,
        };
        match fixed {
            Some(len) => run.push(Read { field, len, value, earlier }),
            // Not on the wire in the span (its default, no bytes): no break in a run.
            None if covering.is_empty() && !run.is_empty() => {
                run.push(Read { field, len: quote!(#some(0usize)), value, earlier });
            }
            None => {
                reads.extend(run_reads(lib, de, core::mem::take(&mut run)));
                reads.push(read_into(lib, field, &value, earlier));
            }
        }
    }
    reads.extend(run_reads(lib, de, run));
    reads
}

fn codec_min_len(lib: &Lib, de: &TokenStream, field: &Field<'_>, codec: &Codec) -> TokenStream {
    let Lib { count_prefix, decode, .. } = lib;
    let ty = field.ty;
    match codec {
        Codec::Native => quote!(<#ty as #decode<#de>>::MIN_LEN),
        Codec::Wire(wire) => quote!(<#wire as #decode<#de>>::MIN_LEN),
        Codec::Count(count) => quote!(<#count as #count_prefix>::LEN),
        Codec::With(_) => quote!(0usize),
    }
}

/// The fixed size of a field's encoding, as an expression, for the codecs that can have
/// one (a type's own, or its wire type's); `None` for lists and `with` codecs.
fn codec_fixed_len(lib: &Lib, field: &Field<'_>, codec: &Codec) -> Option<TokenStream> {
    let ty = field.ty;
    // At the type: a type without `Encode` is reported there, as by the other impls.
    match codec {
        Codec::Native => {
            let encode = lib.at(ENCODE, ty.span());
            Some(quote_spanned!(ty.span()=> <#ty as #encode>::FIXED_LEN))
        }
        Codec::Wire(wire) => {
            let encode = lib.at(ENCODE, wire.span());
            Some(quote_spanned!(wire.span()=> <#wire as #encode>::FIXED_LEN))
        }
        Codec::Count(_) | Codec::With(_) => None,
    }
}

/// The reads of a run of consecutive fields that are on the wire throughout the span.
/// Whether a field has a fixed size is known only to its type's impl (a nested struct
/// with a string has none), so the plan is worked out when the code is compiled
/// ([`run_plan`]): each stretch of two or more fixed-size fields is read from a reader
/// over exactly its bytes, taken with one bounds check (the checks of the reads
/// themselves then fold away), and the others from the reader itself. A stretch whose
/// bytes are not all there is read one by one, which reports the exact error. The plan
/// is a constant, so only the path it picks is left in the compiled code.
fn run_reads(lib: &Lib, de: &TokenStream, run: Vec<Read<'_, '_>>) -> Vec<TokenStream> {
    if run.len() < 2 {
        return run.into_iter().map(|read| read_into(lib, read.field, &read.value, read.earlier)).collect();
    }
    let Lib { run_plan, take_fixed, some, none, option, reader, .. } = lib;
    let lens = run.iter().map(|read| &read.len);
    let mut reads = vec![quote! {
        let #PLAN = const { #run_plan([#(#lens),*]) };
        let mut #RUN: #option<#reader<#de>> = #none;
    }];
    for (index, Read { field, value, earlier, .. }) in run.into_iter().enumerate() {
        reads.push(quote! {
            if let #some(#STRETCH_LEN) = #PLAN.starts[#index] {
                #RUN = #take_fixed(#READER, #STRETCH_LEN);
            }
        });
        let value = quote! {
            match &mut #RUN {
                #some(#READER) if #PLAN.within[#index] => #value,
                _ => #value,
            }
        };
        reads.push(read_into(lib, field, &value, earlier));
    }
    reads
}

/// One field's read in a span: its fixed size (an expression; `Some(0)` when it is not
/// on the wire), the `Result` its value comes from, and the fields read before it.
struct Read<'f, 'a> {
    field: &'f Field<'a>,
    len: TokenStream,
    value: TokenStream,
    earlier: &'f [Field<'a>],
}

/// `let field = value?;`, with the decoded value held in a `ManuallyDrop` and the fields
/// before it dropped by hand on an error. An implicit drop at the `return` would take
/// each held field's address, which keeps them in memory (and copies them into the
/// struct at the end) for the whole decode; a drop by hand moves them out, on the error
/// path only. Holding the fields this way made decoding the login burst 8 % faster.
fn read_into(lib: &Lib, field: &Field<'_>, value: &TokenStream, earlier: &[Field<'_>]) -> TokenStream {
    let Lib { drop_held, err, manually_drop, ok, .. } = lib;
    let (binding, ty) = (&field.binding, field.ty);
    // In the reverse order of their reads, as a scope drops them.
    let held = earlier.iter().rev().map(|field| &field.binding);
    quote! {
        let #binding = match #value {
            #ok(#VALUE) => #manually_drop::<#ty>::new(#VALUE),
            #err(#ERROR) => {
                #(#drop_held(#held);)*
                return #err(#ERROR);
            }
        };
    }
}

fn decode_impl(item: &Item<'_, '_>, lib: &Lib) -> TokenStream {
    let Lib { context, decode, decode_error, ok, reader, result, .. } = lib;
    let ident = &item.input.ident;
    let (_, ty_generics, where_clause) = item.input.generics.split_for_impl();
    let (de, own_lifetime) = decode_lifetime(item);
    let impl_generics = if own_lifetime {
        quote!(<#de>)
    } else {
        let de = de_lifetime();
        quote!(<#de>)
    };

    // A field on the wire everywhere with one encoding has that encoding's minimum size.
    let min_lens: Vec<TokenStream> = item
        .body
        .fields
        .iter()
        .filter_map(|field| match &windows(field)[..] {
            [(window, codec)] if window.is_none_or(|w| window_condition(w, None).is_none()) => {
                Some(codec_min_len(lib, &de, field, codec))
            }
            _ => None,
        })
        .collect();
    let names = item.body.fields.iter().map(|f| &f.binding);
    let manually_drop = &lib.manually_drop;
    let values: Vec<TokenStream> =
        names.clone().map(|binding| quote!(#manually_drop::into_inner(#binding))).collect();
    let construct = match item.body.style {
        Style::Named => quote!(Self { #(#names: #values),* }),
        Style::Tuple => quote!(Self(#(#values),*)),
        Style::Unit => quote!(Self),
    };
    // One straight run of reads per span of builds with the same layout, picked by one
    // comparison chain on the build (newest first: modern traffic dominates). Within a
    // span, build windows are settled when the code is generated, so the fields on the
    // wire throughout it join runs of fixed-size reads.
    let spans = build_spans(item);
    let mut body = {
        let reads = span_reads(item, lib, &de, spans[0]);
        quote!({ #(#reads)* #ok(#construct) })
    };
    let mut borrowed = span_drops_nothing(item, lib, &de, spans[0]);
    for &span in &spans[1..] {
        let reads = span_reads(item, lib, &de, span);
        let since = span.0;
        body = quote!(if #CTX.build() >= #since { #(#reads)* #ok(#construct) } else #body);
        let drops_nothing = span_drops_nothing(item, lib, &de, span);
        borrowed = quote!(if #BUILD >= #since { #drops_nothing } else { #borrowed });
    }
    quote! {
        #[automatically_derived]
        impl #impl_generics #decode<#de> for #ident #ty_generics #where_clause {
            const MIN_LEN: usize = 0usize #(+ #min_lens)*;

            // Always inlined: a payload's fields are then read straight into the packet
            // (and the packet into its enum) instead of being built on the stack and
            // copied at each level; a fifth of the login burst's decoding time before.
            #[inline(always)]
            #[allow(unused_variables)]
            fn decode(
                #READER: &mut #reader<#de>,
                #CTX: #context,
            ) -> #result<Self, #decode_error> {
                #body
            }

            #[inline]
            #[allow(unused_variables)]
            fn decodes_borrowed(#BUILD: u32) -> bool {
                #borrowed
            }
        }
    }
}

fn describe_impl(item: &Item<'_, '_>, lib: &Lib) -> TokenStream {
    let Lib {
        build_range_new,
        describe,
        layout,
        layout_field,
        layout_window,
        none,
        protocol_range_new,
        shape_struct,
        some,
        ..
    } = lib;
    let ident = &item.input.ident;
    let (impl_generics, ty_generics, where_clause) = item.input.generics.split_for_impl();
    let name = packet_name(item).unwrap_or_else(|| ident.to_string());
    let fields = item.body.fields.iter().map(|field| {
        let field_name = &field.name;
        let rust_type = source::ty(field.ty);
        let windows = windows(field).into_iter().map(|(window, codec)| {
            let (since, until) = window.map_or((0, u32::MAX), WindowAttr::build_bounds);
            let (since_protocol, until_protocol) = window.map_or((0, u8::MAX), WindowAttr::protocol_bounds);
            let condition = match window.and_then(|w| w.when.as_ref()) {
                Some(when) => {
                    let source = source::expr(when);
                    quote!(#some(#source))
                }
                None => quote!(#none),
            };
            let encoding = layout_encoding(lib, field, codec);
            quote! {
                #layout_window {
                    builds: #build_range_new(#since, #until),
                    protocols: #protocol_range_new(#since_protocol, #until_protocol),
                    condition: #condition,
                    encoding: #encoding,
                }
            }
        });
        let default = match &field.default {
            Some(default) => {
                let source = default_source(&default.value);
                quote!(#some(#source))
            }
            None => quote!(#none),
        };
        quote! {
            #layout_field {
                name: #field_name,
                rust_type: #rust_type,
                windows: &[#(#windows),*],
                default: #default,
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #describe for #ident #ty_generics #where_clause {
            const LAYOUT: &'static #layout = &#layout {
                name: #name,
                shape: #shape_struct { fields: &[#(#fields),*] },
            };
        }
    }
}

fn layout_encoding(lib: &Lib, field: &Field<'_>, codec: &Codec) -> TokenStream {
    let Lib { describe, encoding_wire, encoding_with, layout, shape_list, .. } = lib;
    let ty = field.ty;
    match codec {
        Codec::Native => {
            quote!(#encoding_wire(<#ty as #describe>::LAYOUT))
        }
        Codec::Wire(wire) => {
            quote!(#encoding_wire(<#wire as #describe>::LAYOUT))
        }
        Codec::Count(count) => {
            // The checks reject `count` on anything but `Vec<T>`; fall back to the field type.
            let item = vec_item(ty).unwrap_or(ty);
            let count_name = source::ty(count);
            quote!(#encoding_wire(&#layout {
                name: "list",
                shape: #shape_list {
                    count: #count_name,
                    item: <#item as #describe>::LAYOUT,
                },
            }))
        }
        Codec::With(path) => {
            let source = source::path(path);
            quote!(#encoding_with(#source))
        }
    }
}

/// A field's default as source text, for layouts.
fn default_source(value: &DefaultValue) -> String {
    match value {
        DefaultValue::Trait => "Default::default()".to_owned(),
        DefaultValue::Expr(expr) => source::expr(expr),
    }
}

fn packet_name(item: &Item<'_, '_>) -> Option<String> {
    let packet = item.attrs.packet.as_ref()?;
    Some(packet.name.as_ref().map_or_else(|| item.input.ident.to_string(), |n| n.value.clone()))
}

/// The `Direction` variant naming who sends a packet.
fn direction_variant<'l>(lib: &'l Lib, packet: &crate::ir::PacketAttrs) -> &'l TokenStream {
    match packet.from.as_ref().map(|d| d.value) {
        Some(Direction::Client) => &lib.client_to_server,
        _ => &lib.server_to_client,
    }
}

fn packet_impl(item: &Item<'_, '_>, lib: &Lib) -> TokenStream {
    let Lib { build_range, build_range_new, direction: direction_type, packet: packet_trait, .. } = lib;
    let Some(packet) = &item.attrs.packet else {
        return quote!();
    };
    let ident = &item.input.ident;
    let (impl_generics, ty_generics, where_clause) = item.input.generics.split_for_impl();
    let name = packet_name(item);
    let id = packet.id.as_ref().map_or(0, |id| id.value);
    let direction = direction_variant(lib, packet);
    let since = packet.since.as_ref().map_or(0, |s| s.value);
    let until = packet.until.as_ref().map_or(u32::MAX, |s| s.value);
    let large = item.attrs.large.map(|_| {
        quote!(
            const LARGE: bool = true;
        )
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #packet_trait for #ident #ty_generics #where_clause {
            const NAME: &'static str = #name;
            const ID: u16 = #id;
            const DIRECTION: #direction_type = #direction;
            const BUILDS: #build_range = #build_range_new(#since, #until);
            #large
        }
    }
}
