//! Code generation for `BanchoEnum`: a fieldless enum carried as its `#[repr]` integer
//! (codec, casts, conversions, `Describe` and the identity `IntoOwned`).

use proc_macro2::TokenStream;
use quote::quote;

use super::krate_path;
use crate::ir::ContainerAttrs;

/// The integer types a derived enum or flag set converts to with `wire = ...`.
pub(crate) const INTEGERS: &[&str] = &["u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64"];

/// A checked enum: its repr and each variant with its value.
pub(crate) struct Enum<'a> {
    pub(crate) input: &'a syn::DeriveInput,
    pub(crate) attrs: ContainerAttrs,
    pub(crate) repr: syn::Ident,
    pub(crate) variants: Vec<(&'a syn::Ident, i128)>,
}

pub(crate) fn expand(item: &Enum<'_>) -> TokenStream {
    let krate = krate_path(&item.attrs);
    let ident = &item.input.ident;
    let name = ident.to_string();
    let repr = &item.repr;
    let names: Vec<_> = item.variants.iter().map(|(v, _)| *v).collect();
    let values: Vec<TokenStream> = item.variants.iter().map(|(_, value)| int_literal(*value)).collect();
    let variant_names: Vec<String> = names.iter().map(|v| v.to_string()).collect();
    let variant_values: Vec<i64> =
        item.variants.iter().map(|(_, v)| i64::try_from(*v).unwrap_or(i64::MAX)).collect();
    let casts = INTEGERS.iter().map(|wire| {
        let wire = syn::Ident::new(wire, proc_macro2::Span::call_site());
        let wire_name = wire.to_string();
        quote! {
            #[automatically_derived]
            impl #krate::WireCast<#wire> for #ident {
                #[inline]
                fn to_wire(&self) -> #krate::__private::Result<#wire, #krate::EncodeErrorKind> {
                    let __value: i64 = match self { #(Self::#names => #values,)* };
                    <#wire as ::core::convert::TryFrom<i64>>::try_from(__value).map_err(|_| {
                        #krate::EncodeErrorKind::OutOfRange { value: i128::from(__value), wire: #wire_name }
                    })
                }
                #[inline]
                fn from_wire(__wire: #wire) -> #krate::__private::Result<Self, #krate::DecodeErrorKind> {
                    let __value = <i64 as ::core::convert::TryFrom<#wire>>::try_from(__wire).unwrap_or(i64::MAX);
                    match __value {
                        #(#values => #krate::__private::Ok(Self::#names),)*
                        __other => #krate::__private::Err(#krate::__private::invalid_enum(#name, __other)),
                    }
                }
            }
        }
    });
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications, clippy::all)]
        const _: () = {
            #[automatically_derived]
            impl #krate::Encode for #ident {
                const FIXED_LEN: #krate::__private::Option<usize> =
                    #krate::__private::Option::Some(::core::mem::size_of::<#repr>());
                #[inline]
                fn encoded_len(&self, _: #krate::Context) -> usize {
                    ::core::mem::size_of::<#repr>()
                }
                #[inline]
                fn encode<__ChioBuf: #krate::__private::BufMut + ?Sized>(
                    &self,
                    __chio_buf: &mut __ChioBuf,
                    __chio_ctx: #krate::Context,
                ) -> #krate::__private::Result<(), #krate::EncodeError> {
                    let __value: #repr = match self { #(Self::#names => #values,)* };
                    #krate::Encode::encode(&__value, __chio_buf, __chio_ctx)
                }
            }

            #[automatically_derived]
            impl<'__chio_de> #krate::Decode<'__chio_de> for #ident {
                const MIN_LEN: usize = ::core::mem::size_of::<#repr>();
                #[inline]
                fn decode(
                    __chio_reader: &mut #krate::Reader<'__chio_de>,
                    __chio_ctx: #krate::Context,
                ) -> #krate::__private::Result<Self, #krate::DecodeError> {
                    let __start = __chio_reader.position();
                    match <#repr as #krate::Decode<'__chio_de>>::decode(__chio_reader, __chio_ctx)? {
                        #(#values => #krate::__private::Ok(Self::#names),)*
                        __other => #krate::__private::Err(#krate::DecodeError::new(
                            #krate::__private::invalid_enum(#name, <i64 as ::core::convert::TryFrom<#repr>>::try_from(__other).unwrap_or(i64::MAX)),
                            __start,
                        )),
                    }
                }
            }

            #[automatically_derived]
            impl ::core::convert::From<#ident> for #repr {
                #[inline]
                fn from(__value: #ident) -> #repr {
                    match __value { #(#ident::#names => #values,)* }
                }
            }

            #[automatically_derived]
            impl ::core::convert::TryFrom<#repr> for #ident {
                type Error = #krate::DecodeErrorKind;
                #[inline]
                fn try_from(__value: #repr) -> #krate::__private::Result<Self, Self::Error> {
                    match __value {
                        #(#values => #krate::__private::Ok(Self::#names),)*
                        __other => #krate::__private::Err(#krate::__private::invalid_enum(#name, <i64 as ::core::convert::TryFrom<#repr>>::try_from(__other).unwrap_or(i64::MAX))),
                    }
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

            #[automatically_derived]
            impl #krate::Describe for #ident {
                const LAYOUT: &'static #krate::Layout = &#krate::Layout {
                    name: #name,
                    shape: #krate::__private::Shape::Enum {
                        repr: stringify!(#repr),
                        variants: &[#((#variant_names, #variant_values)),*],
                    },
                };
            }
        };
    }
}

/// An integer literal; a negative one is a minus sign and the absolute value, as Rust
/// writes it in patterns.
fn int_literal(value: i128) -> TokenStream {
    let abs = syn::LitInt::new(&value.unsigned_abs().to_string(), proc_macro2::Span::call_site());
    if value < 0 { quote!(-#abs) } else { quote!(#abs) }
}
