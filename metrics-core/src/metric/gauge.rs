//! Gauges: values that go up and down, and the drop guard that keeps in-flight gauges honest.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use super::{GaugeAmount, Metric, SampleScratch};
use crate::series::{Number, Sample};

/// An integer gauge.
///
/// ```
/// let g = metrics_core::Gauge::new();
/// g.set(5);
/// g.dec();
/// {
///     let _running = g.track_inflight();
///     assert_eq!(g.get(), 5);
/// }
/// assert_eq!(g.get(), 4);
/// ```
#[derive(Debug, Default)]
pub struct Gauge(AtomicI64);

impl Gauge {
    /// A gauge at zero.
    pub const fn new() -> Self {
        Self(AtomicI64::new(0))
    }

    /// Sets the value.
    #[inline]
    pub fn set<V: GaugeAmount>(&self, v: V) {
        self.0.store(v.into_i64(), Ordering::Relaxed);
    }

    /// Adds one.
    #[inline]
    pub fn inc(&self) {
        self.add(1);
    }

    /// Subtracts one.
    #[inline]
    pub fn dec(&self) {
        self.sub(1);
    }

    /// Adds `v`.
    #[inline]
    pub fn add<V: GaugeAmount>(&self, v: V) {
        self.0.fetch_add(v.into_i64(), Ordering::Relaxed);
    }

    /// Subtracts `v`.
    #[inline]
    pub fn sub<V: GaugeAmount>(&self, v: V) {
        self.0.fetch_sub(v.into_i64(), Ordering::Relaxed);
    }

    /// The current value.
    #[inline]
    pub fn get(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }

    /// Adds one now and subtracts it when the guard drops: after a return, an early `?`, a panic that unwinds, or
    /// a future dropped mid-await. Move the guard into an `async` block so it lives as long as the work.
    ///
    /// Bind the guard to a named variable (`let _running = ..`): `let _ = g.track_inflight();` drops it at once,
    /// which compiles without a warning and leaves the gauge where it was.
    #[inline]
    pub fn track_inflight(&self) -> InflightGuard<'_> {
        self.inc();
        InflightGuard(self)
    }
}

impl Metric for Gauge {
    #[inline]
    fn sample<'a>(&self, _: &'a mut SampleScratch) -> Sample<'a> {
        Sample::Gauge(Number::I64(self.get()))
    }

    fn reset(&self) {
        self.0.store(0, Ordering::Relaxed);
    }
}

/// Holds one unit of an in-flight [`Gauge`]; gives it back on drop.
#[derive(Debug)]
#[must_use = "the gauge goes back down as soon as the guard is dropped: bind it, `let _running = ..` (`let _ = ..` drops it at once too)"]
pub struct InflightGuard<'a>(&'a Gauge);

impl Drop for InflightGuard<'_> {
    #[inline]
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// A floating-point gauge (scores, ratios, temperatures).
///
/// ```
/// let score = metrics_core::FloatGauge::new();
/// score.set(0.75);
/// score.add(0.25);
/// assert_eq!(score.get(), 1.0);
/// ```
#[derive(Debug, Default)]
pub struct FloatGauge(AtomicU64);

impl FloatGauge {
    /// A gauge at zero.
    pub const fn new() -> Self {
        Self(AtomicU64::new(0))
    }

    /// Sets the value.
    #[inline]
    pub fn set(&self, v: f64) {
        self.0.store(v.to_bits(), Ordering::Relaxed);
    }

    /// Adds `v` (subtracts for a negative `v`).
    #[inline]
    pub fn add(&self, v: f64) {
        let _ = self
            .0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |bits| {
                Some((f64::from_bits(bits) + v).to_bits())
            });
    }

    /// The current value.
    #[inline]
    pub fn get(&self) -> f64 {
        f64::from_bits(self.0.load(Ordering::Relaxed))
    }
}

impl Metric for FloatGauge {
    #[inline]
    fn sample<'a>(&self, _: &'a mut SampleScratch) -> Sample<'a> {
        Sample::Gauge(Number::F64(self.get()))
    }

    fn reset(&self) {
        self.0.store(0f64.to_bits(), Ordering::Relaxed);
    }
}
