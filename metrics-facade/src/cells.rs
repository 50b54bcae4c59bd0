//! The storage of one facade series, and the `metrics` handle traits on it.

use std::sync::atomic::{AtomicU64, Ordering};

use metrics::{CounterFn, GaugeFn, HistogramFn};
use metrics_core::{Number, Sample, SampleScratch};

use crate::selfmetrics::{Reason, SelfMetrics};

/// A counter: an integer that only goes up.
#[derive(Debug, Default)]
pub(crate) struct CounterCell(AtomicU64);

impl CounterFn for CounterCell {
    fn increment(&self, value: u64) {
        self.0.fetch_add(value, Ordering::Relaxed);
    }

    /// A counter never goes down: an absolute value below the current one is ignored.
    fn absolute(&self, value: u64) {
        self.0.fetch_max(value, Ordering::Relaxed);
    }
}

/// A gauge: a float stored as its bits.
#[derive(Debug, Default)]
pub(crate) struct GaugeCell(AtomicU64);

impl GaugeCell {
    fn add(&self, delta: f64) {
        let _ = self
            .0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |bits| {
                Some((f64::from_bits(bits) + delta).to_bits())
            });
    }
}

impl GaugeFn for GaugeCell {
    fn increment(&self, value: f64) {
        self.add(value);
    }

    fn decrement(&self, value: f64) {
        self.add(-value);
    }

    fn set(&self, value: f64) {
        self.0.store(value.to_bits(), Ordering::Relaxed);
    }
}

/// A histogram over bounds chosen at run time: one non-cumulative count per bucket plus the sum, read as our own
/// histograms are (the `+Inf` bucket is the count).
#[derive(Debug)]
pub(crate) struct HistogramCell {
    bounds: &'static [f64],
    counts: Box<[AtomicU64]>,
    sum: AtomicU64,
    counters: &'static SelfMetrics,
}

impl HistogramCell {
    pub(crate) fn new(bounds: &'static [f64], counters: &'static SelfMetrics) -> Self {
        Self {
            bounds,
            counts: (0..=bounds.len()).map(|_| AtomicU64::new(0)).collect(),
            sum: AtomicU64::new(0),
            counters,
        }
    }
}

impl HistogramFn for HistogramCell {
    /// NaN, and negative values when every bound is non-negative, are refused and counted (`invalid_value`):
    /// OpenMetrics reads the sum as a counter.
    fn record(&self, value: f64) {
        self.record_many(value, 1);
    }

    fn record_many(&self, value: f64, count: usize) {
        if value.is_nan() || (value < 0.0 && self.bounds.first().is_none_or(|b| *b >= 0.0)) {
            self.counters.refuse(Reason::InvalidValue);
            return;
        }
        let bucket = self.bounds.partition_point(|bound| *bound < value);
        let _ = self
            .sum
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |bits| {
                Some((f64::from_bits(bits) + value * count as f64).to_bits())
            });
        self.counts[bucket].fetch_add(count as u64, Ordering::Relaxed);
    }
}

/// One series' cell, of the family's kind.
#[derive(Debug)]
pub(crate) enum Cell {
    Counter(std::sync::Arc<CounterCell>),
    Gauge(std::sync::Arc<GaugeCell>),
    Histogram(std::sync::Arc<HistogramCell>),
}

impl Cell {
    /// The cell's value for a scrape; `scratch` holds a histogram's cumulative counts.
    pub(crate) fn sample<'a>(&self, scratch: &'a mut SampleScratch) -> Sample<'a> {
        match self {
            Self::Counter(c) => Sample::Counter(Number::U64(c.0.load(Ordering::Relaxed))),
            Self::Gauge(g) => {
                Sample::Gauge(Number::F64(f64::from_bits(g.0.load(Ordering::Relaxed))))
            }
            Self::Histogram(h) => {
                let counts = scratch.counts(h.counts.len());
                let mut cumulative = 0;
                for (cell, slot) in h.counts.iter().zip(counts.iter_mut()) {
                    cumulative += cell.load(Ordering::Relaxed);
                    *slot = cumulative;
                }
                Sample::Histogram {
                    cumulative: counts,
                    sum: f64::from_bits(h.sum.load(Ordering::Relaxed)),
                }
            }
        }
    }

    /// The `metrics` handles on this cell; `None` when the cell is of another kind.
    pub(crate) fn counter(&self) -> Option<metrics::Counter> {
        match self {
            Self::Counter(c) => Some(metrics::Counter::from_arc(std::sync::Arc::clone(c))),
            _ => None,
        }
    }

    pub(crate) fn gauge(&self) -> Option<metrics::Gauge> {
        match self {
            Self::Gauge(g) => Some(metrics::Gauge::from_arc(std::sync::Arc::clone(g))),
            _ => None,
        }
    }

    pub(crate) fn histogram(&self) -> Option<metrics::Histogram> {
        match self {
            Self::Histogram(h) => Some(metrics::Histogram::from_arc(std::sync::Arc::clone(h))),
            _ => None,
        }
    }
}

impl Clone for Cell {
    fn clone(&self) -> Self {
        match self {
            Self::Counter(c) => Self::Counter(std::sync::Arc::clone(c)),
            Self::Gauge(g) => Self::Gauge(std::sync::Arc::clone(g)),
            Self::Histogram(h) => Self::Histogram(std::sync::Arc::clone(h)),
        }
    }
}
