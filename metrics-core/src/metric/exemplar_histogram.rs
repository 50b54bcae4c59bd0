//! A histogram that keeps the latest exemplar of each bucket.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::exemplar::{ExemplarScratch, ExemplarSlot, keep};
use super::{Histogram, Metric, SampleScratch};
use crate::series::{Exemplars, Sample};

/// A [`Histogram`] with one exemplar slot per bucket: what a family declared with `exemplars = true` stores.
///
/// Each bucket shows the latest observation that landed in it, with its labels and timestamp, in OpenMetrics
/// (0.0.4 has no exemplars). An observation without labels ([`ExemplarHistogram::observe`]) leaves the bucket's
/// exemplar as it was, unless the `tracing` feature is on and the current span has an OpenTelemetry trace: then
/// its `trace_id` and `span_id` become the exemplar.
///
/// ```
/// static BOUNDS: [f64; 2] = [0.1, 1.0];
/// let h = metrics_core::ExemplarHistogram::<3>::new(&BOUNDS);
/// assert!(h.observe_with_exemplar(0.5, &[("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736")]));
/// let too_long = "x".repeat(121);
/// assert!(h.observe_with_exemplar(0.7, &[("trace_id", &too_long)]), "recorded, its exemplar dropped");
/// assert_eq!(h.count(), 2);
/// assert_eq!(h.exemplars_dropped(), 1);
/// ```
#[derive(Debug)]
pub struct ExemplarHistogram<const B: usize> {
    histogram: Histogram<B>,
    slots: [ExemplarSlot; B],
    dropped: AtomicU64,
}

impl<const B: usize> ExemplarHistogram<B> {
    /// An empty histogram over `bounds` (see [`Histogram::new`]).
    ///
    /// # Panics
    ///
    /// If `bounds.len() + 1 != B`; in a `static` this is a compile-time error.
    pub const fn new(bounds: &'static [f64]) -> Self {
        Self {
            histogram: Histogram::new(bounds),
            slots: [const { ExemplarSlot::new() }; B],
            dropped: AtomicU64::new(0),
        }
    }

    /// Records one observation (see [`Histogram::observe`] for the values refused). With the `tracing` feature,
    /// the current span's trace becomes the bucket's exemplar.
    #[inline]
    pub fn observe(&self, v: f64) -> bool {
        let Some(bucket) = self.histogram.observe_into(v) else {
            return false;
        };
        #[cfg(feature = "tracing")]
        super::trace::with_current(|labels| keep(&self.slots[bucket], &self.dropped, labels, v));
        #[cfg(not(feature = "tracing"))]
        let _ = bucket;
        true
    }

    /// Records one observation and makes it its bucket's exemplar, with these labels (`trace_id` is the usual
    /// one). Returns whether the observation was recorded, as [`Histogram::observe`] does. A label set longer than
    /// 128 characters (names and values together) or with an invalid name is dropped, never shortened, and counted
    /// in `metrics_exemplars_dropped_total`; the observation itself is recorded.
    #[inline]
    pub fn observe_with_exemplar(&self, v: f64, labels: &[(&str, &str)]) -> bool {
        let Some(bucket) = self.histogram.observe_into(v) else {
            return false;
        };
        keep(&self.slots[bucket], &self.dropped, labels, v);
        true
    }

    /// Records a duration in seconds (see [`ExemplarHistogram::observe`]).
    #[inline]
    pub fn observe_duration(&self, elapsed: Duration) {
        let _ = self.observe(elapsed.as_secs_f64());
    }

    /// Records a duration in seconds, with these exemplar labels (see
    /// [`ExemplarHistogram::observe_with_exemplar`]).
    #[inline]
    pub fn observe_duration_with_exemplar(&self, elapsed: Duration, labels: &[(&str, &str)]) {
        let _ = self.observe_with_exemplar(elapsed.as_secs_f64(), labels);
    }

    /// The number of observations.
    pub fn count(&self) -> u64 {
        self.histogram.count()
    }

    /// The sum of observations.
    pub fn sum(&self) -> f64 {
        self.histogram.sum()
    }

    /// The finite upper bounds.
    pub fn bounds(&self) -> &'static [f64] {
        self.histogram.bounds()
    }

    /// How many exemplars were dropped for breaking the OpenMetrics label-set rule.
    pub fn exemplars_dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

impl<const B: usize> Metric for ExemplarHistogram<B> {
    const EXEMPLARS: bool = true;

    fn sample<'a>(&self, scratch: &'a mut SampleScratch) -> Sample<'a> {
        self.histogram.sample(scratch)
    }

    fn reset(&self) {
        self.histogram.reset();
        for slot in &self.slots {
            slot.clear();
        }
    }

    fn exemplars<'a>(&self, scratch: &'a mut ExemplarScratch) -> Option<Exemplars<'a>> {
        Some(scratch.read(&self.slots))
    }

    fn exemplars_dropped(&self) -> u64 {
        ExemplarHistogram::exemplars_dropped(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static BOUNDS: [f64; 2] = [1.0, 2.0];

    #[test]
    fn each_bucket_keeps_its_latest_exemplar() {
        let h = ExemplarHistogram::<3>::new(&BOUNDS);
        assert!(h.observe_with_exemplar(0.5, &[("trace_id", "a")]));
        assert!(h.observe_with_exemplar(0.7, &[("trace_id", "b")]));
        assert!(h.observe_with_exemplar(5.0, &[("trace_id", "c")]));
        assert!(h.observe(0.9), "no labels: the exemplar stays");
        assert!(!h.observe_with_exemplar(f64::NAN, &[("trace_id", "d")]));
        let mut scratch = ExemplarScratch::new();
        let exemplars = h.exemplars(&mut scratch).expect("exemplars");
        let trace = |i: usize| {
            exemplars
                .get(i)
                .map(|e| (e.labels().next().expect("a label").1.to_owned(), e.value()))
        };
        assert_eq!(trace(0), Some(("b".to_owned(), 0.7)));
        assert_eq!(trace(1), None);
        assert_eq!(trace(2), Some(("c".to_owned(), 5.0)));
        assert_eq!(h.count(), 4);
    }
}
