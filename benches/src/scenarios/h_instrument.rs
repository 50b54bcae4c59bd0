//! H: what `#[instrument_job]` adds to a call, sync and async, against its budget: two clock reads and one
//! histogram observation, written by hand around the same call.
//!
//! The job body is a few integer operations behind `#[inline(never)]`, so every variant makes the same real call
//! and the difference between rows is the instrumentation alone. An `async fn` is driven by polling it once with a
//! no-op waker: it never awaits, so that is a whole run, and no executor's cost is counted.
//!
//! A fourth and fifth row use a configured preset (`preset jobs: job { .. }` in `metrics!`, the attribute's
//! `preset = ..`) whose families have the application's names: the duration by outcome over the same 16 bounds and
//! the failures by reason, then the same with an in-flight gauge. A configured preset records into ordinary
//! `metrics!` families, so its cost is theirs: a dense histogram observation, plus one atomic add and one
//! subtract for the gauge.
//!
//! The rows of a table are timed interleaved (`harness::measure_interleaved`), not one after the other:
//! they differ by a few percent, less than the drift of a shared machine between one contender's stretch of
//! samples and the next.

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use metrics_core::__private::RUN_BUCKETS;
use metrics_core::{BoundedStr, ErrorReason, RunOutcome, instrument_job, metrics};

use crate::contender::{Contender, Library};
use crate::floor::FloorHistogram;
use crate::harness::Config;
use crate::report::{Table, number};
use crate::scrape;

/// The failure of the job body (never returned in the timed runs; it gives the job a typed reason set).
#[derive(Debug, ErrorReason)]
pub(crate) enum JobError {
    /// The input was the one value the body refuses.
    Refused,
}

/// The job: cheap, opaque to the optimiser, fallible in type.
#[inline(never)]
fn body(x: u64) -> Result<u64, JobError> {
    if x == u64::MAX {
        return Err(JobError::Refused);
    }
    Ok(x.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17))
}

/// The bare call, sync.
#[inline(never)]
fn bare_sync(x: u64) -> Result<u64, JobError> {
    body(x)
}

/// The instrumented call, sync.
#[instrument_job]
#[inline(never)]
fn bench_h_sync(x: u64) -> Result<u64, JobError> {
    body(x)
}

/// The bare call, async. It never awaits, on purpose: the scenario measures an `async fn`'s own cost.
#[allow(clippy::unused_async)]
#[inline(never)]
async fn bare_async(x: u64) -> Result<u64, JobError> {
    body(x)
}

/// The instrumented call, async.
#[instrument_job]
#[inline(never)]
async fn bench_h_async(x: u64) -> Result<u64, JobError> {
    body(x)
}

metrics! {
    namespace = "bench_h";

    /// Runs of the configured-preset job by result.
    pub(crate) histogram run_duration_seconds { result: RunOutcome, buckets = RUN_BUCKETS }
    /// Failures of the configured-preset job by error type.
    pub(crate) counter failures_total { error_type: BoundedStr<4> }
    /// Runs of the configured-preset job in progress.
    pub(crate) gauge runs_in_flight;

    /// Duration by result, failures by error type.
    pub(crate) preset runs: job {
        duration = run_duration_seconds { result = outcome },
        failures = failures_total { error_type = reason },
    }

    /// The same, and a gauge of runs in flight.
    pub(crate) preset tracked_runs: job {
        duration = run_duration_seconds { result = outcome },
        failures = failures_total { error_type = reason },
        in_flight = runs_in_flight,
    }
}

/// The instrumented call through a configured preset, sync.
#[instrument_job(preset = RUNS)]
#[inline(never)]
fn configured_sync(x: u64) -> Result<u64, JobError> {
    body(x)
}

/// The instrumented call through a configured preset with an in-flight gauge, sync.
#[instrument_job(preset = TRACKED_RUNS)]
#[inline(never)]
fn configured_tracked_sync(x: u64) -> Result<u64, JobError> {
    body(x)
}

