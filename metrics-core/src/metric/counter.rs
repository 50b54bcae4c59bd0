//! Counters: values that only go up.

use std::sync::atomic::{AtomicU64, Ordering};

use super::{CounterAmount, Metric, SampleScratch};
use crate::series::{Number, Sample};

/// A monotonic integer counter. Incrementing is one relaxed atomic add.
///
/// ```
/// let c = metrics_core::Counter::new();
/// c.inc();
/// c.inc_by(41);
/// assert_eq!(c.get(), 42);
/// ```
#[derive(Debug, Default)]
pub struct Counter(AtomicU64);

impl Counter {
    /// A counter at zero.
    pub const fn new() -> Self {
        Self(AtomicU64::new(0))
    }

    /// Adds one.
    #[inline]
    pub fn inc(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    /// Adds `n`, a `u64`. Wraps at `u64::MAX`, which a counter of events never reaches.
    #[inline]
    pub fn inc_by<N: CounterAmount>(&self, n: N) {
        self.0.fetch_add(n.into_u64(), Ordering::Relaxed);
    }

    /// The current value.
    #[inline]
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl Metric for Counter {
    #[inline]
    fn sample<'a>(&self, _: &'a mut SampleScratch) -> Sample<'a> {
        Sample::Counter(Number::U64(self.get()))
    }

    fn reset(&self) {
        self.0.store(0, Ordering::Relaxed);
    }
}

/// A monotonic floating-point counter (costs, seconds spent). Adds are a compare-and-swap loop.
///
/// ```
/// let usd = metrics_core::FloatCounter::new();
/// usd.inc_by(0.25);
/// assert!(!usd.inc_by(-1.0), "a counter never goes down");
/// assert_eq!(usd.get(), 0.25);
/// ```
#[derive(Debug, Default)]
pub struct FloatCounter(AtomicU64);

impl FloatCounter {
    /// A counter at zero.
    pub const fn new() -> Self {
        Self(AtomicU64::new(0))
    }

    /// Adds one.
    #[inline]
    pub fn inc(&self) {
        self.inc_by(1.0);
    }

    /// Adds `v` and returns `true`; a negative, NaN or infinite `v` is refused (`false`) because a counter may
    /// never go down nor become unreadable.
    #[inline]
    pub fn inc_by(&self, v: f64) -> bool {
        if !(v.is_finite() && v >= 0.0) {
            return false;
        }
        let _ = self
            .0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |bits| {
                Some((f64::from_bits(bits) + v).to_bits())
            });
        true
    }

    /// The current value.
    #[inline]
    pub fn get(&self) -> f64 {
        f64::from_bits(self.0.load(Ordering::Relaxed))
    }
}

impl Metric for FloatCounter {
    #[inline]
    fn sample<'a>(&self, _: &'a mut SampleScratch) -> Sample<'a> {
        Sample::Counter(Number::F64(self.get()))
    }

    fn reset(&self) {
        self.0.store(0f64.to_bits(), Ordering::Relaxed);
    }
}
