//! The platform's moving parts, simulated: the rate limiter, the response cache, the A2A client calling the
//! agents, and the CCR model router. Latencies and failures are drawn from a per-request [`Rng`] seeded by the
//! load generator, so the choices follow from the platform's seed; every latency is multiplied by the time
//! scale.
//!
//! The seed's `RequestTimer` (a context manager that sets `status` from whether the body raised) is
//! `#[measure(duration(.., status(outcome)))]`: the status label comes from the function's `Result`, and a
//! panic or a cancelled future counts as an error too.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use metrics_core::{Direction, ErrorReason, LlmUsage, measure};
use opentelemetry::trace::TraceContextExt as _;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

use super::metrics::{
    A2A_ACTIVE_TASKS, A2A_REQUEST_DURATION_SECONDS, A2A_REQUESTS_TOTAL, A2A_RESPONSE_SIZE_BYTES,
    A2aActiveTasksLabels, A2aRequestDurationSecondsLabels, A2aRequestsTotalLabels,
    A2aResponseSizeBytesLabels, Agent, CACHE_LATENCY_SECONDS, CACHE_OPERATIONS_TOTAL,
    CCR_LATENCY_SECONDS, CCR_REQUESTS_TOTAL, CCR_TOKENS_TOTAL, CacheLatencySecondsLabels,
    CacheOperation, CacheResult, CcrLatencySecondsLabels, CcrRequestsTotalLabels,
    CcrTokensTotalLabels, Decision, Endpoint, Operation, Provider, RATE_LIMIT_HITS_TOTAL, TaskType,
};
use crate::job_scheduler::rng::Rng;

/// Why an A2A call or a CCR route failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ErrorReason)]
pub enum CallError {
    /// The agent or provider did not answer in time.
    Timeout,
    /// The agent or provider answered with an error.
    Upstream,
}

/// An agent's answer.
#[derive(Clone, Debug)]
pub struct AgentResponse {
    /// The body's size in bytes: `a2a_response_size_bytes` reads it from the return value.
    pub bytes: usize,
}

/// A routed model call's token usage.
#[derive(Clone, Copy, Debug)]
pub struct Routed {
    /// Prompt tokens.
    pub input: u64,
    /// Completion tokens.
    pub output: u64,
}

impl LlmUsage for Routed {
    fn input_tokens(&self) -> u64 {
        self.input
    }

    fn output_tokens(&self) -> u64 {
        self.output
    }
}

/// How many issued trace ids the platform remembers (its stand-in for a trace backend).
const TRACES_KEPT: usize = 1 << 16;

/// What the services share: the time scale, the failure rate, the cache, the rate limiter's windows and the
/// trace ids issued.
#[derive(Debug)]
pub struct Services {
    time_scale: f64,
    failure_rate: f64,
    limit_per_window: u32,
    cache: Mutex<HashMap<u64, usize>>,
    windows: Mutex<HashMap<u32, u32>>,
    traces: Mutex<VecDeque<String>>,
}

impl Services {
    /// Services whose latencies are multiplied by `time_scale`, failing at `failure_rate`, letting each
    /// workspace make `limit_per_window` requests per rate-limit window.
    pub fn new(time_scale: f64, failure_rate: f64, limit_per_window: u32) -> Self {
        Self {
            time_scale,
            failure_rate,
            limit_per_window,
            cache: Mutex::new(HashMap::new()),
            windows: Mutex::new(HashMap::new()),
            traces: Mutex::new(VecDeque::new()),
        }
    }

    /// `millis` of simulated latency, scaled, with up to 100 % jitter and a one-in-fifty slow tail (x8).
    pub fn latency(&self, rng: &mut Rng, millis: f64) -> Duration {
        let tail = if rng.chance(0.02) { 8.0 } else { 1.0 };
        Duration::from_secs_f64(millis * (0.5 + rng.unit()) * tail * self.time_scale / 1000.0)
    }

    /// The rate limiter's decision for `workspace` on `endpoint`, recorded in `rate_limit_hits_total`.
    pub fn admit(&self, endpoint: Endpoint, workspace: u32) -> Decision {
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let used = windows.entry(workspace).or_insert(0);
        *used += 1;
        let decision = if *used > self.limit_per_window {
            Decision::Denied
        } else {
            Decision::Allowed
        };
        drop(windows);
        let id = format!("ws-{workspace}");
        RATE_LIMIT_HITS_TOTAL
            .labels(endpoint, id.as_str(), decision)
            .inc();
        decision
    }

    /// Starts a new rate-limit window.
    pub fn reset_windows(&self) {
        self.windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }

