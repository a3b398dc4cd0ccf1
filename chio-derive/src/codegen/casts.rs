//! `WireCast` to every integer type, shared by `BanchoEnum` and `BanchoFlags`: both are
//! an integer on the wire (a variant's value, a flag set's bits), so `wire = ...` can put
//! them in any integer type the value fits.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::sanitization::{FROM, Lib, TRY_FROM, VALUE, WIRE};

/// The integer types a derived enum or flag set converts to with `wire = ...`.
const INTEGERS: &[&str] = &["u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64"];

/// The `WireCast` impls of `ident`, carried as an `int`.
///
/// `to_int` is the `int` of `self`; encoding converts it to the wire type, and a value the
/// wire type cannot hold is `EncodeErrorKind::OutOfRange`. `from_wire` is the body of
/// `from_wire`, given the wire type, with the wire value bound to [`WIRE`].
pub(crate) fn wire_casts(
    lib: &Lib,
    ident: &Ident,
    int: &TokenStream,
    to_int: &TokenStream,
    from_wire: impl Fn(&Ident) -> TokenStream,
) -> TokenStream {
    let Lib { wire_cast, result, encode_error_kind, decode_error_kind, encode_out_of_range, .. } = lib;
    let casts = INTEGERS.iter().map(|wire| {
        let wire = Ident::new(wire, Span::call_site());
        let wire_name = wire.to_string();
        let from_wire = from_wire(&wire);
        quote! {
            #[automatically_derived]
            impl #wire_cast<#wire> for #ident {
                #[inline]
                fn to_wire(&self) -> #result<#wire, #encode_error_kind> {
                    let #VALUE: #int = #to_int;
                    <#wire as #TRY_FROM<#int>>::try_from(#VALUE).map_err(|_| {
                        #encode_out_of_range { value: <i128 as #FROM<#int>>::from(#VALUE), wire: #wire_name }
                    })
                }
                #[inline]
                fn from_wire(#WIRE: #wire) -> #result<Self, #decode_error_kind> {
                    #from_wire
                }
            }
        }
    });
    quote!(#(#casts)*)
}
