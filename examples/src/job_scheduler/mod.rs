//! The job scheduler example, simulated end to end: workers racing to claim jobs under leases, jobs calling tools
//! and an LLM router, synthetic failures driving retries and dead letters, and the fifteen `cogo_` metrics of its
//! metrics plan (names, types and labels fixed up front, before any code) served with its three endpoints.
//!
//! Run it with `cargo run -p examples --example job_scheduler`; [`Settings::from_env`] lists the variables.
//!
//! # Where each metric is recorded
//!
//! | metric | where | how |
//! |---|---|---|
//! | `cogo_scheduler_claim_total`, `cogo_scheduler_claim_conflict_total` | the claim's compare-and-swap ([`queue`]) | by hand |
//! | `cogo_job_lease_renew_total`, `cogo_job_lease_expired_total` | lease renewal between steps, the reaper ([`queue`]) | by hand |
//! | `cogo_job_latency_seconds{phase="queue"}` | the winning claim ([`queue`]) | by hand |
//! | `cogo_job_latency_seconds{phase="run"}`, `cogo_worker_inflight_jobs` | one attempt ([`worker`]) | `#[instrument_job]`, preset [`metrics::JOB_ATTEMPTS`] |
//! | `cogo_job_retries_total`, `cogo_job_failures_total`, `cogo_job_dlq_total` | settling an attempt ([`worker`]) | by hand |
//! | `cogo_tool_latency_seconds`, `cogo_tool_errors_total` | each tool call ([`tools`]) | `#[instrument_tool]`, preset [`metrics::TOOL_CALLS`] |
//! | `cogo_llm_tokens_total`, `cogo_llm_cost_usd_total` | each provider call ([`llm_router`]) | `#[instrument_llm]`, preset [`metrics::LLM_CALLS`], read from the returned `LlmUsage` |
//! | `cogo_router_rank_score`, `cogo_router_failover_total` | ranking and failover ([`llm_router`]) | by hand |
//!
//! # Presets: the plan's names through the instrumentation attributes
//!
//! The plan fixes every name, label and bucket, so the attributes record through three presets declared once in
//! [`metrics`], beside the families they record into (`preset job_attempts: job { .. }` and its siblings): an
//! attempt's run latency (`phase` fixed to `run`) and its worker's in-flight gauge; a tool call's latency and its
//! failures with the reason from `#[derive(ErrorReason)]`; a provider call's tokens by direction and its cost. The
//! labels the presets leave unbound (`tenant`, `job_type`, `worker_id`, `tool`, `provider`, `model`) are each
//! attribute's `labels(..)`, checked against the families' label types by the compiler. The built-in
//! `job_*`/`tool_*`/`llm_*` families are not used, so none is served.
//!
//! Kept by hand, because they are not a function's run:
//!
//! - the queue phase, claims, conflicts and leases: events inside the queue, not the run of a function;
//! - retries, terminal failures and dead letters: they depend on the attempt number and the retry policy, which
//!   the attempt itself does not know (a preset's `failures` role would count every failed attempt, and the plan's
//!   `cogo_job_failures_total` counts only jobs that will not run again);
//! - ranking and failover: the router's decisions between calls.

//! # Label policy
//!
//! - `tenant` (on the job-path families) only with `METRICS_LABEL_TENANT=true`; see [`exposition`]: the label is
//!   declared `optional` in `metrics!`, and the registry sums tenants away when the flag is off.
//! - `worker_id` only on the gauge `cogo_worker_inflight_jobs`, bounded by the worker count (at most
//!   [`metrics::MAX_WORKERS`]).
//! - `cogo_router_rank_score` only with `ROUTER_SCORE_V2=true`, which also switches the router from price
//!   ranking to scoring v2.
//!
//! # Endpoints
//!
//! `metrics_http::Server::bind_with` serves `/metrics`, `/api/metrics/summary?from=..&to=..` (and `/healthz`,
//! `/api/metrics/schema`) and this example's `/api/metrics/routing?service=chat`, all behind the same guards
//! (loopback only by default, optional bearer token), from the registry [`exposition::registry`] builds.

