//! Per-series metric cells: what one label combination stores, and how it reads back.

mod counter;
mod gauge;
mod histogram;
mod scratch;
mod stateset;

pub use counter::{Counter, FloatCounter};
pub use gauge::{FloatGauge, Gauge, InflightGuard};
pub use histogram::{Histogram, HistogramTimer};
pub use scratch::SampleScratch;
pub use stateset::StateSet;

use crate::series::Sample;

/// One series' storage. Implemented by the metric types; a family holds one cell per label combination.
pub trait Metric: Send + Sync + 'static {
    /// Reads the cell for a scrape. `scratch` is reused across the series of a family to hold histogram buckets.
    fn sample<'a>(&self, scratch: &'a mut SampleScratch) -> Sample<'a>;
}
