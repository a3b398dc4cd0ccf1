//! Code generation for `BanchoFlags`: a `bitflags` flag set carried as its bits.
//!
//! The derive goes inside `bitflags!` and uses only the `bitflags::Flags` trait, so it
//! never depends on how `bitflags` lays out the struct. Unknown bits are kept on decode
//! (`from_bits_retain`), so every value round-trips.

use proc_macro2::TokenStream;
use quote::quote;

use super::casts::{int_codec, wire_casts};
use super::{identity_owned, wrap};
use crate::ir::Container;
use crate::sanitization::{BITS_TYPE, FLAG, FROM, Lib, NAMED_FLAGS, TRY_FROM, VALUE, VEC, WIRE};

pub(crate) fn expand(item: &Container<'_>, lib: &Lib) -> TokenStream {
    let Lib { describe, layout, decode_out_of_range, ok, flags, shape_flags, .. } = lib;
    let ident = &item.input.ident;
    let name = ident.to_string();
    let casts = wire_casts(lib, ident, &quote!(#BITS_TYPE), &quote!(#flags::bits(self)), |wire| {
        quote! {
            <#BITS_TYPE as #TRY_FROM<#wire>>::try_from(#WIRE)
                .map(#flags::from_bits_retain)
                .map_err(|_| #decode_out_of_range { value: <i128 as #FROM<#wire>>::from(#WIRE), ty: #name })
        }
    });
    let codec = int_codec(
        lib,
        ident,
        &quote!(#BITS_TYPE),
        &quote!(#flags::bits(self)),
        &quote!(#ok(#flags::from_bits_retain(#VALUE))),
    );
    let owned = identity_owned(lib, ident);
    wrap(quote! {
        type #BITS_TYPE = <#ident as #flags>::Bits;

        #codec

        #owned

        #casts

        fn #NAMED_FLAGS() -> #VEC<(&'static str, u64)> {
            <#ident as #flags>::FLAGS
                .iter()
                .map(|#FLAG| (#FLAG.name(), #flags::bits(#FLAG.value()) as u64))
                .collect()
        }

        #[automatically_derived]
        impl #describe for #ident {
            const LAYOUT: &'static #layout = &#layout {
                name: #name,
                shape: #shape_flags {
                    repr: <#BITS_TYPE as #describe>::LAYOUT.name,
                    flags: #NAMED_FLAGS,
                },
            };
        }
    })
}
