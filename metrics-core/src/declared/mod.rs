//! The type of the families `metrics!` declares that record as events happen, with their accessors written once.
//!
//! Each such family is a static of a [`DeclaredFamily`] over its storage ([`DenseFamily`] for enum labels,
//! [`BoundedFamily`] when a label is a bounded string), its labels struct and its label types; the family's type
//! name (`JobsTotalFamily`) is an alias of it. The accessors (`with`, `labels`, `find`, `find_labels`), the
//! `Family` impl and the errors for the calls a family cannot answer are generic impls here, so a declared family
//! costs its crate's compiler a static, a labels struct and one [`LabelSet`] impl: each impl or method generated
//! per family is checked on its own in every crate that declares families, and was most of their compile time
//! (scenario J in `docs/performance.md`). Removable, info and observable families, whose calls differ, keep a
//! generated type of their own.

mod args;
mod diagnostics;
mod select_first;

pub use args::{Enum, LabelArg, LabelArgs, LabelSet, LabelType, LabelTypes, Text};
pub use diagnostics::{
    HasNoLabels, KeepsItsValues, NameTheLabels, Never, ObservedAtScrape, RecordInAClosure,
    SelectASeriesFirst,
};
pub use select_first::SelectFirst;

use core::marker::PhantomData;
use core::ops::Deref;

use crate::family::{BoundedFamily, DenseFamily, Family, Wraps};
use crate::metric::Metric;

/// A family declared in `metrics!`: its storage `S`, its labels struct `L` and its label types `A` in declaration
/// order (a tuple: each label's enum, or `Text` for a bounded string; `L` and `A` are `()` without labels). Each
/// declared family's type is an alias of one (`JobsTotalFamily`), and its static is the family.
///
/// Select a series with [`with`](Self::with) (a labels struct) or `labels` (the values in declaration order), then
/// record into it; a family without labels is its one series (`FAMILY.inc()`). To read without creating a series,
/// use [`find`](Self::find) or `find_labels`.
///
/// ```
/// use metrics_core::{LabelValue, metrics};
///
/// #[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
/// pub enum Queue { Email, Report }
///
/// metrics! {
///     /// Jobs finished.
///     pub counter jobs_total { queue: Queue }
///     /// Jobs waiting.
///     pub gauge jobs_waiting;
/// }
///
/// JOBS_TOTAL.labels(Queue::Email).inc();
/// JOBS_TOTAL.with(JobsTotalLabels { queue: Queue::Report }).inc_by(2);
/// JOBS_WAITING.set(3);
/// assert_eq!(JOBS_TOTAL.find_labels(Queue::Report).map(|series| series.get()), Some(2));
/// ```
#[repr(transparent)]
pub struct DeclaredFamily<S, L, A> {
    storage: S,
    labels: PhantomData<fn() -> (L, A)>,
}

impl<S, L, A> DeclaredFamily<S, L, A> {
    /// The family over `storage`, if its most series (`fits`) are within its budget; otherwise a compile error
    /// (in a static) saying `message`.
    #[doc(hidden)]
    #[inline]
    pub const fn new(fits: bool, message: &'static str, storage: S) -> Self {
        assert!(fits, "{}", message);
        Self {
            storage,
            labels: PhantomData,
        }
    }

    /// The storage, for code that reads a family the way the registry does.
    #[inline]
    pub fn storage(&self) -> &S {
        &self.storage
    }
}

impl<S: Family, L: 'static, A: 'static> Wraps for DeclaredFamily<S, L, A> {
    type Storage = S;

    #[inline]
    fn storage(&self) -> &S {
        &self.storage
    }
}

impl<S: core::fmt::Debug, L, A> core::fmt::Debug for DeclaredFamily<S, L, A> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.storage.fmt(f)
    }
}

/// A family without labels is its one series.
impl<M: Metric, const C: usize> Deref for DeclaredFamily<DenseFamily<M, C>, (), ()> {
    type Target = M;

    #[inline]
    fn deref(&self) -> &M {
        self.storage.get(0)
    }
}

