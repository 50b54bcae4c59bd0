//! What each target of `#[measure]` (and of `#[instrument_job]` with targets) records into, as traits: a family
//! of the wrong kind (`duration(JOBS_TOTAL)` on a counter) is then one error that names the kind the target
//! needs, on the family, where a method call would give "no method named `observe_duration`".

use std::time::Duration;

use crate::metric::{
    Counter, ExemplarCounter, ExemplarFloatCounter, ExemplarHistogram, FloatCounter, Gauge,
    Histogram, InflightGuard,
};

/// A cell `count(..)` and `errors(..)` add one to per run: a counter's.
#[diagnostic::on_unimplemented(
    message = "`count(..)` and `errors(..)` add one per run to a counter, and this family's series are `{Self}`",
    label = "not a counter",
    note = "declare the family a `counter` in `metrics!`, or use the target its kind takes: `duration(..)` for a histogram, `in_flight(..)` for a gauge, `value(..)` for a number read from the returned value"
)]
pub trait CountTarget {
    /// Adds one.
    fn count_run(&self);
}

/// A cell `duration(..)` observes each run's seconds in: a histogram's.
#[diagnostic::on_unimplemented(
    message = "`duration(..)` observes each run's seconds in a histogram, and this family's series are `{Self}`",
    label = "not a histogram",
    note = "declare the family a `histogram` in `metrics!` (`pub histogram job_duration_seconds {{ .. }}`), or use the target its kind takes: `count(..)` for a counter, `in_flight(..)` for a gauge"
)]
pub trait DurationTarget {
    /// Observes `elapsed`, in seconds.
    fn observe_run(&self, elapsed: Duration);
}

/// A cell `in_flight(..)` holds up while a run is in progress: an integer gauge's.
#[diagnostic::on_unimplemented(
    message = "`in_flight(..)` holds an integer gauge up while a run is in progress, and this family's series are `{Self}`",
    label = "not an integer gauge",
    note = "declare the family a `gauge` (of `i64`, the default) in `metrics!`, or use the target its kind takes: `count(..)` for a counter, `duration(..)` for a histogram"
)]
pub trait InFlightTarget {
    /// Adds one now and subtracts it when the guard drops.
    fn track_run(&self) -> InflightGuard<'_>;
}

impl CountTarget for Counter {
    #[inline]
    fn count_run(&self) {
        self.inc();
    }
}

impl CountTarget for ExemplarCounter {
    #[inline]
    fn count_run(&self) {
        self.inc();
    }
}

impl CountTarget for FloatCounter {
    #[inline]
    fn count_run(&self) {
        self.inc();
    }
}

impl CountTarget for ExemplarFloatCounter {
    #[inline]
    fn count_run(&self) {
        self.inc();
    }
}

impl<const B: usize> DurationTarget for Histogram<B> {
    #[inline]
    fn observe_run(&self, elapsed: Duration) {
        self.observe_duration(elapsed);
    }
}

impl<const B: usize> DurationTarget for ExemplarHistogram<B> {
    #[inline]
    fn observe_run(&self, elapsed: Duration) {
        self.observe_duration(elapsed);
    }
}

impl InFlightTarget for Gauge {
    #[inline]
    fn track_run(&self) -> InflightGuard<'_> {
        self.track_inflight()
    }
}

/// `count(..)`, `errors(..)`: generated code calls these free functions, whose bounds carry the diagnostics.
#[inline]
pub fn count_run<C: CountTarget>(cell: &C) {
    cell.count_run();
}

/// `duration(..)`.
#[inline]
pub fn observe_run<C: DurationTarget>(cell: &C, elapsed: Duration) {
    cell.observe_run(elapsed);
}

/// `in_flight(..)`.
#[inline]
pub fn track_run<C: InFlightTarget>(cell: &C) -> InflightGuard<'_> {
    cell.track_run()
}

/// `reason` into a label: the failure's reason text, for a `BoundedStr` label (a `&str` in the labels struct).
#[diagnostic::on_unimplemented(
    message = "`reason` fills a label with the failure's reason text, and this label is a `{Self}`",
    label = "not a text label",
    note = "declare the label `reason: BoundedStr<CAP>` in `metrics!`; the reasons are the error enum's `#[derive(ErrorReason)]` texts"
)]
pub trait ReasonLabel: Sized {
    /// The label value for `reason`.
    fn from_reason(reason: &'static str) -> Self;
}

impl ReasonLabel for &str {
    #[inline]
    fn from_reason(reason: &'static str) -> Self {
        reason
    }
}

/// The label value of a failure's reason (generated code; the bound carries the diagnostic).
#[inline]
pub fn reason_label<L: ReasonLabel>(reason: &'static str) -> L {
    L::from_reason(reason)
}
