//! Workers, the producer and the lease reaper: the run path, retries and dead-lettering.
//!
//! A worker claims a job, runs one attempt (`#[instrument_job]` with the plan's preset records the run phase of
//! `cogo_job_latency_seconds` and holds `cogo_worker_inflight_jobs` up while it runs), renews its lease between steps, and settles the
//! outcome: a retry (`cogo_job_retries_total{reason}`) while attempts remain, else a terminal failure
//! (`cogo_job_failures_total{reason}`) and a dead letter (`cogo_job_dlq_total{stage}`). The reaper settles the
//! attempts whose lease expired the same way, with reason `lease_lost`.

use std::sync::Arc;
use std::time::Duration;

use metrics_core::{ErrorReason, LabelValue, instrument_job};
use tokio::sync::watch;

use super::Settings;
use super::llm_router::LlmRouter;
use super::metrics::{
    self, DlqStage, FailureReason, JOB_DLQ_TOTAL, JOB_FAILURES_TOTAL, JOB_RETRIES_TOTAL, JobType,
    Tenant, Tool,
};
use super::queue::{Claim, Job, Queue};
use super::rng::Rng;
use super::tools;

/// What every task shares.
#[derive(Debug)]
pub struct Shared {
    /// The queue.
    pub queue: Queue,
    /// The LLM router (shared with the routing endpoint).
    pub router: Arc<LlmRouter>,
    /// The settings.
    pub settings: Settings,
}

/// Why an attempt failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ErrorReason)]
pub enum AttemptError {
    /// A tool call failed.
    ToolError,
    /// Every LLM candidate failed.
    LlmUnavailable,
    /// The lease expired while the worker stalled; the reaper settles the attempt.
    LeaseLost,
    /// The payload was rejected.
    InvalidInput,
}

impl From<AttemptError> for FailureReason {
    fn from(error: AttemptError) -> Self {
        match error {
            AttemptError::ToolError => Self::ToolError,
            AttemptError::LlmUnavailable => Self::LlmUnavailable,
            AttemptError::LeaseLost => Self::LeaseLost,
            AttemptError::InvalidInput => Self::InvalidInput,
        }
    }
}

/// One step of a job.
#[derive(Clone, Copy, Debug)]
enum Step {
    Tool(Tool),
    /// An LLM call with a prompt of about this many tokens.
    Llm(u64),
}

impl JobType {
    fn steps(self) -> &'static [Step] {
        match self {
            Self::Email => &[
                Step::Tool(Tool::DbQuery),
                Step::Llm(300),
                Step::Tool(Tool::SmtpSend),
            ],
            Self::Report => &[
                Step::Tool(Tool::DbQuery),
                Step::Tool(Tool::DbQuery),
                Step::Tool(Tool::PdfRender),
            ],
            Self::Summarize => &[Step::Tool(Tool::WebFetch), Step::Llm(2000)],
        }
    }
}

/// A worker's identity: its `worker_id` label value.
#[derive(Debug)]
pub struct Worker {
    /// `w0`, `w1`, ...: bounded by the worker count, itself capped at [`super::metrics::MAX_WORKERS`].
    pub id: String,
    rng: Rng,
}

impl Worker {
    /// Worker number `n`.
    pub fn new(n: usize, seed: u64) -> Self {
        Self {
            id: format!("w{n}"),
            rng: Rng::new(seed ^ (n as u64 + 1).wrapping_mul(0xA24B_AED4_963E_E407)),
        }
    }

    /// Claims and runs jobs until `stop` turns true.
    pub async fn run(mut self, shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
        while !*stop.borrow() {
            let Some(slot) = shared.queue.peek(self.rng.below(2)) else {
                tokio::select! {
                    () = tokio::time::sleep(Duration::from_millis(5)) => {}
                    _ = stop.changed() => {}
                }
                continue;
            };
            // The claim's round trip to the queue's store: the window in which another worker can race for the
            // same job.
            tokio::time::sleep(Duration::from_micros(500)).await;
            let Some(mut claim) = shared.queue.try_claim(slot) else {
                continue;
            };
            let job = claim.slot.job;
            let outcome = self.attempt(&shared, &mut claim).await;
            if shared.queue.finish(&claim) {
                settle(&shared, job, outcome.err());
            }
            // Otherwise the lease expired during the attempt and the reaper settled it.
        }
    }

