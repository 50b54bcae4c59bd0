//! The built-in families of `#[instrument_job]` and `#[instrument_tool]`, one series set per instrumented function.
//!
//! The set of functions is known at link time (each links its [`Operation`] into a slice), so these families are
//! written by hand rather than with `metrics!`: their `job`/`tool` label is a closed set read from the slice, and
//! every function's series exist, at zero, before its first run. The expansion of each attribute also links the
//! families of its kind into the registry, so a binary without instrumented functions exposes none of them (the
//! registry keeps one copy of a family linked twice).

use std::sync::OnceLock;

use super::slice::operations;
use super::{Operation, OperationKind, REASON_CAP, RUN_BUCKETS, RunOutcome};
use crate::metric::Metric as _;
use crate::{
    Descriptor, Family, LabelDescriptor, LabelValue, LabelValues, MetricKind, Number, Problem,
    Sample, Series, SeriesSink, SourceLocation,
};

/// Which of the four series sets of a kind a family exposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Runs,
    Duration,
    InFlight,
    Failures,
}

/// One built-in family over every instrumented function of one kind.
#[derive(Debug)]
pub struct OperationFamily {
    kind: OperationKind,
    which: Which,
    name: &'static str,
    help: &'static str,
    descriptor: OnceLock<&'static Descriptor>,
}

impl OperationFamily {
    const fn new(
        kind: OperationKind,
        which: Which,
        name: &'static str,
        help: &'static str,
    ) -> Self {
        Self {
            kind,
            which,
            name,
            help,
            descriptor: OnceLock::new(),
        }
    }

    fn operations(&self) -> &'static [&'static Operation] {
        operations(self.kind)
    }
}

const LOCATION: SourceLocation = crate::source_location!();

/// Function runs by job and outcome.
pub static JOB_RUNS_TOTAL: OperationFamily = OperationFamily::new(
    OperationKind::Job,
    Which::Runs,
    "job_runs_total",
    "Runs of each #[instrument_job] function, by outcome (success, failure, panic, cancelled).",
);
/// Run duration by job and outcome.
pub static JOB_RUN_DURATION_SECONDS: OperationFamily = OperationFamily::new(
    OperationKind::Job,
    Which::Duration,
    "job_run_duration_seconds",
    "Duration of each #[instrument_job] function's runs, by outcome.",
);
/// Runs in progress by job.
pub static JOB_RUNS_IN_FLIGHT: OperationFamily = OperationFamily::new(
    OperationKind::Job,
    Which::InFlight,
    "job_runs_in_flight",
    "Runs of each #[instrument_job] function in progress now.",
);
/// Failed runs (an `Err` returned) by job and reason.
pub static JOB_FAILURES_TOTAL: OperationFamily = OperationFamily::new(
    OperationKind::Job,
    Which::Failures,
    "job_failures_total",
    "Runs of each #[instrument_job] function that returned an error, by the error's reason.",
);
/// Tool calls by tool and outcome.
pub static TOOL_CALLS_TOTAL: OperationFamily = OperationFamily::new(
    OperationKind::Tool,
    Which::Runs,
    "tool_calls_total",
    "Calls of each #[instrument_tool] function, by outcome (success, failure, panic, cancelled).",
);
/// Tool call latency by tool and outcome.
pub static TOOL_CALL_DURATION_SECONDS: OperationFamily = OperationFamily::new(
    OperationKind::Tool,
    Which::Duration,
    "tool_call_duration_seconds",
    "Latency of each #[instrument_tool] function's calls, by outcome.",
);
/// Tool calls in progress by tool.
pub static TOOL_CALLS_IN_FLIGHT: OperationFamily = OperationFamily::new(
    OperationKind::Tool,
    Which::InFlight,
    "tool_calls_in_flight",
    "Calls of each #[instrument_tool] function in progress now.",
);
/// Tool errors by tool and reason.
pub static TOOL_ERRORS_TOTAL: OperationFamily = OperationFamily::new(
    OperationKind::Tool,
    Which::Failures,
    "tool_errors_total",
    "Calls of each #[instrument_tool] function that returned an error, by the error's reason.",
);

impl Family for OperationFamily {
    fn descriptor(&self) -> &'static Descriptor {
        self.descriptor.get_or_init(|| {
            let subject = match self.kind {
                OperationKind::Job => "job",
                OperationKind::Tool => "tool",
            };
            // The set of functions is fixed once the binary is linked; the names live as long as the program.
            let names: Vec<&'static str> = self.operations().iter().map(|op| op.name()).collect();
            let subject = LabelDescriptor {
                name: subject,
                values: LabelValues::Enum(names.leak()),
            };
            let labels: Vec<LabelDescriptor> = match self.which {
                Which::Runs | Which::Duration => {
                    vec![
                        subject,
                        LabelDescriptor {
                            name: "outcome",
                            values: LabelValues::Enum(RunOutcome::VALUES),
                        },
                    ]
                }
                Which::InFlight => vec![subject],
                Which::Failures => {
                    vec![
                        subject,
                        LabelDescriptor {
                            name: "reason",
                            values: LabelValues::Bounded { cap: REASON_CAP },
                        },
                    ]
                }
            };
            let (kind, unit, buckets): (_, _, &'static [f64]) = match self.which {
                Which::Runs | Which::Failures => (MetricKind::Counter, None, &[]),
                Which::Duration => (MetricKind::Histogram, Some("seconds"), &RUN_BUCKETS),
                Which::InFlight => (MetricKind::Gauge, None, &[]),
            };
            Box::leak(Box::new(Descriptor {
                name: self.name,
                help: self.help,
                kind,
                unit,
                labels: labels.leak(),
                buckets,
                states: &[],
                location: LOCATION,
            }))
        })
    }

    fn collect(&self, sink: &mut dyn SeriesSink) {
        let mut scratch = crate::metric::SampleScratch::new();
        for op in self.operations() {
            match self.which {
                Which::Runs => {
                    for &outcome in RunOutcome::ALL {
                        let sample = Sample::Counter(Number::U64(op.runs(outcome)));
                        sink.series(&Series::new(&[op.name(), outcome.as_str()]), &sample);
                    }
                }
                Which::Duration => {
                    for &outcome in RunOutcome::ALL {
                        let sample = op.durations(outcome).sample(&mut scratch);
                        sink.series(&Series::new(&[op.name(), outcome.as_str()]), &sample);
                    }
                }
                Which::InFlight => {
                    sink.series(
                        &Series::new(&[op.name()]),
                        &Sample::Gauge(Number::I64(op.in_flight())),
                    );
                }
                Which::Failures => op.for_each_failure(&mut |reason, count| {
                    sink.series(
                        &Series::new(&[op.name(), reason]),
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
        // Two functions with one name would expose the same series twice; report each pair once, on the runs
        // family, with both functions' locations.
        if self.which != Which::Runs {
            return;
        }
        for pair in self.operations().windows(2) {
            if pair[0].name() == pair[1].name() {
                report(Problem::Clash {
                    sample: format!(
                        "{}{{{}=\"{}\"}}",
                        self.name,
                        self.descriptor().labels[0].name,
                        pair[0].name()
                    ),
                    first: (pair[0].name(), pair[0].location()),
                    second: (pair[1].name(), pair[1].location()),
                });
            }
        }
    }
}
