//! The expansion adds no warning of its own under the lints a careful crate enables, and the user's own lints
//! still apply to the body.
#![deny(warnings, unused, missing_docs, unreachable_pub, missing_debug_implementations, unused_qualifications)]
#![deny(rust_2018_idioms, unused_results, trivial_casts, trivial_numeric_casts, single_use_lifetimes)]

//! Instrumented library functions.

use metrics_core::{BoundedStr, ErrorReason, LabelValue, RunOutcome, instrument_job, measure, metrics};

/// Failures.
#[derive(Debug, ErrorReason)]
pub enum Failure {
    /// Too slow.
    Timeout,
}

/// Queues.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
pub enum Queue {
    /// Email.
    Email,
}

metrics! {
    /// Runs.
    pub counter runs_total { queue: Queue, outcome: RunOutcome }
    /// Latency.
    pub histogram run_seconds { queue: Queue }
    /// Running.
    pub gauge running { queue: Queue }
    /// Failures.
    pub counter failures_total { queue: Queue, reason: BoundedStr<4> }
    /// Runs by worker.
    pub counter worker_runs_total { queue: Queue, function: BoundedStr<8> }
    /// Running by worker.
    pub gauge worker_running { worker: BoundedStr<4>, queue: Queue }

    /// Every role, a borrowed argument read on entry only, the call site.
    pub preset jobs: job {
        runs = worker_runs_total { function },
        duration = run_seconds,
        in_flight = worker_running,
        failures = failures_total { reason },
    }
}

/// A worker.
#[derive(Debug)]
pub struct Worker {
    id: String,
}

impl Worker {
    /// Through the crate's preset, borrowing `self` for a label.
    #[instrument_job(preset = JOBS, labels(queue = Queue::Email, worker = &self.id))]
    pub fn work(&mut self) -> Result<(), Failure> {
        self.id.push('!');
        Err(Failure::Timeout)
    }
}

/// A sync job.
#[instrument_job]
pub fn job(fail: bool) -> Result<u32, Failure> {
    if fail {
        return Err(Failure::Timeout);
    }
    Ok(1)
}

/// An async job.
#[instrument_job]
pub async fn async_job(name: &str) -> &str {
    name
}

/// Into the crate's own families.
#[measure(
    count(RUNS_TOTAL, queue = queue, outcome),
    duration(RUN_SECONDS, queue = queue),
    in_flight(RUNNING, queue = queue),
    errors(FAILURES_TOTAL, queue = queue, reason)
)]
pub fn measured(queue: Queue) -> Result<(), Failure> {
    Err(Failure::Timeout)
}

fn main() {
    let _ = job(false);
    drop(async_job("x"));
    let _ = measured(Queue::Email);
    let _ = Worker { id: "w".to_owned() }.work();
}