pub mod catalog;
pub mod exposition;
pub mod llm_router;
pub mod metrics;
pub mod queue;
pub mod rng;
pub mod routing_api;
pub mod tools;
pub mod worker;

use crate::settings::{flag, parse, probability};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinSet;

use exposition::Policy;
use llm_router::LlmRouter;
use queue::Queue;
use worker::{Shared, Worker};

/// What the scheduler does and how it is served.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Concurrent workers (1 to [`metrics::MAX_WORKERS`]); `SCHEDULER_WORKERS`, default 4.
    pub workers: usize,
    /// Jobs submitted per second; `SCHEDULER_JOBS_PER_SECOND`, default 25.
    pub jobs_per_second: f64,
    /// Probability of each synthetic failure (a tool call, a provider call; a tenth of it stalls a worker past
    /// its lease, a twentieth submits an invalid job); `SCHEDULER_FAILURE_RATE`, default 0.1, 0 disables.
    pub failure_rate: f64,
    /// Attempts before a job is dead-lettered; `SCHEDULER_MAX_ATTEMPTS`, default 3.
    pub max_attempts: u32,
    /// A claim's lease; `SCHEDULER_LEASE_MS`, default 250.
    pub lease: Duration,
    /// Stop after this long; `SCHEDULER_RUN_SECONDS`, default: until Ctrl-C or SIGTERM.
    pub run_for: Option<Duration>,
    /// Expose `tenant`; `METRICS_LABEL_TENANT`, default false.
    pub label_tenant: bool,
    /// Scoring v2 and `cogo_router_rank_score`; `ROUTER_SCORE_V2`, default false.
    pub router_score_v2: bool,
    /// Seed of the simulation's random choices; `SCHEDULER_SEED`, default 0.
    pub seed: u64,
    /// The server: `METRICS_ADDR` (default 127.0.0.1:9464) and the other `METRICS_*` variables.
    pub http: metrics_http::Config,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            workers: 4,
            jobs_per_second: 25.0,
            failure_rate: 0.1,
            max_attempts: 3,
            lease: Duration::from_millis(250),
            run_for: None,
            label_tenant: false,
            router_score_v2: false,
            seed: 0,
            http: metrics_http::Config::default(),
        }
    }
}

impl Settings {
    /// The settings from the environment: the variables named on each field.
    ///
    /// # Errors
    ///
    /// A variable that does not parse or is out of range, named in the message.
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// As [`Settings::from_env`], reading variables through `lookup`.
    ///
    /// # Errors
    ///
    /// As [`Settings::from_env`].
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let defaults = Self::default();
        let settings = Self {
            workers: parse(&lookup, "SCHEDULER_WORKERS", "a worker count")?
                .unwrap_or(defaults.workers),
            jobs_per_second: parse(&lookup, "SCHEDULER_JOBS_PER_SECOND", "a rate")?
                .unwrap_or(defaults.jobs_per_second),
            failure_rate: parse(&lookup, "SCHEDULER_FAILURE_RATE", "a probability")?
                .unwrap_or(defaults.failure_rate),
            max_attempts: parse(&lookup, "SCHEDULER_MAX_ATTEMPTS", "an attempt count")?
                .unwrap_or(defaults.max_attempts),
            lease: parse(&lookup, "SCHEDULER_LEASE_MS", "milliseconds")?
                .map_or(defaults.lease, Duration::from_millis),
            run_for: parse(&lookup, "SCHEDULER_RUN_SECONDS", "seconds")?
                .map(Duration::from_secs_f64),
            label_tenant: flag(&lookup, "METRICS_LABEL_TENANT", false)?,
            router_score_v2: flag(&lookup, "ROUTER_SCORE_V2", false)?,
            seed: parse(&lookup, "SCHEDULER_SEED", "an integer")?.unwrap_or(defaults.seed),
            http: metrics_http::Config::from_lookup(&lookup).map_err(|error| error.to_string())?,
        };
        settings.validate()?;
        Ok(settings)
    }

    /// Checks the ranges.
    ///
    /// # Errors
    ///
    /// The first setting out of range.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=metrics::MAX_WORKERS).contains(&self.workers) {
            return Err(format!(
                "SCHEDULER_WORKERS: expected 1 to {}, got {}",
                metrics::MAX_WORKERS,
                self.workers
            ));
        }
        if !(self.jobs_per_second > 0.0 && self.jobs_per_second <= 10_000.0) {
            return Err(format!(
                "SCHEDULER_JOBS_PER_SECOND: expected a rate in (0, 10000], got {}",
                self.jobs_per_second
            ));
        }
        probability("SCHEDULER_FAILURE_RATE", self.failure_rate)?;
        if self.max_attempts == 0 {
            return Err("SCHEDULER_MAX_ATTEMPTS: expected at least 1".to_owned());
        }
        if self.lease < Duration::from_millis(20) {
            return Err("SCHEDULER_LEASE_MS: expected at least 20".to_owned());
        }
        if self.run_for.is_some_and(|d| d.is_zero()) {
            return Err("SCHEDULER_RUN_SECONDS: expected more than 0".to_owned());
        }
        Ok(())
    }
}

