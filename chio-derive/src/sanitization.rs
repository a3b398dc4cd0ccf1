//! Every path and every local name the generated code uses, in one table (after binrw's
//! `sanitization.rs`). Parsing and the checks read the reserved prefix from here too.
//!
//! Generated code names each item by its full path, so it works in any module of any crate
//! without imports: library items from the root given by `#[bancho(crate = "...")]`
//! ([`Lib`]), language items from `::core` ([`Absolute`]), and every macro fully
//! qualified. Every name it binds ([`Local`]) starts with `__chio` (`'__chio_de`,
//! `__ChioBuf` for lifetimes and types), a prefix the checks reserve.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt as _};

/// The library root when `#[bancho(crate = "...")]` is not given.
pub(crate) const DEFAULT_ROOT: Absolute = Absolute("::chio_packets");

/// Declares the library items: a `Lib` field per item (the path from the root given by
/// `crate = ...`) and a constant with the same path relative to the root, for [`Lib::at`].
macro_rules! lib_items {
    ($($(#[doc = $doc:literal])* $konst:ident $field:ident = $path:literal;)*) => {
        /// Every library item the generated code names, each as a full path from the root
        /// given by `#[bancho(crate = "...")]` (default `::chio_packets`). Items generated
        /// at a user's span are taken with [`Lib::at`] instead, so some fields go unread.
        #[allow(dead_code)]
        pub(crate) struct Lib {
            /// The root itself, as given.
            pub(crate) root: TokenStream,
            $($(#[doc = $doc])* pub(crate) $field: TokenStream,)*
        }

        impl Lib {
            pub(crate) fn new(root: TokenStream) -> Self {
                Self { $($field: join(&root, $path, Span::call_site()),)* root }
            }
        }

        $(
            $(#[doc = $doc])*
            #[allow(dead_code)]
            pub(crate) const $konst: LibItem = LibItem($path);
        )*
    };
}

lib_items! {
    // Traits and types.
    /// `Encode`.
    ENCODE encode = "Encode";
    /// `Decode`.
    DECODE decode = "Decode";
    /// `Describe`.
    DESCRIBE describe = "Describe";
    /// `IntoOwned`.
    INTO_OWNED into_owned = "IntoOwned";
    /// `Packet`.
    PACKET packet = "Packet";
    /// `WireCast`.
    WIRE_CAST wire_cast = "WireCast";
    /// `CountPrefix`.
    COUNT_PREFIX count_prefix = "CountPrefix";
    /// `Context`.
    CONTEXT context = "Context";
    /// `Reader`.
    READER_TYPE reader = "Reader";
    /// `Layout`.
    LAYOUT layout = "Layout";
    /// `Direction`.
    DIRECTION direction = "Direction";
    /// `Direction::ServerToClient`.
    SERVER_TO_CLIENT server_to_client = "Direction::ServerToClient";
    /// `Direction::ClientToServer`.
    CLIENT_TO_SERVER client_to_server = "Direction::ClientToServer";
    /// `EncodeError`.
    ENCODE_ERROR encode_error = "EncodeError";
    /// `EncodeErrorKind::OutOfRange`.
    ENCODE_OUT_OF_RANGE encode_out_of_range = "EncodeErrorKind::OutOfRange";
    /// `EncodeErrorKind`.
    ENCODE_ERROR_KIND encode_error_kind = "EncodeErrorKind";
    /// `DecodeError`.
    DECODE_ERROR decode_error = "DecodeError";
    /// `DecodeError::new`.
    DECODE_ERROR_NEW decode_error_new = "DecodeError::new";
    /// `DecodeErrorKind`.
    DECODE_ERROR_KIND decode_error_kind = "DecodeErrorKind";
    /// `DecodeErrorKind::OutOfRange`.
    DECODE_OUT_OF_RANGE decode_out_of_range = "DecodeErrorKind::OutOfRange";
    /// `DecodeErrorKind::Custom`.
    DECODE_CUSTOM decode_custom = "DecodeErrorKind::Custom";

    // `core` items re-exported by the library, so a user's own `Result` or `Option` cannot
    // shadow them.
    /// `Result`.
    RESULT result = "__private::Result";
    /// `Ok`.
    OK ok = "__private::Ok";
    /// `Err`.
    ERR err = "__private::Err";
    /// `Option`.
    OPTION option = "__private::Option";
    /// `Option::Some`.
    SOME some = "__private::Option::Some";
    /// `Option::None`.
    NONE none = "__private::Option::None";
    /// `bytes::BufMut`.
    BUF_MUT buf_mut = "__private::BufMut";
    /// `bitflags::Flags`.
    FLAGS flags = "__private::bitflags::Flags";

    // Helpers called by generated code.
    /// The error for an integer that names no variant.
    INVALID_ENUM invalid_enum = "__private::invalid_enum";
    /// Encoded length through `WireCast`.
    WIRE_LEN wire_len = "__private::wire_len";
    /// Encoding through `WireCast`.
    PUT_WIRE put_wire = "__private::put_wire";
    /// Decoding through `WireCast`.
    READ_WIRE read_wire = "__private::read_wire";
    /// The sum of fixed sizes.
    FIXED_SUM fixed_sum = "__private::fixed_sum";
    /// How a run of fields is read: its stretches of fixed-size fields.
    RUN_PLAN run_plan = "__private::run_plan";
    /// A stretch of fixed-size fields as a reader of its own.
    TAKE_FIXED take_fixed = "Reader::take_fixed";
    /// `core::mem::ManuallyDrop`, which decoded fields are held in.
    MANUALLY_DROP manually_drop = "__private::ManuallyDrop";
    /// Drops a held field (on an error).
    DROP_HELD drop_held = "__private::drop_held";
    /// Encoded length of a list with a count prefix.
    LIST_ENCODED_LEN list_encoded_len = "__private::list::encoded_len";
    /// Encoding of a list with a count prefix.
    LIST_ENCODE list_encode = "__private::list::encode";
    /// Decoding of a list with a count prefix.
    LIST_DECODE list_decode = "__private::list::decode";
    /// `IntoOwned::into_owned` with the field type in the message of a missing impl.
    INTO_OWNED_FIELD into_owned_field = "__private::into_owned";
    /// `Default` with `#[bancho(default)]` in the message of a missing impl.
    FIELD_DEFAULT field_default = "__private::FieldDefault";

    // Layout types.
    /// `layout::Window`.
    LAYOUT_WINDOW layout_window = "__private::Window";
    /// `BuildRange::new`.
    BUILD_RANGE_NEW build_range_new = "__private::BuildRange::new";
    /// `BuildRange`.
    BUILD_RANGE build_range = "__private::BuildRange";
    /// `ProtocolRange::new`.
    PROTOCOL_RANGE_NEW protocol_range_new = "__private::ProtocolRange::new";
    /// `Encoding::Wire`.
    ENCODING_WIRE encoding_wire = "__private::Encoding::Wire";
    /// `Encoding::With`.
    ENCODING_WITH encoding_with = "__private::Encoding::With";
    /// `layout::Field`.
    LAYOUT_FIELD layout_field = "__private::Field";
    /// `Shape::Struct`.
    SHAPE_STRUCT shape_struct = "__private::Shape::Struct";
    /// `Shape::Enum`.
    SHAPE_ENUM shape_enum = "__private::Shape::Enum";
    /// `Shape::Flags`.
    SHAPE_FLAGS shape_flags = "__private::Shape::Flags";
    /// `Shape::List`.
    SHAPE_LIST shape_list = "__private::Shape::List";
}

/// A library item as a path relative to the root, for [`Lib::at`].
#[derive(Clone, Copy)]
pub(crate) struct LibItem(&'static str);

impl Lib {
    /// The item's path with the segments after the root at `span`, so that errors about it
    /// point there (at a field's type, say) rather than at the derive.
    pub(crate) fn at(&self, item: LibItem, span: Span) -> TokenStream {
        join(&self.root, item.0, span)
    }

    /// The root as source text, for doc links.
    pub(crate) fn root_source(&self) -> String {
        crate::source::path(&self.root)
    }
}

/// `root::a::b`, the segments after the root at `span`.
fn join(root: &TokenStream, path: &str, span: Span) -> TokenStream {
    let mut out = root.clone();
    for segment in path.split("::") {
        append_path_sep(&mut out, span);
        out.append(Ident::new(segment, span));
    }
    out
}

fn append_path_sep(out: &mut TokenStream, span: Span) {
    let mut first = proc_macro2::Punct::new(':', proc_macro2::Spacing::Joint);
    first.set_span(span);
    let mut second = proc_macro2::Punct::new(':', proc_macro2::Spacing::Alone);
    second.set_span(span);
    out.append(first);
    out.append(second);
}

/// A fully qualified path outside the library: `::core` wherever core has the item.
#[derive(Clone, Copy)]
pub(crate) struct Absolute(&'static str);

impl ToTokens for Absolute {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        for segment in self.0.trim_start_matches("::").split("::") {
            append_path_sep(tokens, Span::call_site());
            tokens.append(Ident::new(segment, Span::call_site()));
        }
    }
}

/// `::core::convert::From`.
pub(crate) const FROM: Absolute = Absolute("::core::convert::From");
/// `::core::convert::TryFrom`.
pub(crate) const TRY_FROM: Absolute = Absolute("::core::convert::TryFrom");
/// `::core::convert::Into::into`.
pub(crate) const INTO: Absolute = Absolute("::core::convert::Into::into");
/// `::core::default::Default`.
pub(crate) const DEFAULT: Absolute = Absolute("::core::default::Default");
/// `::core::mem::size_of`.
pub(crate) const SIZE_OF: Absolute = Absolute("::core::mem::size_of");
/// `::core::mem::needs_drop`.
pub(crate) const NEEDS_DROP: Absolute = Absolute("::core::mem::needs_drop");
/// `::core::stringify` (followed by `!`).
pub(crate) const STRINGIFY: Absolute = Absolute("::core::stringify");
/// `Vec`, which core does not have: the type `Shape::Flags` lists a flag set's flags in.
pub(crate) const VEC: Absolute = Absolute("::std::vec::Vec");

/// A name bound by generated code (a variable, a type parameter, a helper function).
#[derive(Clone, Copy)]
pub(crate) struct Local(&'static str);

impl Local {
    /// The name at `span`, for code generated at a user's tokens.
    pub(crate) fn at(self, span: Span) -> Ident {
        Ident::new(self.0, span)
    }
}

impl ToTokens for Local {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append(Ident::new(self.0, Span::call_site()));
    }
}

/// The prefix of every generated name; fields may not use it.
pub(crate) const RESERVED_PREFIX: &str = "__chio";

/// The buffer `encode` writes to.
pub(crate) const BUF: Local = Local("__chio_buf");
/// Its type parameter.
pub(crate) const BUF_TYPE: Local = Local("__ChioBuf");
/// The `Context` of `encode`, `encoded_len` and `decode`.
pub(crate) const CTX: Local = Local("__chio_ctx");
/// The reader `decode` reads from.
pub(crate) const READER: Local = Local("__chio_reader");
/// An error whose path a field or packet name is added to.
pub(crate) const ERROR: Local = Local("__chio_e");
/// An integer value being converted.
pub(crate) const VALUE: Local = Local("__chio_value");
/// A wire value being converted.
pub(crate) const WIRE: Local = Local("__chio_wire");
/// An integer that names no variant.
pub(crate) const OTHER: Local = Local("__chio_other");
/// Where a decoded value starts, for its error.
pub(crate) const START: Local = Local("__chio_start");
/// The reader of a stretch of fixed-size fields.
pub(crate) const RUN: Local = Local("__chio_run");
/// The plan of a run of fields (`__private::RunPlan`).
pub(crate) const PLAN: Local = Local("__chio_plan");
/// The size of a stretch of fixed-size fields.
pub(crate) const STRETCH_LEN: Local = Local("__chio_len");
/// The build argument of `Decode::decodes_borrowed`.
pub(crate) const BUILD: Local = Local("__chio_build");
/// One flag of a flag set.
pub(crate) const FLAG: Local = Local("__chio_flag");
/// The bits type of a flag set.
pub(crate) const BITS_TYPE: Local = Local("__ChioBits");
/// The function listing a flag set's named flags.
pub(crate) const NAMED_FLAGS: Local = Local("__chio_named_flags");
/// The variable bound to unnamed field `i` is this followed by `i`.
pub(crate) const FIELD_PREFIX: &str = "__chio_field";

/// The lifetime decoded values borrow from when the type has none of its own.
pub(crate) fn de_lifetime() -> syn::Lifetime {
    syn::Lifetime::new("'__chio_de", Span::call_site())
}
