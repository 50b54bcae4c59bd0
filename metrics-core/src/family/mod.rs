//! Metric families: a descriptor plus one cell per label combination, and what a scrape reads from them.

mod bounded;
mod dense;
mod descriptor;
mod info;
mod objective;
mod observable;
mod odometer;
mod problem;
mod wraps;

pub use bounded::{BoundedFamily, RemovableFamily};
pub use dense::DenseFamily;
pub use descriptor::{Descriptor, LabelDescriptor, LabelValues, MetricKind, SourceLocation};
pub use info::InfoFamily;
pub use objective::{Good, Objective, Rule, Severity};
pub use observable::{ObservableFamily, ObservedValue, Observer};
pub use problem::Problem;
pub use wraps::Wraps;

use crate::metric::{ExemplarScratch, Metric, SampleScratch};
use crate::series::{Series, SeriesSink};

/// The most labels one family may have; `metrics!` rejects more at compile time.
pub use metrics_rules::MAX_LABELS;

/// A registered metric family: what the registry, the encoders and the catalog see.
///
/// `metrics!` implements it for every family it declares. Implement it yourself to expose values computed at
/// scrape time (a queue length read from another system), and register the static with
/// [`RegistryBuilder::register`](crate::RegistryBuilder::register).
pub trait Family: Send + Sync + 'static {
    /// The family's schema.
    fn descriptor(&self) -> &'static Descriptor;

    /// Calls `sink` once per series, in a stable order.
    fn collect(&self, sink: &mut dyn SeriesSink);

    /// Reports, per bounded string label, how many values went to the overflow series. Families without bounded
    /// labels report nothing.
    fn label_overflows(&self, report: &mut dyn FnMut(&'static str, u64)) {
        let _ = report;
    }

    /// Reports what only the family can see is wrong with it (two instrumented functions sharing one `function`
    /// label value); the registry refuses to build while any problem remains. Most families report nothing.
    fn problems(&self, report: &mut dyn FnMut(Problem)) {
        let _ = report;
    }

    /// Reports, for a family read at scrape time, how often a scrape could not use its values, by reason
    /// (`panic`, `refused`, `busy`); the registry exposes them as `metrics_observation_failures_total`. Families
    /// that store their values report nothing.
    fn observation_failures(&self, report: &mut dyn FnMut(&'static str, u64)) {
        let _ = report;
    }

    /// For a family that carries exemplars, how many it dropped because their label set broke the OpenMetrics
    /// rule (longer than 128 characters, or an invalid name); the registry exposes them as
    /// `metrics_exemplars_dropped_total`. `None` for families without exemplars.
    fn exemplars_dropped(&self) -> Option<u64> {
        None
    }
}

/// Hands one cell to `sink`, with its exemplars when its type keeps them. The exemplars are read before the
/// sample, so every exemplar shown is of an observation the sample already counts. For a cell type without
/// exemplars the check is a constant, and the call is [`SeriesSink::series`] as before.
#[inline]
pub(crate) fn hand_cell<M: Metric>(
    sink: &mut dyn SeriesSink,
    series: &Series<'_>,
    cell: &M,
    scratch: &mut SampleScratch,
    exemplars: &mut ExemplarScratch,
) {
    if M::EXEMPLARS
        && let Some(exemplars) = cell.exemplars(exemplars)
    {
        sink.series_with_exemplars(series, &cell.sample(scratch), &exemplars);
    } else {
        sink.series(series, &cell.sample(scratch));
    }
}