    /// Runs one attempt of the claimed job.
    #[instrument_job(
        preset = metrics::JOB_ATTEMPTS,
        labels(tenant = claim.slot.job.tenant, job_type = claim.slot.job.job_type, worker_id = &self.id),
    )]
    async fn attempt(&mut self, shared: &Shared, claim: &mut Claim) -> Result<(), AttemptError> {
        let job = claim.slot.job;
        let failure_rate = shared.settings.failure_rate;
        if job.invalid {
            return Err(AttemptError::InvalidInput);
        }
        // A stalled worker (a long GC pause, a hung connection) stops renewing its lease.
        if self.rng.chance(failure_rate / 10.0) {
            tokio::time::sleep(shared.settings.lease * 2).await;
        }
        for step in job.job_type.steps() {
            if !shared.queue.renew(claim) {
                return Err(AttemptError::LeaseLost);
            }
            match *step {
                Step::Tool(tool) => tools::call(tool, failure_rate, &mut self.rng)
                    .await
                    .map_err(|_| AttemptError::ToolError)?,
                Step::Llm(prompt_tokens) => {
                    shared
                        .router
                        .complete(prompt_tokens, &mut self.rng)
                        .await
                        .map_err(|_| AttemptError::LlmUnavailable)?;
                }
            }
        }
        if shared.queue.renew(claim) {
            Ok(())
        } else {
            Err(AttemptError::LeaseLost)
        }
    }
}

/// Settles a finished attempt: success, a retry after a backoff, or a terminal failure into the dead-letter
/// queue.
pub fn settle(shared: &Shared, job: Job, error: Option<AttemptError>) {
    let Some(error) = error else {
        return;
    };
    let reason = FailureReason::from(error);
    let retryable = error != AttemptError::InvalidInput;
    if retryable && job.attempt < shared.settings.max_attempts {
        JOB_RETRIES_TOTAL
            .labels(job.tenant, job.job_type, reason)
            .inc();
        let backoff = Duration::from_millis(20 << job.attempt.min(6));
        let retry = Job {
            attempt: job.attempt + 1,
            ..job
        };
        // A full queue drops the retry: it is a terminal failure like any other lost job.
        if shared.queue.push(retry, backoff) {
            return;
        }
    }
    let stage = match error {
        AttemptError::InvalidInput => DlqStage::Validate,
        AttemptError::LeaseLost => DlqStage::Lease,
        AttemptError::ToolError | AttemptError::LlmUnavailable => DlqStage::Execute,
    };
    JOB_FAILURES_TOTAL
        .labels(job.tenant, job.job_type, reason)
        .inc();
    JOB_DLQ_TOTAL.labels(job.tenant, job.job_type, stage).inc();
}

/// Submits jobs at the configured rate until `stop` turns true.
pub async fn produce(shared: Arc<Shared>, mut stop: watch::Receiver<bool>, seed: u64) {
    let mut rng = Rng::new(seed);
    let period = Duration::from_secs_f64(1.0 / shared.settings.jobs_per_second);
    let mut ticks = tokio::time::interval(period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut id = 0;
    while !*stop.borrow() {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stop.changed() => continue,
        }
        id += 1;
        let job = Job {
            id,
            tenant: Tenant::ALL[rng.below(Tenant::ALL.len())],
            job_type: JobType::ALL[rng.below(JobType::ALL.len())],
            attempt: 1,
            invalid: rng.chance(shared.settings.failure_rate / 20.0),
        };
        // A full queue sheds the job: the producer stands for clients that get a 503.
        let _ = shared.queue.push(job, Duration::ZERO);
    }
}

/// Expires overdue leases and settles their attempts until `stop` turns true.
pub async fn reap(shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    let period = (shared.settings.lease / 4).max(Duration::from_millis(5));
    while !*stop.borrow() {
        tokio::select! {
            () = tokio::time::sleep(period) => {}
            _ = stop.changed() => {}
        }
        for job in shared.queue.reap() {
            settle(&shared, job, Some(AttemptError::LeaseLost));
        }
    }
}