impl<M: Metric + 'static, const C: usize> DeclaredFamily<DenseFamily<M, C>, (), ()> {
    /// The one series, for a `#[measure]` target naming this family.
    #[doc(hidden)]
    #[inline]
    pub fn __metrics_unlabelled(&self) -> &M {
        self.storage.get(0)
    }

    /// Not a method of this family: calling it is a compile error that says to record into it directly.
    #[doc(hidden)]
    pub fn with<'a, A0>(&'a self, _: A0) -> &'a M
    where
        Self: HasNoLabels<'a>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to record into it directly.
    #[doc(hidden)]
    pub fn labels<'a, A0>(&'a self, _: A0) -> &'a M
    where
        Self: HasNoLabels<'a>,
    {
        unreachable!()
    }
}

/// `remove` and `sweep` on a family with one bounded label that was not declared removable: an error that says how
/// to declare it.
impl<M: Metric, L, A> DeclaredFamily<BoundedFamily<M, 1>, L, A> {
    /// Not a method of this family: calling it is a compile error that says how to declare a removable family.
    #[doc(hidden)]
    pub fn remove<'a, A0>(&'a self, _: A0) -> bool
    where
        Self: KeepsItsValues<'a>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says how to declare a removable family.
    #[doc(hidden)]
    pub fn sweep<'a, A0>(&'a self, _: A0) -> usize
    where
        Self: KeepsItsValues<'a>,
    {
        unreachable!()
    }
}

impl<M: Metric + 'static, const C: usize, L: LabelSet<A>, A: LabelTypes>
    DeclaredFamily<DenseFamily<M, C>, L, A>
{
    /// The series for these labels: find it once and keep the reference on hot loops. Every series of a family
    /// with only enum labels exists from start-up, so this creates nothing.
    #[inline]
    pub fn with<'a>(&self, labels: L::At<'a>) -> &M
    where
        A::Values<'a>: LabelArgs<'a>,
    {
        self.dense_series(L::args(labels))
    }

    /// The series for these labels, to read: always `Some` here (every series exists from start-up), as for
    /// families with bounded labels, where it is `None` for a series never recorded.
    #[inline]
    pub fn find<'a>(&self, labels: L::At<'a>) -> Option<&M>
    where
        A::Values<'a>: LabelArgs<'a>,
    {
        Some(self.with(labels))
    }

    #[inline]
    fn dense_series<'a>(&self, values: A::Values<'a>) -> &M
    where
        A::Values<'a>: LabelArgs<'a>,
    {
        self.storage.get(values.enum_index())
    }
}

impl<M: Metric + 'static, const S: usize, L: LabelSet<A>, A: LabelTypes>
    DeclaredFamily<BoundedFamily<M, S>, L, A>
{
    /// The series for these labels, created if new: a bounded value seen for the first time takes a slot of its
    /// label's cap (past the cap it goes to the overflow series) and the series is exposed from then on, even if
    /// nothing is recorded into it. To read, use [`find`](Self::find), which creates nothing.
    #[inline]
    pub fn with<'a>(&self, labels: L::At<'a>) -> &M
    where
        A::Values<'a>: LabelArgs<'a>,
    {
        self.bounded_series(L::args(labels))
    }

    /// The series for these labels if it was ever created (by [`with`](Self::with) or `labels`), to read: interns
    /// nothing, creates and exposes nothing.
    #[inline]
    pub fn find<'a>(&self, labels: L::At<'a>) -> Option<&M>
    where
        A::Values<'a>: LabelArgs<'a>,
    {
        self.bounded_find(L::args(labels))
    }

    #[inline]
    fn bounded_series<'a>(&self, values: A::Values<'a>) -> &M
    where
        A::Values<'a>: LabelArgs<'a>,
    {
        let (strings, index) = values.keys::<S>();
        self.storage.get(strings, index)
    }

    #[inline]
    fn bounded_find<'a>(&self, values: A::Values<'a>) -> Option<&M>
    where
        A::Values<'a>: LabelArgs<'a>,
    {
        let (strings, index) = values.keys::<S>();
        self.storage.find(strings, index)
    }
}

