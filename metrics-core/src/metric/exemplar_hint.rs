//! The exemplar methods of the cells that keep no exemplars, declared so that calling one is an error saying
//! to declare the family `exemplars = true` (rustc alone says "no method named `observe_with_exemplar`").
//!
//! Each method's `where Self: ExemplarsDeclared<'a>` bound never holds: the trait is implemented only for an
//! uninhabited type, and the lifetime keeps the bound from being a trivially false one, which rustc refuses where
//! it is written. No call compiles, so no body runs.

use std::time::Duration;

use super::{Counter, FloatCounter, Histogram};

/// Implemented only for [`NoExemplars`]: the bound of the exemplar methods of cells without exemplars.
#[diagnostic::on_unimplemented(
    message = "`{Self}` keeps no exemplars: declare its family with `exemplars = true` in `metrics!`",
    label = "a family without exemplars",
    note = "for example `pub histogram checkout_seconds {{ buckets = latency, exemplars = true }}`; with the `tracing` feature a plain `observe`/`inc` already takes the current span's trace"
)]
#[doc(hidden)]
pub trait ExemplarsDeclared<'a> {}

/// Uninhabited.
#[doc(hidden)]
#[derive(Debug)]
pub enum NoExemplars {}

#[diagnostic::do_not_recommend]
impl ExemplarsDeclared<'_> for NoExemplars {}

impl Counter {
    #[doc(hidden)]
    pub fn inc_with_exemplar<'a>(&'a self, _labels: &[(&str, &str)])
    where
        Self: ExemplarsDeclared<'a>,
    {
        unreachable!("the bound never holds")
    }

    #[doc(hidden)]
    pub fn inc_by_with_exemplar<'a, N>(&'a self, _n: N, _labels: &[(&str, &str)])
    where
        Self: ExemplarsDeclared<'a>,
    {
        unreachable!("the bound never holds")
    }
}

impl FloatCounter {
    #[doc(hidden)]
    pub fn inc_by_with_exemplar<'a, N>(&'a self, _v: N, _labels: &[(&str, &str)]) -> bool
    where
        Self: ExemplarsDeclared<'a>,
    {
        unreachable!("the bound never holds")
    }
}

impl<const B: usize> Histogram<B> {
    #[doc(hidden)]
    pub fn observe_with_exemplar<'a, V>(&'a self, _v: V, _labels: &[(&str, &str)]) -> bool
    where
        Self: ExemplarsDeclared<'a>,
    {
        unreachable!("the bound never holds")
    }

    #[doc(hidden)]
    pub fn observe_duration_with_exemplar<'a>(
        &'a self,
        _elapsed: Duration,
        _labels: &[(&str, &str)],
    ) where
        Self: ExemplarsDeclared<'a>,
    {
        unreachable!("the bound never holds")
    }
}
