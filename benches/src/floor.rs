//! The floor's histogram: a bucket search and atomic adds, nothing else. Scenarios D and H time it; scenario F's
//! hand-written encoder writes it.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use metrics_core::buckets::LATENCY;

/// The `buckets::LATENCY` bounds plus `+Inf`: scenarios D and F.
pub(crate) type LatencyHistogram = FloorHistogram<{ LATENCY.len() + 1 }>;

/// One series over `B - 1` finite bounds plus `+Inf`.
#[derive(Debug)]
pub(crate) struct FloorHistogram<const B: usize> {
    bounds: &'static [f64],
    counts: [AtomicU64; B],
    sum: AtomicU64,
}

impl<const B: usize> FloorHistogram<B> {
    /// An empty series over `bounds` (`B - 1` of them, increasing); a mismatch fails at compile time in a
    /// constant.
    pub(crate) const fn new(bounds: &'static [f64]) -> Self {
        assert!(bounds.len() + 1 == B, "one count per bound plus +Inf");
        Self {
            bounds,
            counts: [const { AtomicU64::new(0) }; B],
            sum: AtomicU64::new(0),
        }
    }

    /// Records `v`. The sum needs a compare-and-swap loop because there is no atomic float add: every histogram
    /// with a float sum pays it.
    #[inline]
    pub(crate) fn observe(&self, v: f64) {
        let bucket = self.bounds.partition_point(|bound| *bound < v);
        self.counts[bucket].fetch_add(1, Ordering::Relaxed);
        let _ = self
            .sum
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |bits| {
                Some((f64::from_bits(bits) + v).to_bits())
            });
    }

    /// The cumulative bucket counts, `+Inf` (the count) last.
    pub(crate) fn cumulative(&self) -> [u64; B] {
        let mut total = 0;
        self.counts.each_ref().map(|count| {
            total += count.load(Ordering::Relaxed);
            total
        })
    }

    /// The sum of observations.
    pub(crate) fn sum(&self) -> f64 {
        f64::from_bits(self.sum.load(Ordering::Relaxed))
    }

    /// Appends the series as text lines (`name_bucket{labels,le=".."}`, `_sum`, `_count`); `labels` is the
    /// `name="value",..` text. For the tests: the formatting here is not what is timed.
    pub(crate) fn text(&self, name: &str, labels: &str, out: &mut String) {
        let cumulative = self.cumulative();
        for (i, count) in cumulative.iter().enumerate() {
            let le = self.bounds.get(i).map_or("+Inf".into(), f64::to_string);
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{le}\"}} {count}");
        }
        let count = cumulative[B - 1];
        let _ = writeln!(
            out,
            "{name}_sum{{{labels}}} {}\n{name}_count{{{labels}}} {count}",
            self.sum()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_inclusive_upper_bounds() {
        let h = LatencyHistogram::new(&LATENCY);
        for v in [0.05, 0.06, 30.0] {
            h.observe(v);
        }
        assert_eq!(h.cumulative(), [1, 2, 2, 2, 2, 2, 2, 2, 2, 3]);
        assert!((h.sum() - 30.11).abs() < 1e-9);
        let mut text = String::new();
        h.text("x", "a=\"b\"", &mut text);
        assert!(text.contains("x_bucket{a=\"b\",le=\"0.1\"} 2\n"), "{text}");
        assert!(text.ends_with("x_count{a=\"b\"} 3\n"), "{text}");
    }
}
