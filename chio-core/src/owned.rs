//! [`IntoOwned`]: detaching a decoded value from the input it borrows.

use std::borrow::Cow;

use crate::primitives::{Bools8, Trailing, Uleb128};

/// A value that can be detached from the input it was decoded from.
///
/// Decoding borrows strings from the input (`Cow::Borrowed`), so a decoded packet lives no
/// longer than the buffer it was read from. `into_owned` copies what is borrowed and moves
/// everything else, giving a `'static` value that can outlive the buffer, be sent to
/// another thread or be stored.
///
/// [`Owned`](IntoOwned::Owned) is the same type with every borrow made owned
/// (`Cow<'a, str>` becomes `Cow<'static, str>`); for types that borrow nothing it is
/// `Self`, returned unchanged. Owned parts are moved, never copied: a `Cow::Owned` string
/// keeps its allocation, and so does a `Vec` whose elements keep their size (every bancho
/// type: only lifetimes change).
///
/// Implemented for every type the derives take as a field: numbers, `bool`, `char`, `()`,
/// `String`, `Cow<'_, str>`, `Cow<'_, [u8]>` (any `Cow` of a `'static` borrowed type),
/// `Vec`, `Option`, `Box` and arrays of such types, [`Uleb128`], [`Bools8`] and
/// [`Trailing`]. `#[derive(BanchoEnum)]` and `#[derive(BanchoFlags)]` implement it as the
/// identity; `#[derive(BanchoPacket)]` and `#[derive(BanchoPayload)]` implement it field by
/// field (`Foo<'a>` becomes `Foo<'static>`, so each field type must implement it) and add
/// an inherent `into_owned` that forwards here, callable without importing the trait.
///
/// ```
/// use std::borrow::Cow;
/// use chio_core::{Context, Decode, Encode, IntoOwned};
///
/// let ctx = Context::NEWEST;
/// let bytes = "#osu".encode_payload(ctx).unwrap();
/// let borrowed: Vec<Cow<'_, str>> = vec![Cow::decode_payload(&bytes, ctx).unwrap()];
/// let owned: Vec<Cow<'static, str>> = borrowed.into_owned();
/// drop(bytes);
/// assert_eq!(owned, ["#osu"]);
/// ```
///
/// `Cow` has an inherent `into_owned` of its own, which returns the owned type (`String`)
/// and wins over this trait in method calls: write `IntoOwned::into_owned(cow)` to keep a
/// `Cow<'static, str>`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be detached from the input it was decoded from",
    label = "`{Self}` does not implement `IntoOwned`",
    note = "derived bancho types with a lifetime convert every field with `chio_core::IntoOwned` in `into_owned`: borrow through `Cow<'a, str>` (or `Cow<'a, [u8]>`) rather than a reference, or implement `IntoOwned` for the field type"
)]
pub trait IntoOwned {
    /// The detached type: `Self` with every borrow made owned.
    type Owned: 'static;

    /// Detaches the value from its input: borrowed parts are copied, owned ones moved.
    fn into_owned(self) -> Self::Owned;
}

/// Types that borrow nothing: `into_owned` is the identity.
macro_rules! identity {
    ($($ty:ty),* $(,)?) => {$(
        impl IntoOwned for $ty {
            type Owned = Self;
            #[inline(always)]
            fn into_owned(self) -> Self {
                self
            }
        }
    )*};
}

identity!(u8, i8, u16, i16, u32, i32, u64, i64, u128, i128, usize, isize, f32, f64, bool, char, ());
identity!(String, Uleb128, Bools8);

/// A borrowed `Cow` is copied into `Cow::Owned`; an owned one is moved as it is.
impl<B> IntoOwned for Cow<'_, B>
where
    B: ToOwned + ?Sized + 'static,
{
    type Owned = Cow<'static, B>;

    #[inline]
    fn into_owned(self) -> Cow<'static, B> {
        match self {
            Cow::Borrowed(borrowed) => Cow::Owned(borrowed.to_owned()),
            Cow::Owned(owned) => Cow::Owned(owned),
        }
    }
}

/// Element by element. Elements whose owned form has their size and alignment (every
/// bancho type: only lifetimes change) are converted in place, in the same allocation.
impl<T: IntoOwned> IntoOwned for Vec<T> {
    type Owned = Vec<T::Owned>;

    #[inline]
    fn into_owned(self) -> Vec<T::Owned> {
        self.into_iter().map(IntoOwned::into_owned).collect()
    }
}

impl<T: IntoOwned> IntoOwned for Option<T> {
    type Owned = Option<T::Owned>;

    #[inline]
    fn into_owned(self) -> Option<T::Owned> {
        self.map(IntoOwned::into_owned)
    }
}

impl<T: IntoOwned> IntoOwned for Box<T> {
    type Owned = Box<T::Owned>;

    #[inline]
    fn into_owned(self) -> Box<T::Owned> {
        Box::new((*self).into_owned())
    }
}

impl<T: IntoOwned, const N: usize> IntoOwned for [T; N] {
    type Owned = [T::Owned; N];

    #[inline]
    fn into_owned(self) -> [T::Owned; N] {
        self.map(IntoOwned::into_owned)
    }
}

impl IntoOwned for Trailing<'_> {
    type Owned = Trailing<'static>;

    #[inline]
    fn into_owned(self) -> Trailing<'static> {
        Trailing(IntoOwned::into_owned(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Borrowed parts are copied, owned parts moved without a copy.
    #[test]
    fn borrowed_parts_are_copied_and_owned_parts_moved() {
        let input = String::from("peppy");
        let borrowed: Cow<'_, str> = Cow::Borrowed(&input);
        let owned: Cow<'static, str> = IntoOwned::into_owned(borrowed);
        assert!(matches!(&owned, Cow::Owned(s) if s == "peppy"));
        drop(input);

        let text = String::from("already owned");
        let at = text.as_ptr();
        let moved = IntoOwned::into_owned(Cow::<str>::Owned(text));
        assert_eq!(moved.as_ptr(), at, "an owned Cow keeps its allocation");

        let bytes = [1u8, 2, 3];
        let trailing = Trailing(Cow::Borrowed(&bytes[..])).into_owned();
        assert!(matches!(trailing.0, Cow::Owned(ref v) if v == &[1, 2, 3]));
    }

    #[test]
    fn containers_convert_every_element() {
        let input = String::from("a b");
        let (a, b) = input.split_at(1);
        let list: Vec<Option<Cow<'_, str>>> = vec![Some(Cow::Borrowed(a)), None, Some(Cow::Borrowed(b))];
        let boxed = Box::new([Cow::Borrowed(a), Cow::Borrowed(b)]);
        let list = list.into_owned();
        let boxed = boxed.into_owned();
        drop(input);
        assert_eq!(list, [Some(Cow::Borrowed("a")), None, Some(Cow::Borrowed(" b"))]);
        assert_eq!(*boxed, ["a", " b"]);
        assert_eq!(7u32.into_owned(), 7);
        assert_eq!(Uleb128(300).into_owned(), Uleb128(300));
        assert_eq!(Bools8([true; 8]).into_owned(), Bools8([true; 8]));
    }
}
