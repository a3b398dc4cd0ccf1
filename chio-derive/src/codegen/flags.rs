//! Code generation for `BanchoFlags`: a `bitflags` flag set carried as its bits.
//!
//! The derive goes inside `bitflags!` and uses only the `bitflags::Flags` trait, so it
//! never depends on how `bitflags` lays out the struct. Unknown bits are kept on decode
//! (`from_bits_retain`), so every value round-trips.

use proc_macro2::TokenStream;
use quote::quote;

use super::enums::INTEGERS;
use super::krate_path;
use crate::ir::ContainerAttrs;

pub(crate) fn expand(input: &syn::DeriveInput, attrs: &ContainerAttrs) -> TokenStream {
    let krate = krate_path(attrs);
    let ident = &input.ident;
    let name = ident.to_string();
    let flags = quote!(#krate::__private::bitflags::Flags);
    let casts = INTEGERS.iter().map(|wire| {
        let wire = syn::Ident::new(wire, proc_macro2::Span::call_site());
        let wire_name = wire.to_string();
        quote! {
            #[automatically_derived]
            impl #krate::WireCast<#wire> for #ident {
                #[inline]
                fn to_wire(&self) -> #krate::__private::Result<#wire, #krate::EncodeErrorKind> {
                    let __bits: __Bits = #flags::bits(self);
                    <#wire as ::core::convert::TryFrom<__Bits>>::try_from(__bits).map_err(|_| {
                        #krate::EncodeErrorKind::OutOfRange { value: i128::from(__bits), wire: #wire_name }
                    })
                }
                #[inline]
                fn from_wire(__wire: #wire) -> #krate::__private::Result<Self, #krate::DecodeErrorKind> {
                    <__Bits as ::core::convert::TryFrom<#wire>>::try_from(__wire)
                        .map(#flags::from_bits_retain)
                        .map_err(|_| #krate::DecodeErrorKind::OutOfRange { value: i128::from(__wire), ty: #name })
                }
            }
        }
    });
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications, clippy::all)]
        const _: () = {
            type __Bits = <#ident as #flags>::Bits;

            #[automatically_derived]
            impl #krate::Encode for #ident {
                const FIXED_LEN: #krate::__private::Option<usize> =
                    #krate::__private::Option::Some(::core::mem::size_of::<__Bits>());
                #[inline]
                fn encoded_len(&self, _: #krate::Context) -> usize {
                    ::core::mem::size_of::<__Bits>()
                }
                #[inline]
                fn encode<__ChioBuf: #krate::__private::BufMut + ?Sized>(
                    &self,
                    __chio_buf: &mut __ChioBuf,
                    __chio_ctx: #krate::Context,
                ) -> #krate::__private::Result<(), #krate::EncodeError> {
                    #krate::Encode::encode(&#flags::bits(self), __chio_buf, __chio_ctx)
                }
            }

            #[automatically_derived]
            impl<'__chio_de> #krate::Decode<'__chio_de> for #ident {
                const MIN_LEN: usize = ::core::mem::size_of::<__Bits>();
                #[inline]
                fn decode(
                    __chio_reader: &mut #krate::Reader<'__chio_de>,
                    __chio_ctx: #krate::Context,
                ) -> #krate::__private::Result<Self, #krate::DecodeError> {
                    <__Bits as #krate::Decode<'__chio_de>>::decode(__chio_reader, __chio_ctx).map(#flags::from_bits_retain)
                }
            }

            // Borrows nothing: detached as it is.
            #[automatically_derived]
            impl #krate::IntoOwned for #ident {
                type Owned = Self;
                #[inline(always)]
                fn into_owned(self) -> Self {
                    self
                }
            }

            #(#casts)*

            fn __named_flags() -> ::std::vec::Vec<(&'static str, u64)> {
                <#ident as #flags>::FLAGS
                    .iter()
                    .map(|__flag| (__flag.name(), #flags::bits(__flag.value()) as u64))
                    .collect()
            }

            #[automatically_derived]
            impl #krate::Describe for #ident {
                const LAYOUT: &'static #krate::Layout = &#krate::Layout {
                    name: #name,
                    shape: #krate::__private::Shape::Flags {
                        repr: <__Bits as #krate::Describe>::LAYOUT.name,
                        flags: __named_flags,
                    },
                };
            }
        };
    }
}
