//! `value(FAMILY, .., returned = |r| ..)`: a number read from what the function returned, recorded into one of the
//! user's families (a response size into a histogram, token counts into a counter).

use crate::metric::{Counter, FloatCounter, FloatGauge, Gauge, Histogram};

/// A cell that records a `V` read from a returned value.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot record a `{V}` read from the returned value",
    note = "`returned = |r| ..` gives a counter a `u64`, a float counter an `f64`, a gauge an `i64`, a float gauge or a histogram an `f64`, or an `Option` of one (`None` records nothing)"
)]
pub trait RecordValue<V> {
    /// Records `value`: adds it to a counter, sets a gauge, observes it in a histogram.
    fn record_value(&self, value: V);
}

impl RecordValue<u64> for Counter {
    fn record_value(&self, value: u64) {
        self.inc_by(value);
    }
}

impl RecordValue<f64> for FloatCounter {
    fn record_value(&self, value: f64) {
        // A negative or non-finite amount is refused by the counter itself, as for any `inc_by`.
        let _ = self.inc_by(value);
    }
}

impl RecordValue<i64> for Gauge {
    fn record_value(&self, value: i64) {
        self.set(value);
    }
}

impl RecordValue<f64> for FloatGauge {
    fn record_value(&self, value: f64) {
        self.set(value);
    }
}

impl<const B: usize> RecordValue<f64> for Histogram<B> {
    fn record_value(&self, value: f64) {
        // NaN and (for non-negative buckets) negative values are refused by the histogram, as for `observe`.
        let _ = self.observe(value);
    }
}

impl<V, C: RecordValue<V>> RecordValue<Option<V>> for C {
    fn record_value(&self, value: Option<V>) {
        if let Some(value) = value {
            self.record_value(value);
        }
    }
}

/// Records `value` into `cell` (generated code; the trait bound carries the diagnostic).
#[inline]
pub fn record_value<V, C: RecordValue<V>>(cell: &C, value: V) {
    cell.record_value(value);
}

/// Applies the attribute's `returned` closure: called through a bound so that the closure's parameter type is
/// known (`&` the function's return type) when its body is checked.
#[inline]
pub fn read_returned<R, V>(returned: &R, read: impl FnOnce(&R) -> V) -> V {
    read(returned)
}
