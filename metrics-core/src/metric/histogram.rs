//! Histograms with snapshots that stay consistent under concurrent observation.
//!
//! Each bucket holds its own (non-cumulative) count. A scrape reads them once and sums them up, so the cumulative
//! buckets it writes are monotonic and the `+Inf` bucket *is* the count: the two can never disagree, however many
//! observers race the scrape. The sum is read separately and may not yet include an observation whose bucket the
//! scrape already counted; the next scrape does.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::{Metric, SampleScratch};
use crate::series::Sample;

/// A histogram with `B - 1` finite upper bounds plus the `+Inf` bucket (`B` cells).
///
/// Families build it from the bucket list of their schema; `B` is computed by `metrics!`.
///
/// ```
/// static BOUNDS: [f64; 3] = [0.1, 1.0, 10.0];
/// let h = metrics_core::Histogram::<4>::new(&BOUNDS);
/// h.observe(0.5);
/// h.observe(50.0);
/// assert_eq!(h.count(), 2);
/// assert_eq!(h.sum(), 50.5);
/// ```
#[derive(Debug)]
pub struct Histogram<const B: usize> {
    bounds: &'static [f64],
    counts: [AtomicU64; B],
    sum: AtomicU64,
}

impl<const B: usize> Histogram<B> {
    /// An empty histogram over `bounds` (finite, strictly increasing; `metrics!` checks that at compile time).
    ///
    /// # Panics
    ///
    /// If `bounds.len() + 1 != B`; in a `static` this is a compile-time error.
    pub const fn new(bounds: &'static [f64]) -> Self {
        assert!(
            bounds.len() + 1 == B,
            "a histogram needs one cell per bound plus the +Inf bucket"
        );
        Self {
            bounds,
            counts: [const { AtomicU64::new(0) }; B],
            sum: AtomicU64::new(0),
        }
    }

    /// Records one observation and returns `true`, or refuses it and returns `false`: NaN always (it belongs to no
    /// bucket and would poison the sum), and a negative value when every bound is non-negative. OpenMetrics treats
    /// the sum as a counter, so it may never go negative; a histogram declared with a negative bound accepts
    /// negative values and omits `_sum` from OpenMetrics instead, as the specification requires.
    ///
    /// `v` is in the family's unit, seconds for a `_seconds` family: `observe(elapsed.as_millis() as f64)`
    /// compiles and records every value a thousand times too large. Use
    /// [`observe_duration`](Self::observe_duration) for a `Duration`.
    #[inline]
    pub fn observe(&self, v: f64) -> bool {
        self.observe_into(v).is_some()
    }

    /// [`Histogram::observe`], saying which bucket took the value.
    #[inline]
    pub(crate) fn observe_into(&self, v: f64) -> Option<usize> {
        if v.is_nan() || (v < 0.0 && self.bounds.first().is_none_or(|lowest| *lowest >= 0.0)) {
            return None;
        }
        // Upper bounds are inclusive (`le`): the first bucket whose bound is >= v.
        let bucket = self.bounds.partition_point(|bound| *bound < v);
        let _ = self
            .sum
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |bits| {
                Some((f64::from_bits(bits) + v).to_bits())
            });
        self.counts[bucket].fetch_add(1, Ordering::Relaxed);
        Some(bucket)
    }

    /// Records a duration in seconds.
    #[inline]
    pub fn observe_duration(&self, elapsed: Duration) {
        // A duration is never negative nor NaN, so it is always recorded.
        let _ = self.observe(elapsed.as_secs_f64());
    }

    /// Starts a timer that records the elapsed seconds when it is dropped (or [`HistogramTimer::stop`]ped).
    #[inline]
    pub fn start_timer(&self) -> HistogramTimer<'_, B> {
        HistogramTimer {
            histogram: self,
            start: Instant::now(),
            done: false,
        }
    }

    /// The number of observations.
    pub fn count(&self) -> u64 {
        self.counts.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }

    /// The sum of observations.
    pub fn sum(&self) -> f64 {
        f64::from_bits(self.sum.load(Ordering::Relaxed))
    }

    /// The finite upper bounds.
    pub fn bounds(&self) -> &'static [f64] {
        self.bounds
    }
}

impl<const B: usize> Metric for Histogram<B> {
    fn sample<'a>(&self, scratch: &'a mut SampleScratch) -> Sample<'a> {
        let counts = scratch.counts(self.counts.len());
        let mut cumulative = 0u64;
        for (cell, slot) in self.counts.iter().zip(counts.iter_mut()) {
            cumulative += cell.load(Ordering::Relaxed);
            *slot = cumulative;
        }
        Sample::Histogram {
            cumulative: counts,
            sum: self.sum(),
        }
    }

    fn reset(&self) {
        for count in &self.counts {
            count.store(0, Ordering::Relaxed);
        }
        self.sum.store(0f64.to_bits(), Ordering::Relaxed);
    }
}

/// Records the time since it was started into its histogram when dropped.
#[derive(Debug)]
#[must_use = "the timer records when it is dropped; dropping it at once records almost zero: bind it, `let _timer = ..` (`let _ = ..` drops it at once too)"]
pub struct HistogramTimer<'a, const B: usize> {
    histogram: &'a Histogram<B>,
    start: Instant,
    done: bool,
}

impl<const B: usize> HistogramTimer<'_, B> {
    /// Records now and returns the elapsed time.
    pub fn stop(mut self) -> Duration {
        self.done = true;
        let elapsed = self.start.elapsed();
        self.histogram.observe_duration(elapsed);
        elapsed
    }
}

impl<const B: usize> Drop for HistogramTimer<'_, B> {
    fn drop(&mut self) {
        if !self.done {
            self.histogram.observe_duration(self.start.elapsed());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static BOUNDS: [f64; 3] = [1.0, 2.0, 5.0];

    #[test]
    fn upper_bounds_are_inclusive_and_buckets_cumulative() {
        let h = Histogram::<4>::new(&BOUNDS);
        for v in [0.5, 1.0, 1.5, 2.0, 5.0, 7.0, f64::INFINITY] {
            assert!(h.observe(v));
        }
        assert!(!h.observe(f64::NAN), "NaN is refused");
        assert!(
            !h.observe(-0.5),
            "negative values are refused when every bound is non-negative"
        );
        let mut scratch = SampleScratch::new();
        let Sample::Histogram { cumulative, .. } = h.sample(&mut scratch) else {
            unreachable!()
        };
        assert_eq!(cumulative, &[2, 4, 5, 7]);
        assert_eq!(h.count(), 7, "refused values are not counted");
        assert_eq!(h.sum(), f64::INFINITY);
    }

    static SIGNED: [f64; 2] = [-10.0, 0.0];

    #[test]
    fn a_negative_bound_admits_negative_observations() {
        let h = Histogram::<3>::new(&SIGNED);
        assert!(h.observe(-20.0));
        assert!(h.observe(-5.0));
        assert_eq!(h.count(), 2);
        assert_eq!(h.sum(), -25.0);
    }
}
