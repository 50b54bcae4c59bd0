//! From a family's label values to its series: the labels struct `metrics!` generates names its values as a tuple
//! in declaration order, and the rule from that tuple to the storage's keys (the string values in order, and the
//! mixed-radix index of the enum values, last label fastest) is written here once for every family.

use crate::label::LabelValue;

/// A family's label types in declaration order, as a tuple: [`Enum`] of each enum label's type, or [`Text`] for a
/// bounded string label. It is the last parameter of a [`DeclaredFamily`](super::DeclaredFamily), which types the
/// positional accessors (`labels(a, b)`) with it.
///
/// No bound here says a label type is a [`LabelValue`]: the accessors that read values require it where they are
/// used, so a type that is not one is reported once, by the family's other uses of it, on the user's token.
#[doc(hidden)]
pub trait LabelTypes {
    /// The values of these labels, borrowed for `'a` where a label is a string.
    type Values<'a>;
}

/// One label's type: what a value of it is.
#[doc(hidden)]
pub trait LabelType {
    /// A value of this label.
    type Value<'a>;
}

/// An enum label's place in a family's [`LabelTypes`]: its values are `E`.
#[doc(hidden)]
#[derive(Debug)]
pub struct Enum<E>(core::marker::PhantomData<E>);

impl<E> LabelType for Enum<E> {
    type Value<'a> = E;
}

/// A bounded string label's place in a family's [`LabelTypes`]: its values are `&str`.
#[doc(hidden)]
#[derive(Debug)]
pub enum Text {}

impl LabelType for Text {
    type Value<'a> = &'a str;
}

/// A labels struct `metrics!` generates, implemented for its `'static` instance (`JobsTotalLabels<'static>` when
/// it borrows strings), for the family's label types `A`: its values in declaration order, as a tuple.
///
/// For generated code; the one impl a labelled family costs, beside its struct. `A` is a parameter rather than an
/// associated type so that the impl may name a label enum more private than the struct (an associated type may
/// not).
#[doc(hidden)]
pub trait LabelSet<A: LabelTypes>: 'static {
    /// The labels struct for values borrowed for `'a`.
    type At<'a>: Copy;
    /// The struct's fields as a tuple.
    #[allow(clippy::elidable_lifetime_names)] // named as the generated impls write it
    fn args<'a>(labels: Self::At<'a>) -> A::Values<'a>;
}

/// One label value: an enum label's value adds to the index, a string label's value is the next string key.
#[doc(hidden)]
pub trait LabelArg<'a>: Copy {
    /// The number of values an enum label can take; 1 for a string label, which the index does not count.
    const CARDINALITY: usize;
    /// Adds this value to the keys.
    fn put(self, strings: &mut [&'a str], next_string: &mut usize, index: &mut usize);
    /// The mixed-radix index so far, with this value added: an enum's value is the next digit, a string adds none.
    fn index_step(self, index: usize) -> usize;
}

impl<'a, E: LabelValue> LabelArg<'a> for E {
    const CARDINALITY: usize = E::CARDINALITY;

    #[inline]
    fn put(self, _: &mut [&'a str], _: &mut usize, index: &mut usize) {
        *index = self.index_step(*index);
    }

    #[inline]
    fn index_step(self, index: usize) -> usize {
        index * E::CARDINALITY + self.index()
    }
}

impl<'a> LabelArg<'a> for &'a str {
    const CARDINALITY: usize = 1;

    #[inline]
    fn put(self, strings: &mut [&'a str], next_string: &mut usize, _: &mut usize) {
        strings[*next_string] = self;
        *next_string += 1;
    }

    #[inline]
    fn index_step(self, index: usize) -> usize {
        index
    }
}

/// A family's label values in declaration order: a tuple of [`LabelArg`]s.
#[doc(hidden)]
pub trait LabelArgs<'a>: Copy {
    /// The number of combinations of the enum labels' values.
    const ENUM_COMBINATIONS: usize;
    /// The string values in order (`S` of them) and the enum values' mixed-radix index.
    fn keys<const S: usize>(self) -> ([&'a str; S], usize);
    /// The enum values' mixed-radix index alone: a dense family's series, with no strings to collect.
    fn enum_index(self) -> usize;
}

/// Tuples of each arity up to the label limit, as label types and as label values.
macro_rules! label_tuples {
    ($($($name:ident $ty:ident),+;)+) => {$(
        impl<$($ty: LabelType),+> LabelTypes for ($($ty,)+) {
            type Values<'a> = ($($ty::Value<'a>,)+);
        }

        impl<'a, $($ty: LabelArg<'a>),+> LabelArgs<'a> for ($($ty,)+) {
            const ENUM_COMBINATIONS: usize = 1 $(* $ty::CARDINALITY)+;

            #[inline]
            fn keys<const S: usize>(self) -> ([&'a str; S], usize) {
                let ($($name,)+) = self;
                let (mut strings, mut next_string, mut index) = ([""; S], 0, 0);
                $($name.put(&mut strings, &mut next_string, &mut index);)+
                let _ = next_string;
                (strings, index)
            }

            #[inline]
            fn enum_index(self) -> usize {
                let ($($name,)+) = self;
                let index = 0;
                $(let index = $name.index_step(index);)+
                index
            }
        }
    )+};
}