/// The instrumented call through a configured preset, async.
#[instrument_job(preset = RUNS)]
#[inline(never)]
async fn configured_async(x: u64) -> Result<u64, JobError> {
    body(x)
}

/// The instrumented call through a configured preset with an in-flight gauge, async.
#[instrument_job(preset = TRACKED_RUNS)]
#[inline(never)]
async fn configured_tracked_async(x: u64) -> Result<u64, JobError> {
    body(x)
}

/// The budget, hand-written: one histogram over the same bounds as the job families.
static BUDGET: FloorHistogram<{ RUN_BUCKETS.len() + 1 }> = FloorHistogram::new(&RUN_BUCKETS);

/// The budget around the bare call, sync: two clock reads and one observation.
#[inline(never)]
fn budget_sync(x: u64) -> Result<u64, JobError> {
    let start = Instant::now();
    let result = body(x);
    BUDGET.observe(start.elapsed().as_secs_f64());
    result
}

/// The budget around the bare call, async (never awaiting, as the bare call).
#[allow(clippy::unused_async)]
#[inline(never)]
async fn budget_async(x: u64) -> Result<u64, JobError> {
    let start = Instant::now();
    let result = body(x);
    BUDGET.observe(start.elapsed().as_secs_f64());
    result
}

/// Runs a future that never waits to completion: one poll with a no-op waker.
fn run_once<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

/// Runs scenario H: one table for sync calls, one for async.
pub(crate) fn run(config: &Config) -> Vec<Table> {
    [
        ("H1: `#[instrument_job]` on a sync fn", sync_contenders()),
        ("H2: `#[instrument_job]` on an async fn", async_contenders()),
    ]
    .into_iter()
    .map(|(title, mut contenders)| {
        let mut table = Table::new(title, "ns/call");
        table.extra_headers = vec!["added to the bare call (ns)", "× budget's addition"];
        super::time_interleaved(&mut table, &mut contenders, config, 1.0, |_, _| Vec::new());
        let bare = table.rows.iter().find(|r| r.note == BARE).map(|r| r.value);
        let budget = table.rows.first().map(|r| r.value);
        for row in &mut table.rows {
            let added = bare.map(|bare| row.value - bare);
            let budget_added = bare.zip(budget).map(|(bare, budget)| budget - bare);
            row.extra = vec![
                added.map_or("–".into(), number),
                match (added, budget_added) {
                    (Some(added), Some(budget)) if budget > 0.0 => format!("{:.2}×", added / budget),
                    _ => "–".into(),
                },
            ];
        }
        table.notes.push(
            "The budget row is what the target allows: the bare call plus two `Instant::now()` and one observation \
             into a hand-written histogram with the job families' 16 bounds. Ours also counts the run started (in a \
             slot its thread owns, no locked instruction: in flight is started minus finished, at scrape time) and \
             reads the outcome. The configured presets record into `metrics!` families of their own names (a dense \
             histogram by result over the same bounds; a gauge for in flight). The rows are \
             timed interleaved, one batch of each in turn, 10 x 51 rounds."
                .into(),
        );
        table
    })
    .collect()
}

const BARE: &str = "bare call, not instrumented";
const CONFIGURED: &str = "`#[instrument_job(preset = ..)]`: duration by result, failures";
const CONFIGURED_TRACKED: &str = "`#[instrument_job(preset = ..)]`: the same and in flight";

/// Budget, ours, bare: sync.
pub(crate) fn sync_contenders() -> Vec<Contender> {
    vec![
        caller(
            Library::Floor,
            "budget: bare + 2 clock reads + 1 observe",
            budget_sync,
        ),
        caller(Library::Ours, "`#[instrument_job]`", bench_h_sync),
        caller(Library::Ours, CONFIGURED, configured_sync),
        caller(Library::Ours, CONFIGURED_TRACKED, configured_tracked_sync),
        caller(Library::Floor, BARE, bare_sync),
    ]
}

