//! The cells of one instrumented function, held in a static the attribute emits inside it.
//!
//! The hot path is a direct reference to that static: entering counts the run started (a load and a store in a
//! slot the thread owns, `started.rs`), leaving is one histogram observation. Everything else is derived at scrape time: the run counters are the
//! histogram's counts per outcome, and the runs in flight are the started runs minus the finished ones. The clock
//! is read once on entry and once on exit.

use std::sync::OnceLock;
use std::time::Duration;

use super::RunOutcome;
use super::function::function_label;
use super::preset::Preset;
use super::started::StartedCount;
use crate::family::SourceLocation;
use crate::label::LabelValue;
use crate::label::OVERFLOW_VALUE;
use crate::metric::Counter;
#[cfg(feature = "tracing")]
use crate::metric::ExemplarHistogram;
#[cfg(not(feature = "tracing"))]
use crate::metric::Histogram;

/// Run duration buckets of the built-in job and tool families, in seconds: 5 ms to 10 minutes, so that both a
/// tool call and a batch job land inside the range.
pub const RUN_BUCKETS: [f64; 16] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0,
];

/// The most distinct failure reasons one function keeps; further reasons are counted under
/// [`OVERFLOW_VALUE`](crate::OVERFLOW_VALUE).
pub const REASON_CAP: usize = 32;

const OUTCOMES: usize = RunOutcome::VALUES.len();
const BUCKET_CELLS: usize = RUN_BUCKETS.len() + 1;

/// A run-duration histogram. With the `tracing` feature it keeps an exemplar per bucket: the trace of the span
/// current when the run ended. Write `#[tracing::instrument]` after the measuring attribute: the one written
/// first expands first, so the span then encloses the measurement.
#[cfg(feature = "tracing")]
pub type RunHistogram = ExemplarHistogram<BUCKET_CELLS>;
/// A run-duration histogram. With the `tracing` feature it keeps an exemplar per bucket.
#[cfg(not(feature = "tracing"))]
pub type RunHistogram = Histogram<BUCKET_CELLS>;

/// One instrumented function: its preset, its `function` and `module` label values and its cells.
///
/// Created by the attributes as a `static` inside the function and linked into the registry, so its series exist
/// (at zero) before its first run. Not constructed by hand.
#[derive(Debug)]
pub struct Operation {
    preset: &'static Preset,
    /// The attribute's `name = ".."`, which replaces the derived `function` label value.
    given: Option<&'static str>,
    /// The type name of a `fn` nested in the function, which [`function_label`] reads the label value from.
    path: fn() -> &'static str,
    /// The label value, derived once.
    name: OnceLock<&'static str>,
    location: SourceLocation,
    declared_reasons: Option<fn() -> &'static [&'static str]>,
    durations: [RunHistogram; OUTCOMES],
    /// Runs entered; a run is finished once its duration is observed, so in flight is the difference.
    started: StartedCount,
    failures: ReasonCounters,
}

impl Operation {
    /// The cells of the function at `location`, whose `function` label value is `given` or read from `path` (the
    /// type name of a `fn` nested in it); `declared_reasons`, when the error type is known, lists the reasons
    /// whose failure series exist before any failure.
    // Evaluated into the function's static at compile time, never on a stack (with `tracing`, the exemplar slots
    // make the cells larger than clippy's stack bound).
    #[allow(clippy::large_stack_arrays)]
    pub const fn new(
        preset: &'static Preset,
        given: Option<&'static str>,
        path: fn() -> &'static str,
        location: SourceLocation,
        declared_reasons: Option<fn() -> &'static [&'static str]>,
    ) -> Self {
        Self {
            preset,
            given,
            path,
            name: OnceLock::new(),
            location,
            declared_reasons,
            durations: [const { RunHistogram::new(&RUN_BUCKETS) }; OUTCOMES],
            started: StartedCount::new(),
            failures: ReasonCounters::new(),
        }
    }

    /// The preset whose families it reports into.
    pub fn preset(&self) -> &'static Preset {
        self.preset
    }

    /// Its `function` label value: the function's path inside its module (`run`, `Worker::run`), or the
    /// attribute's `name = ".."`.
    pub fn name(&self) -> &'static str {
        self.name.get_or_init(|| {
            self.given.unwrap_or_else(|| {
                // Once per function for the program's life: the families' label values are `'static`.
                function_label((self.path)(), self.location.module_path).leak()
            })
        })
    }

    /// Its `module` label value: the module path of the function.
    pub fn module(&self) -> &'static str {
        self.location.module_path
    }

    /// Where the instrumented function is.
    pub fn location(&self) -> SourceLocation {
        self.location
    }

    /// A run starts: one more started, hence one more in flight until its duration is observed.
    #[inline]
    pub fn enter(&self) {
        self.started.inc();
    }

    /// A run ended: its duration by outcome (which also counts it finished), and its failure reason.
    #[inline]
    pub fn exit(&self, outcome: RunOutcome, reason: Option<&'static str>, elapsed: Duration) {
        self.durations[outcome.index()].observe_duration(elapsed);
        if let Some(reason) = reason {
            // Declared reasons take the first slots, in declaration order, whichever reason fails first.
            self.declare_reasons();
            self.failures.record(reason);
        }
    }

    /// Finished runs with `outcome`.
    pub fn runs(&self, outcome: RunOutcome) -> u64 {
        self.durations[outcome.index()].count()
    }

    /// The duration histogram of runs with `outcome`.
    pub fn durations(&self, outcome: RunOutcome) -> &RunHistogram {
        &self.durations[outcome.index()]
    }

    /// Runs in progress now: started minus finished.
    ///
    /// Finished is read first: a run is started before it finishes, so a scrape racing runs sees at most the
    /// runs that started after it read the finished counts as extra, never a finish without its start, and the
    /// difference cannot go below zero. That argument needs the start's increment to be visible wherever the
    /// finish's is, which holds on x86 (a thread's stores become visible in the order it made them, to every
    /// thread alike) but not with relaxed ordering on every machine; rather than pay for ordering on the hot path,
    /// a momentarily negative difference is read as zero.
    pub fn in_flight(&self) -> i64 {
        let finished: u64 = RunOutcome::ALL
            .iter()
            .map(|&outcome| self.runs(outcome))
            .sum();
        let started = self.started.get();
        i64::try_from(started.saturating_sub(finished)).unwrap_or(i64::MAX)
    }

    /// Failures with `reason` so far.
    pub fn failures(&self, reason: &str) -> u64 {
        let mut found = 0;
        self.for_each_failure(&mut |text, count| {
            if text == reason {
                found = count;
            }
        });
        found
    }

    /// Every failure reason seen or declared, with its count, in first-seen order; the overflow value last, when
    /// more than [`REASON_CAP`] distinct reasons occurred.
    pub fn for_each_failure(&self, each: &mut dyn FnMut(&'static str, u64)) {
        self.declare_reasons();
        self.failures.for_each(each);
    }

    /// How many failures went to the overflow reason.
    pub fn reason_overflows(&self) -> u64 {
        self.failures.overflow.get()
    }

    /// Makes the series of the error type's reasons exist, once.
    fn declare_reasons(&self) {
        if let Some(reasons) = self.declared_reasons {
            self.failures.declared.get_or_init(|| {
                for reason in reasons() {
                    self.failures.slot(reason);
                }
            });
        }
    }
}

