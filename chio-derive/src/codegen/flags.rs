//! Code generation for `BanchoFlags`: a `bitflags` flag set carried as its bits.
//!
//! The derive goes inside `bitflags!` and uses only the `bitflags::Flags` trait, so it
//! never depends on how `bitflags` lays out the struct. Unknown bits are kept on decode
//! (`from_bits_retain`), so every value round-trips.

use proc_macro2::TokenStream;
use quote::quote;

use super::casts::wire_casts;
use super::{identity_owned, wrap};
use crate::ir::Container;
use crate::sanitization::{
    BITS_TYPE, BUF, BUF_TYPE, CTX, FLAG, FROM, Lib, NAMED_FLAGS, READER, SIZE_OF, TRY_FROM, VEC, WIRE,
    de_lifetime,
};

pub(crate) fn expand(item: &Container<'_>, lib: &Lib) -> TokenStream {
    let Lib {
        encode,
        decode,
        describe,
        context,
        reader,
        layout,
        encode_error,
        decode_error,
        decode_out_of_range,
        result,
        option,
        some,
        buf_mut,
        flags,
        shape_flags,
        ..
    } = lib;
    let ident = &item.input.ident;
    let de = de_lifetime();
    let name = ident.to_string();
    let casts = wire_casts(lib, ident, &quote!(#BITS_TYPE), &quote!(#flags::bits(self)), |wire| {
        quote! {
            <#BITS_TYPE as #TRY_FROM<#wire>>::try_from(#WIRE)
                .map(#flags::from_bits_retain)
                .map_err(|_| #decode_out_of_range { value: <i128 as #FROM<#wire>>::from(#WIRE), ty: #name })
        }
    });
    let owned = identity_owned(lib, ident);
    wrap(quote! {
        type #BITS_TYPE = <#ident as #flags>::Bits;

        #[automatically_derived]
        impl #encode for #ident {
            const FIXED_LEN: #option<usize> =
                #some(#SIZE_OF::<#BITS_TYPE>());
            #[inline]
            fn encoded_len(&self, _: #context) -> usize {
                #SIZE_OF::<#BITS_TYPE>()
            }
            #[inline]
            fn encode<#BUF_TYPE: #buf_mut + ?Sized>(
                &self,
                #BUF: &mut #BUF_TYPE,
                #CTX: #context,
            ) -> #result<(), #encode_error> {
                #encode::encode(&#flags::bits(self), #BUF, #CTX)
            }
        }

        #[automatically_derived]
        impl<#de> #decode<#de> for #ident {
            const MIN_LEN: usize = #SIZE_OF::<#BITS_TYPE>();
            #[inline]
            fn decode(
                #READER: &mut #reader<#de>,
                #CTX: #context,
            ) -> #result<Self, #decode_error> {
                <#BITS_TYPE as #decode<#de>>::decode(#READER, #CTX).map(#flags::from_bits_retain)
            }
        }

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
