//! Stage 3 of the pipeline: code generation from the checked IR.
//!
//! Generated code names every item by its full path (see [`crate::sanitization`]), so it
//! works in any module of any crate without imports, and marks impls
//! `#[automatically_derived]`.

mod casts;
mod enums;
mod flags;
mod structs;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Container, ContainerAttrs, Data};
use crate::sanitization::{DEFAULT_ROOT, Lib};

/// The impls for a checked item.
pub(crate) fn expand(item: &Container<'_>) -> TokenStream {
    let lib = lib(&item.attrs);
    match &item.data {
        Data::Struct(data) => structs::expand(item, data, &lib),
        Data::Enum(data) => enums::expand(item, data, &lib),
        Data::Flags => flags::expand(item, &lib),
        // The checks report an unfit item.
        Data::Unfit => bug(&item.input.ident),
    }
}

/// The error for an item the checks passed but codegen cannot expand: a bug in the macro,
/// reported politely instead of panicking.
fn bug(ident: &syn::Ident) -> TokenStream {
    syn::Error::new_spanned(ident, "chio-derive failed without an error message (a bug)").to_compile_error()
}

/// The library's items under the crate root the generated code refers to.
fn lib(attrs: &ContainerAttrs) -> Lib {
    match &attrs.krate {
        Some(path) => Lib::new(quote!(#path)),
        None => Lib::new(quote!(#DEFAULT_ROOT)),
    }
}

/// `#[doc(hidden)] const _: () = { ... };` around an item's impls, with the lints generated
/// code must not trigger.
fn wrap(impls: TokenStream) -> TokenStream {
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications, clippy::all)]
        const _: () = {
            #impls
        };
    }
}

/// `IntoOwned` for a type that borrows nothing (enums, flag sets): it is detached as it is.
fn identity_owned(lib: &Lib, ident: &syn::Ident) -> TokenStream {
    let into_owned = &lib.into_owned;
    quote! {
        #[automatically_derived]
        impl #into_owned for #ident {
            type Owned = Self;
            #[inline(always)]
            fn into_owned(self) -> Self {
                self
            }
        }
    }
}
