//! Run-time descriptions of wire layouts, read by tools (the CLI, the generated protocol
//! reference) rather than by the codecs.
//!
//! Every derived type implements [`Describe`]; primitives are described here.

use std::borrow::Cow;

use crate::build::{BuildRange, ProtocolRange};
use crate::context::Context;
use crate::primitives::{Bools8, Trailing, Uleb128};

/// A type whose wire layout can be described at run time.
pub trait Describe {
    /// The layout.
    const LAYOUT: &'static Layout;
}

/// The wire layout of one type.
#[derive(Debug)]
pub struct Layout {
    /// The type's name (for packets, the reference's packet name).
    pub name: &'static str,
    /// What the type looks like on the wire.
    pub shape: Shape,
}

/// The kinds of layout.
#[derive(Debug)]
pub enum Shape {
    /// A primitive of the wire (number, bool, string, ULEB128, raw bytes...).
    Primitive,
    /// A counted list.
    List {
        /// The count prefix type (`i32`, `u16`...).
        count: &'static str,
        /// The element layout.
        item: &'static Layout,
    },
    /// Fields in wire order.
    Struct {
        /// The fields, each with the windows in which it is on the wire.
        fields: &'static [Field],
    },
    /// An enum carried as an integer.
    Enum {
        /// The integer type.
        repr: &'static str,
        /// Variant names and values.
        variants: &'static [(&'static str, i64)],
    },
    /// A flag set carried as an integer.
    Flags {
        /// The integer type.
        repr: &'static str,
        /// The named flags and their bits.
        flags: fn() -> Vec<(&'static str, u64)>,
    },
}

/// One field of a struct layout.
#[derive(Debug)]
pub struct Field {
    /// The field name (`0` for the field of a newtype).
    pub name: &'static str,
    /// The Rust type, as written in the source.
    pub rust_type: &'static str,
    /// Where the field is on the wire, and how. Outside every window it is absent.
    pub windows: &'static [Window],
    /// The value the field takes where it is absent, as written in the source.
    pub default: Option<&'static str>,
}

/// One window of a field: the builds and protocol versions where it is on the wire, and
/// its encoding there.
#[derive(Debug)]
pub struct Window {
    /// Builds in which the window applies.
    pub builds: BuildRange,
    /// Protocol versions in which the window applies.
    pub protocols: ProtocolRange,
    /// A condition on other field values (`when = ...`), as written in the source.
    pub condition: Option<&'static str>,
    /// The encoding in this window.
    pub encoding: Encoding,
}

/// How a field is encoded in a window.
#[derive(Debug)]
pub enum Encoding {
    /// As a value of this layout: the field's own type, or its `wire = ...` type.
    Wire(&'static Layout),
    /// By a hand-written codec (`with = path`), named here.
    With(&'static str),
}

impl Window {
    /// Whether the window applies to `ctx` (conditions on values aside).
    pub fn applies(&self, ctx: Context) -> bool {
        ctx.is_in(self.builds, self.protocols)
    }
}

impl Field {
    /// The window in force for `ctx`, if the field is on the wire there.
    pub fn window(&self, ctx: Context) -> Option<&Window> {
        self.windows.iter().find(|w| w.applies(ctx))
    }
}

impl Layout {
    /// The fields of a struct layout (empty for other shapes).
    pub fn fields(&self) -> &'static [Field] {
        match self.shape {
            Shape::Struct { fields } => fields,
            _ => &[],
        }
    }

    /// The fields on the wire for `ctx`, in order, with the window in force.
    pub fn fields_in(&self, ctx: Context) -> impl Iterator<Item = (&'static Field, &'static Window)> {
        self.fields().iter().filter_map(move |f| f.window(ctx).map(|w| (f, w)))
    }
}

macro_rules! primitive {
    ($($ty:ty => $name:literal),* $(,)?) => {$(
        impl Describe for $ty {
            const LAYOUT: &'static Layout = &Layout { name: $name, shape: Shape::Primitive };
        }
    )*};
}

primitive! {
    u8 => "u8", i8 => "i8", u16 => "u16", i16 => "i16", u32 => "u32", i32 => "i32",
    u64 => "u64", i64 => "i64", f32 => "f32", f64 => "f64", bool => "bool", () => "nothing",
    str => "string", String => "string", Cow<'_, str> => "string", &str => "string",
    Uleb128 => "uleb128", Bools8 => "bools8", Trailing<'_> => "trailing bytes",
}

impl<T: Describe> Describe for Vec<T> {
    const LAYOUT: &'static Layout =
        &Layout { name: "list", shape: Shape::List { count: "i32", item: T::LAYOUT } };
}

impl<T: Describe + ?Sized> Describe for Box<T> {
    const LAYOUT: &'static Layout = T::LAYOUT;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_layout_names_its_parts() {
        let layout = <Vec<u16> as Describe>::LAYOUT;
        match layout.shape {
            Shape::List { count, item } => {
                assert_eq!(count, "i32");
                assert_eq!(item.name, "u16");
            }
            _ => panic!("not a list: {layout:?}"),
        }
        assert!(layout.fields().is_empty());
    }
}