    /// Reads `key` from the cache: a hit or a miss in `cache_operations_total`, the latency in
    /// `cache_latency_seconds`.
    #[measure(duration(CACHE_LATENCY_SECONDS, operation = CacheOperation::Get))]
    pub async fn cache_get(&self, key: u64, rng: &mut Rng) -> Option<usize> {
        tokio::time::sleep(self.latency(rng, 2.0)).await;
        let found = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&key)
            .copied();
        let result = if found.is_some() {
            CacheResult::Hit
        } else {
            CacheResult::Miss
        };
        CACHE_OPERATIONS_TOTAL
            .labels(CacheOperation::Get, result)
            .inc();
        found
    }

    /// Writes `key` to the cache.
    #[measure(duration(CACHE_LATENCY_SECONDS, operation = CacheOperation::Set))]
    pub async fn cache_set(&self, key: u64, bytes: usize, rng: &mut Rng) {
        tokio::time::sleep(self.latency(rng, 3.0)).await;
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key, bytes);
        CACHE_OPERATIONS_TOTAL
            .labels(CacheOperation::Set, CacheResult::Stored)
            .inc();
    }

    /// Calls `agent` over A2A. The seed's request timer: duration and total by agent, operation and the status
    /// the `Result` gives; the active-task gauge held up while the call runs; the response size read from the
    /// returned value. `#[tracing::instrument]` comes after `#[measure]`, so the call's span encloses the
    /// measurement and its trace id becomes the duration bucket's exemplar.
    ///
    /// # Errors
    ///
    /// The agent timed out or failed.
    #[measure(
        count(A2A_REQUESTS_TOTAL, agent = agent, operation = operation, status(outcome)),
        duration(A2A_REQUEST_DURATION_SECONDS, agent = agent, operation = operation, status(outcome)),
        in_flight(A2A_ACTIVE_TASKS, agent = agent),
        value(A2A_RESPONSE_SIZE_BYTES, agent = agent,
              returned = |r| r.as_ref().ok().map(|response| response.bytes as f64)),
    )]
    #[tracing::instrument(skip(self, rng))]
    pub async fn a2a_call(
        &self,
        agent: Agent,
        operation: Operation,
        rng: &mut Rng,
    ) -> Result<AgentResponse, CallError> {
        self.remember(current_trace_id());
        let base = match (agent, operation) {
            (Agent::Navi, _) => 60.0,
            (Agent::Herald, _) => 120.0,
            (Agent::Approval, Operation::Run) => 600.0,
            (Agent::Approval, Operation::Query) => 150.0,
            (Agent::Sage, _) => 300.0,
        };
        tokio::time::sleep(self.latency(rng, base)).await;
        if rng.chance(self.failure_rate) {
            return Err(if rng.chance(0.5) {
                CallError::Timeout
            } else {
                CallError::Upstream
            });
        }
        let bytes = 80 + (rng.next_u64() % 60_000) as usize;
        Ok(AgentResponse { bytes })
    }

    /// Routes a model call through CCR to `provider`: requests by provider, task type and status, latency by
    /// provider, tokens by provider and direction read from the returned usage.
    ///
    /// # Errors
    ///
    /// The provider timed out or failed.
    #[measure(
        count(CCR_REQUESTS_TOTAL, provider = provider, task_type = task_type, status(outcome)),
        duration(CCR_LATENCY_SECONDS, provider = provider),
        value(CCR_TOKENS_TOTAL, provider = provider, direction = Direction::In,
              returned = |r| r.as_ref().ok().map(LlmUsage::input_tokens)),
        value(CCR_TOKENS_TOTAL, provider = provider, direction = Direction::Out,
              returned = |r| r.as_ref().ok().map(LlmUsage::output_tokens)),
    )]
    pub async fn ccr_route(
        &self,
        provider: Provider,
        task_type: TaskType,
        rng: &mut Rng,
    ) -> Result<Routed, CallError> {
        let base = match provider {
            Provider::Claude => 180.0,
            Provider::Openai => 140.0,
            Provider::Gemini => 100.0,
        };
        tokio::time::sleep(self.latency(rng, base)).await;
        if rng.chance(self.failure_rate) {
            return Err(CallError::Upstream);
        }
        Ok(Routed {
            input: 200 + rng.next_u64() % 1800,
            output: 50 + rng.next_u64() % 900,
        })
    }

    fn remember(&self, trace: String) {
        let mut traces = self
            .traces
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if traces.len() == TRACES_KEPT {
            traces.pop_front();
        }
        traces.push_back(trace);
    }

    /// The trace ids of the latest A2A calls (lowercase hex), as a trace backend would list them.
    pub fn traces(&self) -> Vec<String> {
        self.traces
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }
}

/// The current span's OpenTelemetry trace id, lowercase hex.
fn current_trace_id() -> String {
    tracing::Span::current()
        .context()
        .span()
        .span_context()
        .trace_id()
        .to_string()
}