/// Recording into a labelled family without selecting a series: an error that says to select one.
impl<M: Metric + 'static, const C: usize, L: LabelSet<A>, A: LabelTypes + 'static> Deref
    for DeclaredFamily<DenseFamily<M, C>, L, A>
{
    type Target = SelectFirst<Self, L, M>;

    #[inline]
    fn deref(&self) -> &Self::Target {
        SelectFirst::NEW
    }
}

/// Recording into a labelled family without selecting a series: an error that says to select one.
impl<M: Metric + 'static, const S: usize, L: LabelSet<A>, A: LabelTypes + 'static> Deref
    for DeclaredFamily<BoundedFamily<M, S>, L, A>
{
    type Target = SelectFirst<Self, L, M>;

    #[inline]
    fn deref(&self) -> &Self::Target {
        SelectFirst::NEW
    }
}

/// The positional accessors of a labelled family, one impl per label count: they take the values in declaration
/// order, each typed by the family's label types. Invoked once on one line, with the names of the most labels, and
/// recursing over each count: a wrong call's "method defined here" note then shows that one line.
macro_rules! positional {
    ([$($done:tt)*] $value:ident $ty:ident $(, $rest_value:ident $rest_ty:ident)*) => {
        positional!(@impls $($done)* $value $ty);
        positional!([$($done)* $value $ty,] $($rest_value $rest_ty),*);
    };
    ([$($done:tt)*]) => {};
    (@impls $($value:ident $ty:ident),+) => {
        impl<M: Metric + 'static, const C: usize, L: LabelSet<($($ty,)+)>, $($ty: LabelType),+>
            DeclaredFamily<DenseFamily<M, C>, L, ($($ty,)+)>
        {
            /// The series for these label values, in declaration order: as [`with`](Self::with).
            #[inline]
            #[allow(clippy::too_many_arguments)] // one per label, up to the label limit
            pub fn labels<'a>(&self, $($value: $ty::Value<'a>),+) -> &M
            where
                ($($ty::Value<'a>,)+): LabelArgs<'a>,
            {
                self.dense_series(($($value,)+))
            }

            /// [`find`](Self::find) with the label values in declaration order.
            #[inline]
            #[allow(clippy::too_many_arguments)] // one per label, up to the label limit
            pub fn find_labels<'a>(&self, $($value: $ty::Value<'a>),+) -> Option<&M>
            where
                ($($ty::Value<'a>,)+): LabelArgs<'a>,
            {
                Some(self.dense_series(($($value,)+)))
            }
        }

        impl<M: Metric + 'static, const S: usize, L: LabelSet<($($ty,)+)>, $($ty: LabelType),+>
            DeclaredFamily<BoundedFamily<M, S>, L, ($($ty,)+)>
        {
            /// The series for these label values, in declaration order: created, as [`with`](Self::with) does.
            #[inline]
            #[allow(clippy::too_many_arguments)] // one per label, up to the label limit
            pub fn labels<'a>(&self, $($value: $ty::Value<'a>),+) -> &M
            where
                ($($ty::Value<'a>,)+): LabelArgs<'a>,
            {
                self.bounded_series(($($value,)+))
            }

            /// [`find`](Self::find) with the label values in declaration order.
            #[inline]
            #[allow(clippy::too_many_arguments)] // one per label, up to the label limit
            pub fn find_labels<'a>(&self, $($value: $ty::Value<'a>),+) -> Option<&M>
            where
                ($($ty::Value<'a>,)+): LabelArgs<'a>,
            {
                self.bounded_find(($($value,)+))
            }
        }
    };
}

positional!([] v0 T0, v1 T1, v2 T2, v3 T3, v4 T4, v5 T5, v6 T6, v7 T7, v8 T8, v9 T9, v10 T10, v11 T11, v12 T12, v13 T13, v14 T14, v15 T15);