/// A running scheduler and its server.
#[derive(Debug)]
pub struct Scheduler {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    tasks: JoinSet<()>,
    server: tokio::task::JoinHandle<()>,
}

impl Scheduler {
    /// Validates `settings`, builds the served registry, binds the server and starts the workers, the producer
    /// and the reaper on the current Tokio runtime.
    ///
    /// # Errors
    ///
    /// Invalid settings, a registry that does not build (or a second policy in one process), or a bind
    /// failure.
    pub async fn start(settings: Settings) -> Result<Self, String> {
        settings.validate()?;
        let registry = exposition::registry(Policy {
            label_tenant: settings.label_tenant,
            router_score_v2: settings.router_score_v2,
        })?;
        let router = Arc::new(LlmRouter::new(
            settings.router_score_v2,
            settings.failure_rate,
        ));
        let shared = Arc::new(Shared {
            queue: Queue::new(settings.lease, 1000),
            router: Arc::clone(&router),
            settings: settings.clone(),
        });
        let server = metrics_http::Server::bind_with(
            settings.http.clone().registry(registry),
            routing_api::routes(router),
        )
        .await
        .map_err(|error| error.to_string())?;
        let addr = server.local_addr();
        let (stop, stopped) = watch::channel(false);
        let mut server_stop = stop.subscribe();
        let server = tokio::spawn(server.run_until(async move {
            let _ = server_stop.wait_for(|stop| *stop).await;
        }));
        let mut tasks = JoinSet::new();
        for n in 0..settings.workers {
            tasks.spawn(Worker::new(n, settings.seed).run(Arc::clone(&shared), stopped.clone()));
        }
        tasks.spawn(worker::produce(
            Arc::clone(&shared),
            stopped.clone(),
            settings.seed,
        ));
        tasks.spawn(worker::reap(Arc::clone(&shared), stopped));
        Ok(Self {
            addr,
            stop,
            tasks,
            server,
        })
    }

    /// The address the server is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops the producer, the workers (each after its current attempt) and the server.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        while self.tasks.join_next().await.is_some() {}
        let _ = self.server.await;
    }
}

/// Runs the scheduler until `settings.run_for` has passed, or Ctrl-C or SIGTERM.
///
/// # Errors
///
/// As [`Scheduler::start`].
pub async fn run(settings: Settings) -> Result<(), String> {
    let run_for = settings.run_for;
    let scheduler = Scheduler::start(settings).await?;
    println!(
        "job scheduler: serving http://{addr}/metrics, /api/metrics/summary, /api/metrics/routing?service=chat",
        addr = scheduler.local_addr()
    );
    crate::stop::until_stopped(run_for).await;
    scheduler.shutdown().await;
    Ok(())
}
