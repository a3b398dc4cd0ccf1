//! What `BanchoEnum` and `BanchoFlags` share: both are an integer on the wire (a
//! variant's value, a flag set's bits), so they have one codec shape ([`int_codec`]), and
//! `WireCast` to every integer type ([`wire_casts`]) lets `wire = ...` put them in any
//! integer type the value fits.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::sanitization::{
    BUF, BUF_TYPE, CTX, FROM, Lib, READER, SIZE_OF, TRY_FROM, VALUE, WIRE, de_lifetime,
};

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

/// The `Encode` and `Decode` impls of `ident`, carried as an `int`: a fixed size, `to_int`
/// (the `int` of `self`) written as the integer, and the integer read back through
/// `from_int`, an expression of the read value bound to [`VALUE`] giving
/// `Result<Self, DecodeError>`. Its errors take the value's offset from [`START`], bound
/// only on that path (the reader stands right after the integer).
pub(crate) fn int_codec(
    lib: &Lib,
    ident: &Ident,
    int: &TokenStream,
    to_int: &TokenStream,
    from_int: &TokenStream,
) -> TokenStream {
    let Lib {
        encode,
        decode,
        context,
        reader,
        encode_error,
        decode_error,
        result,
        option,
        some,
        buf_mut,
        ..
    } = lib;
    let de = de_lifetime();
    quote! {
        #[automatically_derived]
        impl #encode for #ident {
            const FIXED_LEN: #option<usize> = #some(#SIZE_OF::<#int>());
            #[inline]
            fn encoded_len(&self, _: #context) -> usize {
                #SIZE_OF::<#int>()
            }
            #[inline]
            fn encode<#BUF_TYPE: #buf_mut + ?Sized>(
                &self,
                #BUF: &mut #BUF_TYPE,
                #CTX: #context,
            ) -> #result<(), #encode_error> {
                let #VALUE: #int = #to_int;
                #encode::encode(&#VALUE, #BUF, #CTX)
            }
        }

        #[automatically_derived]
        impl<#de> #decode<#de> for #ident {
            const MIN_LEN: usize = #SIZE_OF::<#int>();
            #[inline]
            fn decode(
                #READER: &mut #reader<#de>,
                #CTX: #context,
            ) -> #result<Self, #decode_error> {
                let #VALUE = <#int as #decode<#de>>::decode(#READER, #CTX)?;
                #from_int
            }
        }
    }
}
