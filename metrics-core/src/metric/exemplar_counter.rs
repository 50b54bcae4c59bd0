//! Counters that keep the latest exemplar of their `_total` sample.

use std::sync::atomic::{AtomicU64, Ordering};

use super::exemplar::{ExemplarScratch, ExemplarSlot, keep};
use super::{Counter, CounterAmount, FloatCounter, Metric, SampleScratch};
use crate::series::{Exemplars, Sample};

/// A [`Counter`] with one exemplar slot: what an integer counter declared with `exemplars = true` stores.
///
/// The exemplar's value is the increment. Without labels ([`ExemplarCounter::inc`]) the exemplar stays as it
/// was, unless the `tracing` feature is on and the current span has an OpenTelemetry trace.
///
/// ```
/// let c = metrics_core::ExemplarCounter::new();
/// c.inc_with_exemplar(&[("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736")]);
/// c.inc();
/// assert_eq!(c.get(), 2);
/// ```
#[derive(Debug, Default)]
pub struct ExemplarCounter {
    counter: Counter,
    slot: ExemplarSlot,
    dropped: AtomicU64,
}

impl ExemplarCounter {
    /// A counter at zero.
    pub const fn new() -> Self {
        Self {
            counter: Counter::new(),
            slot: ExemplarSlot::new(),
            dropped: AtomicU64::new(0),
        }
    }

    /// Adds one (see [`ExemplarCounter::inc_by`]).
    #[inline]
    pub fn inc(&self) {
        self.inc_by(1);
    }

    /// Adds `n`. With the `tracing` feature, the current span's trace becomes the exemplar.
    #[inline]
    pub fn inc_by<N: CounterAmount>(&self, n: N) {
        let n = n.into_u64();
        self.counter.inc_by(n);
        #[cfg(feature = "tracing")]
        super::trace::with_current(|labels| keep(&self.slot, &self.dropped, labels, n as f64));
    }

    /// Adds one, with these exemplar labels (see [`ExemplarCounter::inc_by_with_exemplar`]).
    #[inline]
    pub fn inc_with_exemplar(&self, labels: &[(&str, &str)]) {
        self.inc_by_with_exemplar(1, labels);
    }

    /// Adds `n` and makes it the exemplar, with these labels. A label set longer than 128 characters (names and
    /// values together) or with an invalid name is dropped, never shortened, and counted in
    /// `metrics_exemplars_dropped_total`; the increment itself always counts.
    #[inline]
    pub fn inc_by_with_exemplar<N: CounterAmount>(&self, n: N, labels: &[(&str, &str)]) {
        let n = n.into_u64();
        self.counter.inc_by(n);
        keep(&self.slot, &self.dropped, labels, n as f64);
    }

    /// The current value.
    #[inline]
    pub fn get(&self) -> u64 {
        self.counter.get()
    }
}

impl Metric for ExemplarCounter {
    const EXEMPLARS: bool = true;

    fn sample<'a>(&self, scratch: &'a mut SampleScratch) -> Sample<'a> {
        self.counter.sample(scratch)
    }

    fn reset(&self) {
        self.counter.reset();
        self.slot.clear();
    }

    fn exemplars<'a>(&self, scratch: &'a mut ExemplarScratch) -> Option<Exemplars<'a>> {
        Some(scratch.read(std::slice::from_ref(&self.slot)))
    }

    fn exemplars_dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

/// A [`FloatCounter`] with one exemplar slot: what a float counter declared with `exemplars = true` stores.
///
/// ```
/// let usd = metrics_core::ExemplarFloatCounter::new();
/// assert!(usd.inc_by_with_exemplar(0.25, &[("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736")]));
/// assert!(!usd.inc_by_with_exemplar(-1.0, &[]), "a counter never goes down");
/// assert_eq!(usd.get(), 0.25);
/// ```
#[derive(Debug, Default)]
pub struct ExemplarFloatCounter {
    counter: FloatCounter,
    slot: ExemplarSlot,
    dropped: AtomicU64,
}

impl ExemplarFloatCounter {
    /// A counter at zero.
    pub const fn new() -> Self {
        Self {
            counter: FloatCounter::new(),
            slot: ExemplarSlot::new(),
            dropped: AtomicU64::new(0),
        }
    }

    /// Adds one.
    #[inline]
    pub fn inc(&self) {
        let _ = self.inc_by(1.0);
    }

    /// Adds `v` (refused as [`FloatCounter::inc_by`] refuses it). With the `tracing` feature, the current span's
    /// trace becomes the exemplar.
    #[inline]
    pub fn inc_by(&self, v: f64) -> bool {
        if !self.counter.inc_by(v) {
            return false;
        }
        #[cfg(feature = "tracing")]
        super::trace::with_current(|labels| keep(&self.slot, &self.dropped, labels, v));
        true
    }

    /// Adds `v` and makes it the exemplar, with these labels (see
    /// [`ExemplarCounter::inc_by_with_exemplar`]); `false` when `v` is refused, and then nothing is kept.
    #[inline]
    pub fn inc_by_with_exemplar(&self, v: f64, labels: &[(&str, &str)]) -> bool {
        if !self.counter.inc_by(v) {
            return false;
        }
        keep(&self.slot, &self.dropped, labels, v);
        true
    }

    /// The current value.
    #[inline]
    pub fn get(&self) -> f64 {
        self.counter.get()
    }
}

impl Metric for ExemplarFloatCounter {
    const EXEMPLARS: bool = true;

    fn sample<'a>(&self, scratch: &'a mut SampleScratch) -> Sample<'a> {
        self.counter.sample(scratch)
    }

    fn reset(&self) {
        self.counter.reset();
        self.slot.clear();
    }

    fn exemplars<'a>(&self, scratch: &'a mut ExemplarScratch) -> Option<Exemplars<'a>> {
        Some(scratch.read(std::slice::from_ref(&self.slot)))
    }

    fn exemplars_dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}
