//! Code generation for `BanchoEnum`: a fieldless enum carried as its `#[repr]` integer
//! (codec, casts, conversions, `Describe` and the identity `IntoOwned`).

use proc_macro2::TokenStream;
use quote::quote;

use super::casts::{int_codec, wire_casts};
use super::{bug, identity_owned, wrap};
use crate::ir::{Container, Enum};
use crate::sanitization::{FROM, Lib, OTHER, READER, SIZE_OF, START, STRINGIFY, TRY_FROM, VALUE, WIRE};

pub(crate) fn expand(item: &Container<'_>, data: &Enum<'_>, lib: &Lib) -> TokenStream {
    let Lib {
        describe,
        layout,
        decode_error_new,
        decode_error_kind,
        result,
        ok,
        err,
        invalid_enum,
        shape_enum,
        ..
    } = lib;
    let ident = &item.input.ident;
    let Some(repr) = &data.repr else {
        // The checks require a repr.
        return bug(ident);
    };
    let name = ident.to_string();
    let names: Vec<_> = data.variants.iter().map(|v| v.ident()).collect();
    let values: Vec<TokenStream> = data.variants.iter().map(|v| int_literal(v.value)).collect();
    let variant_names: Vec<String> = names.iter().map(|v| v.to_string()).collect();
    let variant_values: Vec<i64> =
        data.variants.iter().map(|v| i64::try_from(v.value).unwrap_or(i64::MAX)).collect();
    let casts =
        wire_casts(lib, ident, &quote!(i64), &quote!(match self { #(Self::#names => #values,)* }), |wire| {
            quote! {
                let #VALUE = <i64 as #TRY_FROM<#wire>>::try_from(#WIRE).unwrap_or(i64::MAX);
                match #VALUE {
                    #(#values => #ok(Self::#names),)*
                    #OTHER => #err(#invalid_enum(#name, #OTHER)),
                }
            }
        });
    let codec = int_codec(
        lib,
        ident,
        &quote!(#repr),
        &quote!(match self { #(Self::#names => #values,)* }),
        &quote! {
            match #VALUE {
                #(#values => #ok(Self::#names),)*
                #OTHER => {
                    let #START = #READER.position() - #SIZE_OF::<#repr>();
                    #err(#decode_error_new(
                        #invalid_enum(#name, <i64 as #TRY_FROM<#repr>>::try_from(#OTHER).unwrap_or(i64::MAX)),
                        #START,
                    ))
                }
            }
        },
    );
    let owned = identity_owned(lib, ident);
    wrap(quote! {
        #codec

        #[automatically_derived]
        impl #FROM<#ident> for #repr {
            #[inline]
            fn from(#VALUE: #ident) -> #repr {
                match #VALUE { #(#ident::#names => #values,)* }
            }
        }

        #[automatically_derived]
        impl #TRY_FROM<#repr> for #ident {
            type Error = #decode_error_kind;
            #[inline]
            fn try_from(#VALUE: #repr) -> #result<Self, Self::Error> {
                match #VALUE {
                    #(#values => #ok(Self::#names),)*
                    #OTHER => #err(#invalid_enum(#name, <i64 as #TRY_FROM<#repr>>::try_from(#OTHER).unwrap_or(i64::MAX))),
                }
            }
        }

        #owned

        #casts

        #[automatically_derived]
        impl #describe for #ident {
            const LAYOUT: &'static #layout = &#layout {
                name: #name,
                shape: #shape_enum {
                    repr: #STRINGIFY!(#repr),
                    variants: &[#((#variant_names, #variant_values)),*],
                },
            };
        }
    })
}

/// An integer literal; a negative one is a minus sign and the absolute value, as Rust
/// writes it in patterns.
fn int_literal(value: i128) -> TokenStream {
    let abs = syn::LitInt::new(&value.unsigned_abs().to_string(), proc_macro2::Span::call_site());
    if value < 0 { quote!(-#abs) } else { quote!(#abs) }
}