/// Budget, ours, bare: async.
pub(crate) fn async_contenders() -> Vec<Contender> {
    vec![
        caller(
            Library::Floor,
            "budget: bare + 2 clock reads + 1 observe",
            |x| run_once(budget_async(x)),
        ),
        caller(Library::Ours, "`#[instrument_job]`", |x| {
            run_once(bench_h_async(x))
        }),
        caller(Library::Ours, CONFIGURED, |x| run_once(configured_async(x))),
        caller(Library::Ours, CONFIGURED_TRACKED, |x| {
            run_once(configured_tracked_async(x))
        }),
        caller(Library::Floor, BARE, |x| run_once(bare_async(x))),
    ]
}

fn caller(
    library: Library,
    note: &'static str,
    call: fn(u64) -> Result<u64, JobError>,
) -> Contender {
    Contender::ops(
        library,
        note,
        move |start, n| {
            for i in start..start + n {
                let _ = black_box(call(black_box(i as u64)));
            }
        },
        || {
            let registry = metrics_core::Registry::builder()
                .register(&metrics_core::instrument::JOB_RUNS_TOTAL)
                .build()
                .expect("the built-in job families are valid");
            let mut out = String::new();
            scrape::ours(&registry, metrics_core::Format::Text004, &mut out);
            out
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exposition::value;

    /// The `module` label of the instrumented functions: this module's parent.
    fn module() -> &'static str {
        module_path!().trim_end_matches("::tests")
    }

    fn runs(contender: &Contender, function: &str) -> f64 {
        let text = (contender.read)();
        value(
            &text,
            "job_runs_total",
            &[
                ("function", function),
                ("module", module()),
                ("outcome", "success"),
            ],
        )
        .unwrap_or(0.0)
    }

    /// The tests that run contenders count the same series: one at a time.
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

    #[test]
    fn only_the_instrumented_calls_are_counted() {
        let _serial = SERIAL
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (mut contenders, job) in [
            (sync_contenders(), "bench_h_sync"),
            (async_contenders(), "bench_h_async"),
        ] {
            for contender in &mut contenders {
                let before = runs(contender, job);
                contender.run(0, 100);
                let expected = if contender.note == "`#[instrument_job]`" {
                    100.0
                } else {
                    0.0
                };
                assert_eq!(runs(contender, job) - before, expected, "{contender:?}");
            }
        }
    }

    #[test]
    fn the_configured_presets_record_into_their_own_families() {
        let _serial = SERIAL
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let runs = || RUN_DURATION_SECONDS.labels(RunOutcome::Success).count();
        let in_flight = || RUNS_IN_FLIGHT.get();
        let before = runs();
        for mut contenders in [sync_contenders(), async_contenders()] {
            for contender in &mut contenders {
                contender.run(0, 10);
            }
        }
        // Two configured rows per table, two tables.
        assert_eq!(runs() - before, 40);
        assert_eq!(in_flight(), 0);
        assert!(configured_sync(u64::MAX).is_err());
        assert!(
            FAILURES_TOTAL
                .find_labels("refused")
                .is_some_and(|c| c.get() >= 1)
        );
    }

    #[test]
    fn a_refused_input_is_a_failure_with_its_reason() {
        assert!(bench_h_sync(u64::MAX).is_err());
        let registry = metrics_core::Registry::builder()
            .register(&metrics_core::instrument::JOB_FAILURES_TOTAL)
            .build()
            .expect("valid");
        let text = registry
            .encode_to_string(metrics_core::Format::Text004)
            .expect("encodes");
        let failures = value(
            &text,
            "job_failures_total",
            &[
                ("function", "bench_h_sync"),
                ("module", module()),
                ("reason", "refused"),
            ],
        );
        assert!(failures >= Some(1.0), "{text}");
    }
}
