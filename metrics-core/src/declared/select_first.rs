//! The methods a labelled family does not have, written once for every family.
//!
//! A labelled family holds one series per label combination, so `JOBS_TOTAL.inc()` has no series to add to. Left
//! to rustc, that is "no method named `inc` found for struct `JobsTotalFamily`". Instead each labelled family's
//! type derefs to a [`SelectFirst`] of itself, whose hidden methods are the cell's, each with a bound
//! (`F: SelectASeriesFirst<'a, L>`) that never holds: the call is then one E0277 on the method's name, carrying
//! the trait's `on_unimplemented` message, which names the family's type. Each signature matches the cell's own
//! (argument count, return type), with generic arguments, so the one error is not followed by a type mismatch;
//! no body can run, since no call compiles. Written once here rather than as methods generated per family: a
//! family then costs its compiler one `Deref` impl, not a method per cell method (scenario J in
//! `docs/performance.md`).

use core::marker::PhantomData;

use super::diagnostics::{NameTheLabels, SelectASeriesFirst};
use crate::label::LabelValue;
use crate::metric::{
    Counter, ExemplarCounter, ExemplarFloatCounter, ExemplarHistogram, FloatCounter, FloatGauge,
    Gauge, Histogram, HistogramTimer, InflightGuard, StateSet,
};

/// What a labelled family of type `F`, labels `L` (the labels struct) and cell `C` derefs to: the cell's methods,
/// each a compile error that says to select a series first. Never constructed but as [`SelectFirst::NEW`].
pub struct SelectFirst<F, L, C>(Phantom<F, L, C>);

/// Neither owns nor borrows its parameters: `SelectFirst` is `Send`, `Sync` and `'static` whatever they are.
type Phantom<F, L, C> = PhantomData<fn() -> (F, L, C)>;

impl<F, L, C> core::fmt::Debug for SelectFirst<F, L, C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SelectFirst")
    }
}

impl<F: 'static, L: 'static, C: 'static> SelectFirst<F, L, C> {
    /// The one value, for the family's `Deref`.
    pub const NEW: &'static Self = &Self(PhantomData);

    /// A `#[measure]` target naming a labelled family without label values (see `instrument/expand.rs` in
    /// `metrics-macros`): the series it would record into.
    #[doc(hidden)]
    pub fn __metrics_unlabelled<'a>(&'a self) -> &'a C
    where
        F: NameTheLabels<'a, L>,
    {
        unreachable!()
    }
}

impl<F: 'static, L: 'static> SelectFirst<F, L, Counter> {
    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn inc<'a>(&'a self)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn inc_by<'a, A0>(&'a self, _: A0)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn get<'a>(&'a self) -> u64
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }
}

impl<F: 'static, L: 'static> SelectFirst<F, L, ExemplarCounter> {
    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn inc<'a>(&'a self)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn inc_by<'a, A0>(&'a self, _: A0)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn get<'a>(&'a self) -> u64
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn inc_with_exemplar<'a, A0>(&'a self, _: A0)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn inc_by_with_exemplar<'a, A0, A1>(&'a self, _: A0, _: A1)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }
}

impl<F: 'static, L: 'static> SelectFirst<F, L, FloatCounter> {
    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn inc<'a>(&'a self)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn inc_by<'a, A0>(&'a self, _: A0) -> bool
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn get<'a>(&'a self) -> f64
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }
}

impl<F: 'static, L: 'static> SelectFirst<F, L, ExemplarFloatCounter> {
    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn inc<'a>(&'a self)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn inc_by<'a, A0>(&'a self, _: A0) -> bool
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn get<'a>(&'a self) -> f64
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn inc_by_with_exemplar<'a, A0, A1>(&'a self, _: A0, _: A1) -> bool
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }
}

impl<F: 'static, L: 'static> SelectFirst<F, L, Gauge> {
    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn set<'a, A0>(&'a self, _: A0)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn inc<'a>(&'a self)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn dec<'a>(&'a self)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn add<'a, A0>(&'a self, _: A0)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn sub<'a, A0>(&'a self, _: A0)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn get<'a>(&'a self) -> i64
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn track_inflight<'a>(&'a self) -> InflightGuard<'a>
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }
}

impl<F: 'static, L: 'static> SelectFirst<F, L, FloatGauge> {
    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn set<'a, A0>(&'a self, _: A0)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn add<'a, A0>(&'a self, _: A0)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn get<'a>(&'a self) -> f64
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }
}

impl<F: 'static, L: 'static, const B: usize> SelectFirst<F, L, Histogram<B>> {
    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn observe<'a, A0>(&'a self, _: A0) -> bool
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn observe_duration<'a, A0>(&'a self, _: A0)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn count<'a>(&'a self) -> u64
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn sum<'a>(&'a self) -> f64
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn bounds<'a>(&'a self) -> &'static [f64]
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn start_timer<'a>(&'a self) -> HistogramTimer<'a, B>
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }
}

impl<F: 'static, L: 'static, const B: usize> SelectFirst<F, L, ExemplarHistogram<B>> {
    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn observe<'a, A0>(&'a self, _: A0) -> bool
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn observe_duration<'a, A0>(&'a self, _: A0)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn count<'a>(&'a self) -> u64
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn sum<'a>(&'a self) -> f64
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn bounds<'a>(&'a self) -> &'static [f64]
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn observe_with_exemplar<'a, A0, A1>(&'a self, _: A0, _: A1) -> bool
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn observe_duration_with_exemplar<'a, A0, A1>(&'a self, _: A0, _: A1)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn exemplars_dropped<'a>(&'a self) -> u64
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }
}

impl<F: 'static, L: 'static, S: LabelValue + 'static> SelectFirst<F, L, StateSet<S>> {
    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn set<'a, A0>(&'a self, _: A0)
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }

    /// Not a method of this family: calling it is a compile error that says to select a series first.
    #[doc(hidden)]
    pub fn get<'a>(&'a self) -> S
    where
        F: SelectASeriesFirst<'a, L>,
    {
        unreachable!()
    }
}
