//! The families of the per-function presets (`#[instrument_job]`, `#[instrument_tool]`): one series set per
//! instrumented function.
//!
//! The set of functions is known at link time (each links its [`Operation`] into a slice), so these families are
//! written by hand rather than with `metrics!`: their `function` and `module` labels are closed sets read from the
//! slice, and every function's series exist, at zero, before its first run. The labels are never `job` or
//! `instance`, which Prometheus attaches to every scraped series itself. Names and help come from the [`Preset`] value
//! (`presets.rs`); the statics live there too.

use std::sync::OnceLock;

use super::preset::{Named, Preset, Shape};
use super::{Operation, REASON_CAP, RUN_BUCKETS, RunOutcome};
use crate::family::{
    Descriptor, Family, LabelDescriptor, LabelValues, MetricKind, Problem, SourceLocation,
    hand_cell,
};
use crate::label::LabelValue;
use crate::series::{Number, Sample, Series, SeriesSink};

/// Which of the four series sets of a per-function preset a family exposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Which {
    Runs,
    Duration,
    InFlight,
    Failures,
}

/// One built-in family over every function instrumented with one per-function preset.
#[derive(Debug)]
pub struct OperationFamily {
    preset: &'static Preset,
    which: Which,
    named: Named,
    descriptor: OnceLock<&'static Descriptor>,
}

impl OperationFamily {
    /// The `which` family of `preset`, its name and help read from the preset.
    ///
    /// # Panics
    ///
    /// On a per-call preset; in a `static` this is a compile-time error.
    pub(crate) const fn new(preset: &'static Preset, which: Which) -> Self {
        let Shape::PerFunction(families) = preset.shape() else {
            panic!("per-function families need a per-function preset");
        };
        Self {
            preset,
            which,
            named: match which {
                Which::Runs => families.runs,
                Which::Duration => families.duration,
                Which::InFlight => families.in_flight,
                Which::Failures => families.failures,
            },
            descriptor: OnceLock::new(),
        }
    }

    fn operations(&self) -> &'static [&'static Operation] {
        self.preset.operations()
    }
}

/// The recorded runs of one instrumented function, read from a per-function preset: a typed read for tests, which
/// creates nothing (every function's series exist from start-up anyway).
#[derive(Debug, Clone, Copy)]
pub struct FunctionRuns {
    operation: &'static Operation,
}

impl FunctionRuns {
    /// Finished runs with `outcome` (`job_runs_total`).
    pub fn runs(&self, outcome: RunOutcome) -> u64 {
        self.operation.runs(outcome)
    }

    /// The total duration in seconds of finished runs with `outcome` (`job_run_duration_seconds_sum`).
    pub fn duration_sum(&self, outcome: RunOutcome) -> f64 {
        self.operation.durations(outcome).sum()
    }

    /// Runs in progress now (`job_runs_in_flight`).
    pub fn in_flight(&self) -> i64 {
        self.operation.in_flight()
    }

    /// Failures with `reason` (`job_failures_total`); 0 for a reason never seen.
    pub fn failures(&self, reason: &str) -> u64 {
        self.operation.failures(reason)
    }

    /// The function's `module` label value.
    pub fn module(&self) -> &'static str {
        self.operation.module()
    }
}

impl OperationFamily {
    /// The runs of the function whose `function` label is `function` (`send_digest`, `Worker::run`, or the
    /// attribute's `name`), in the first module that has one; `None` when no linked function has that label.
    /// Any of a preset's four family statics gives the same reading.
    ///
    /// ```
    /// use metrics_core::{RunOutcome, instrument, instrument_job};
    ///
    /// #[instrument_job]
    /// fn send_digest() {}
    ///
    /// # fn main() {
    /// send_digest();
    /// let runs = instrument::JOB_RUNS_TOTAL.function("send_digest").unwrap();
    /// assert_eq!(runs.runs(RunOutcome::Success), 1);
    /// assert_eq!(runs.in_flight(), 0);
    /// # }
    /// ```
    pub fn function(&self, function: &str) -> Option<FunctionRuns> {
        self.operations()
            .iter()
            .find(|op| op.name() == function)
            .map(|&operation| FunctionRuns { operation })
    }

    /// As [`OperationFamily::function`], in module `module` (its `module` label: `app::jobs`).
    pub fn function_in(&self, module: &str, function: &str) -> Option<FunctionRuns> {
        self.operations()
            .iter()
            .find(|op| op.name() == function && op.module() == module)
            .map(|&operation| FunctionRuns { operation })
    }
}