/// Failure counts by reason text: a fixed table filled in first-seen order, with no lock and no allocation.
///
/// A function fails with a handful of reasons at most, so a linear scan (pointer compare first, text second)
/// beats hashing.
#[derive(Debug)]
struct ReasonCounters {
    slots: [ReasonSlot; REASON_CAP],
    overflow: Counter,
    declared: OnceLock<()>,
}

#[derive(Debug)]
struct ReasonSlot {
    text: OnceLock<&'static str>,
    count: Counter,
}

impl ReasonCounters {
    const fn new() -> Self {
        Self {
            slots: [const {
                ReasonSlot {
                    text: OnceLock::new(),
                    count: Counter::new(),
                }
            }; REASON_CAP],
            overflow: Counter::new(),
            declared: OnceLock::new(),
        }
    }

    fn record(&self, reason: &'static str) {
        self.slot(reason)
            .map_or(&self.overflow, |slot| &slot.count)
            .inc();
    }

    /// The slot of `reason`, claimed if new; `None` when the table is full.
    fn slot(&self, reason: &'static str) -> Option<&ReasonSlot> {
        for slot in &self.slots {
            // Racing claimants of one empty slot agree on its text through the `OnceLock`; a loser moves on.
            let text = *slot.text.get_or_init(|| reason);
            if std::ptr::eq(text, reason) || text == reason {
                return Some(slot);
            }
        }
        None
    }

    fn for_each(&self, each: &mut dyn FnMut(&'static str, u64)) {
        for slot in &self.slots {
            let Some(text) = slot.text.get() else { break };
            each(text, slot.count.get());
        }
        let overflow = self.overflow.get();
        if overflow > 0 {
            each(OVERFLOW_VALUE, overflow);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operation(reasons: Option<fn() -> &'static [&'static str]>) -> Operation {
        Operation::new(
            &super::super::presets::JOB,
            Some("test"),
            || "unused",
            crate::source_location!(),
            reasons,
        )
    }

    #[test]
    fn exit_records_duration_reason_and_in_flight() {
        let op = operation(Some(|| &["timeout", "refused"]));
        op.enter();
        op.enter();
        assert_eq!(op.in_flight(), 2);
        op.exit(RunOutcome::Success, None, Duration::from_millis(20));
        op.exit(RunOutcome::Failure, Some("refused"), Duration::from_secs(2));
        assert_eq!(op.in_flight(), 0);
        assert_eq!(
            (
                op.runs(RunOutcome::Success),
                op.runs(RunOutcome::Failure),
                op.runs(RunOutcome::Panic)
            ),
            (1, 1, 0)
        );
        let mut seen = Vec::new();
        op.for_each_failure(&mut |reason, count| seen.push((reason, count)));
        assert_eq!(
            seen,
            [("timeout", 0), ("refused", 1)],
            "declared reasons exist at zero, in declaration order"
        );
    }

    #[test]
    fn in_flight_is_started_minus_finished_and_never_negative() {
        let op = operation(None);
        op.exit(RunOutcome::Cancelled, None, Duration::ZERO);
        assert_eq!(
            op.in_flight(),
            0,
            "a finish seen before its start reads as none in flight"
        );
        op.enter();
        op.enter();
        assert_eq!(op.in_flight(), 1);
    }

    #[test]
    fn reasons_past_the_cap_go_to_overflow() {
        let op = operation(None);
        let texts: Vec<&'static str> = (0..=REASON_CAP).map(|i| &*format!("r{i}").leak()).collect();
        for text in &texts {
            op.exit(RunOutcome::Failure, Some(text), Duration::ZERO);
        }
        op.exit(RunOutcome::Failure, Some("r0"), Duration::ZERO);
        assert_eq!(op.failures("r0"), 2);
        assert_eq!(op.failures(OVERFLOW_VALUE), 1);
        assert_eq!(op.reason_overflows(), 1);
    }
}