label_tuples! {
    a A;
    a A, b B;
    a A, b B, c C;
    a A, b B, c C, d D;
    a A, b B, c C, d D, e E;
    a A, b B, c C, d D, e E, f F;
    a A, b B, c C, d D, e E, f F, g G;
    a A, b B, c C, d D, e E, f F, g G, h H;
    a A, b B, c C, d D, e E, f F, g G, h H, i I;
    a A, b B, c C, d D, e E, f F, g G, h H, i I, j J;
    a A, b B, c C, d D, e E, f F, g G, h H, i I, j J, k K;
    a A, b B, c C, d D, e E, f F, g G, h H, i I, j J, k K, l L;
    a A, b B, c C, d D, e E, f F, g G, h H, i I, j J, k K, l L, m M;
    a A, b B, c C, d D, e E, f F, g G, h H, i I, j J, k K, l L, m M, n N;
    a A, b B, c C, d D, e E, f F, g G, h H, i I, j J, k K, l L, m M, n N, o O;
    a A, b B, c C, d D, e E, f F, g G, h H, i I, j J, k K, l L, m M, n N, o O, p P;
}

// The arities above are the label limit's.
const _: () = assert!(crate::family::MAX_LABELS == 16);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::Outcome;

    #[test]
    fn enum_values_count_in_mixed_radix_with_the_last_fastest() {
        // Outcome has two values: success = 0, failure = 1.
        assert_eq!((Outcome::Success, Outcome::Failure).keys::<0>(), ([], 1));
        assert_eq!((Outcome::Failure, Outcome::Success).keys::<0>(), ([], 2));
        assert_eq!((Outcome::Failure, Outcome::Failure).keys::<0>(), ([], 3));
        assert_eq!(<(Outcome, Outcome) as LabelArgs>::ENUM_COMBINATIONS, 4);
        // A dense family's shortcut finds the same series.
        for a in [Outcome::Success, Outcome::Failure] {
            for b in [Outcome::Success, Outcome::Failure] {
                assert_eq!((a, b).enum_index(), (a, b).keys::<0>().1);
            }
        }
    }

    #[test]
    fn strings_are_keys_in_order_and_do_not_count_in_the_index() {
        let (strings, index) = ("a", Outcome::Failure, "b").keys::<2>();
        assert_eq!((strings, index), (["a", "b"], 1));
        assert_eq!(<(&str, Outcome, &str) as LabelArgs>::ENUM_COMBINATIONS, 2);
    }
}