const LOCATION: SourceLocation = crate::source_location!();

/// The label carrying an instrumented function's path inside its module (`run`, `Worker::run`).
pub const FUNCTION_LABEL: &str = "function";
/// The label carrying an instrumented function's module path (`app::jobs`).
pub const MODULE_LABEL: &str = "module";

impl Family for OperationFamily {
    fn descriptor(&self) -> &'static Descriptor {
        self.descriptor.get_or_init(|| {
            // The set of functions is fixed once the binary is linked; the names live as long as the program.
            let mut names: Vec<&'static str> =
                self.operations().iter().map(|op| op.name()).collect();
            let mut modules: Vec<&'static str> =
                self.operations().iter().map(|op| op.module()).collect();
            for values in [&mut names, &mut modules] {
                values.sort_unstable();
                values.dedup();
            }
            let mut labels = vec![
                LabelDescriptor::new(FUNCTION_LABEL, LabelValues::Enum(names.leak())),
                LabelDescriptor::new(MODULE_LABEL, LabelValues::Enum(modules.leak())),
            ];
            match self.which {
                Which::Runs | Which::Duration => labels.push(LabelDescriptor::new(
                    "outcome",
                    LabelValues::Enum(RunOutcome::VALUES),
                )),
                Which::InFlight => {}
                Which::Failures => labels.push(LabelDescriptor::new(
                    "reason",
                    LabelValues::Bounded { cap: REASON_CAP },
                )),
            }
            let Named { name, help } = self.named;
            let descriptor = match self.which {
                Which::Runs | Which::Failures => {
                    Descriptor::new(name, help, MetricKind::Counter, LOCATION)
                }
                Which::Duration => {
                    let descriptor = Descriptor::new(name, help, MetricKind::Histogram, LOCATION)
                        .with_unit("seconds")
                        .with_buckets(&RUN_BUCKETS);
                    // With `tracing`, each bucket carries the trace of its latest run.
                    if cfg!(feature = "tracing") {
                        descriptor.with_exemplars()
                    } else {
                        descriptor
                    }
                }
                Which::InFlight => Descriptor::new(name, help, MetricKind::Gauge, LOCATION),
            };
            Box::leak(Box::new(descriptor.with_labels(labels.leak())))
        })
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        let mut scratch = crate::metric::SampleScratch::new();
        let mut exemplars = crate::metric::ExemplarScratch::new();
        for op in self.operations() {
            match self.which {
                Which::Runs => {
                    for &outcome in RunOutcome::ALL {
                        let sample = Sample::Counter(Number::U64(op.runs(outcome)));
                        sink.series(
                            &Series::new(&[op.name(), op.module(), outcome.as_str()]),
                            &sample,
                        );
                    }
                }
                Which::Duration => {
                    for &outcome in RunOutcome::ALL {
                        let values = [op.name(), op.module(), outcome.as_str()];
                        let series = Series::new(&values);
                        hand_cell(
                            sink,
                            &series,
                            op.durations(outcome),
                            &mut scratch,
                            &mut exemplars,
                        );
                    }
                }
                Which::InFlight => {
                    sink.series(
                        &Series::new(&[op.name(), op.module()]),
                        &Sample::Gauge(Number::I64(op.in_flight())),
                    );
                }
                Which::Failures => op.for_each_failure(&mut |reason, count| {
                    sink.series(
                        &Series::new(&[op.name(), op.module(), reason]),
                        &Sample::Counter(Number::U64(count)),
                    );
                }),
            }
        }
    }

    fn label_overflows(&self, report: &mut dyn FnMut(&'static str, u64)) {
        if self.which == Which::Failures {
            report(
                "reason",
                self.operations()
                    .iter()
                    .map(|op| op.reason_overflows())
                    .sum(),
            );
        }
    }

    fn problems(&self, report: &mut dyn FnMut(Problem)) {
        // Two functions with one name in one module would expose the same series twice; report each pair once, on the runs
        // family, with both functions' locations.
        if self.which != Which::Runs {
            return;
        }
        for pair in self.operations().windows(2) {
            if (pair[0].name(), pair[0].module()) == (pair[1].name(), pair[1].module()) {
                report(Problem::Clash {
                    sample: format!(
                        "{}{{{FUNCTION_LABEL}=\"{}\",{MODULE_LABEL}=\"{}\"}}",
                        self.named.name,
                        pair[0].name(),
                        pair[0].module(),
                    ),
                    first: (pair[0].name(), pair[0].location()),
                    second: (pair[1].name(), pair[1].location()),
                });
            }
        }
    }
}
