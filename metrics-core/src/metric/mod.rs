//! Per-series metric cells: what one label combination stores, and how it reads back.

mod amount;
mod counter;
mod exemplar;
mod exemplar_counter;
mod exemplar_hint;
mod exemplar_histogram;
mod gauge;
mod histogram;
mod scratch;
mod stateset;
#[cfg(feature = "tracing")]
mod trace;

pub use amount::{CounterAmount, GaugeAmount};
pub use counter::{Counter, FloatCounter};
pub use exemplar::ExemplarScratch;
pub use exemplar_counter::{ExemplarCounter, ExemplarFloatCounter};
pub use exemplar_hint::{ExemplarsDeclared, NoExemplars};
pub use exemplar_histogram::ExemplarHistogram;
pub use gauge::{FloatGauge, Gauge, InflightGuard};
pub use histogram::{Histogram, HistogramTimer};
pub use scratch::SampleScratch;
pub use stateset::StateSet;

use crate::series::{Exemplars, Sample};

/// One series' storage. Implemented by the metric types; a family holds one cell per label combination.
pub trait Metric: Send + Sync + 'static {
    /// Whether the cell keeps exemplars ([`ExemplarCounter`], [`ExemplarHistogram`]): a family of such cells
    /// reads them at each scrape and counts the ones it dropped.
    const EXEMPLARS: bool = false;

    /// Reads the cell for a scrape. `scratch` is reused across the series of a family to hold histogram buckets.
    fn sample<'a>(&self, scratch: &'a mut SampleScratch) -> Sample<'a>;

    /// Reads the cell's exemplars, one per line, before [`Metric::sample`] (so each one shown is of an
    /// observation the sample counts); `None` for cells without exemplars.
    fn exemplars<'a>(&self, scratch: &'a mut ExemplarScratch) -> Option<Exemplars<'a>> {
        let _ = scratch;
        None
    }

    /// Puts the cell back to its initial value (a counter or gauge at 0, a histogram without observations, a state
    /// set in its first state) and forgets its exemplars; what it dropped stays counted, since that total is a
    /// counter of its own. A family with bounded labels calls it when a removed value's cells are given to a new
    /// value, once nothing records into them any more, so the new value's series starts from nothing.
    fn reset(&self);

    /// How many exemplars the cell dropped because their label set broke the OpenMetrics rule.
    fn exemplars_dropped(&self) -> u64 {
        0
    }
}
