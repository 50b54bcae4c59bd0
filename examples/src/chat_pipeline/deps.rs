//! The simulated dependencies: the memory service (Somabrain) behind a circuit breaker, two LLM providers, and
//! the latencies of Redis, Kafka and Postgres, all scaled by the time scale, with outages switched on and off.
//!
//! `#[measure]` records each LLM call into the roadmap's families: requests and latency by model, provider and
//! mode, errors by provider and code (the code from [`LlmError`]'s `ErrorReason`), and tokens read from the
//! returned [`Completion`] through `value(..)`.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use metrics_core::{Direction, ErrorReason, LlmUsage, measure};

use super::metrics::{
    CIRCUIT_STATE, CircuitState, Component, LLM_ERRORS_TOTAL, LLM_LATENCY_SECONDS,
    LLM_REQUEST_TOKENS, LLM_REQUESTS_TOTAL, LLM_TOKENS_TOTAL, LlmErrorsTotalLabels,
    LlmLatencySecondsLabels, LlmRequestTokensLabels, LlmRequestsTotalLabels, LlmTokensTotalLabels,
    Mode, Provider,
};
use crate::job_scheduler::rng::Rng;

/// The world the pipeline runs in: time scale, failure rate, outages.
#[derive(Debug)]
pub struct World {
    /// Every simulated latency and period is multiplied by it.
    pub time_scale: f64,
    /// Probability of each background failure (a Redis, Kafka or Postgres error, an LLM error).
    pub failure_rate: f64,
    somabrain_down: AtomicBool,
    llm_down: AtomicBool,
    breaker: Breaker,
}

/// A dependency that can be taken down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dependency {
    /// The memory service.
    Somabrain,
    /// The primary LLM provider.
    PrimaryLlm,
}

/// Why an LLM call failed: the `code` of `llm_errors_total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ErrorReason)]
pub enum LlmError {
    /// The provider did not answer in time.
    Timeout,
    /// The provider is down (HTTP 503).
    Unavailable,
    /// The provider refused the request (HTTP 429).
    RateLimited,
}

/// Why a memory recall failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecallError {
    /// No answer within the deadline.
    Timeout,
    /// Not tried: the breaker is open.
    CircuitOpen,
}

/// A completed LLM call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Completion {
    /// Prompt tokens.
    pub input: u64,
    /// Completion tokens.
    pub output: u64,
}

impl LlmUsage for Completion {
    fn input_tokens(&self) -> u64 {
        self.input
    }
    fn output_tokens(&self) -> u64 {
        self.output
    }
}

impl World {
    /// A world with no outage.
    pub fn new(time_scale: f64, failure_rate: f64) -> Self {
        Self {
            time_scale,
            failure_rate,
            somabrain_down: AtomicBool::new(false),
            llm_down: AtomicBool::new(false),
            breaker: Breaker::new(3, Duration::from_secs_f64(2.0 * time_scale)),
        }
    }

    /// `millis` ± 50 %, scaled.
    pub fn latency(&self, rng: &mut Rng, millis: u64) -> Duration {
        rng.jitter_ms(millis).mul_f64(self.time_scale)
    }

    /// A period of `seconds`, scaled.
    pub fn period(&self, seconds: f64) -> Duration {
        Duration::from_secs_f64(seconds * self.time_scale)
    }

    /// Takes `dependency` down (`true`) or brings it back.
    pub fn set_down(&self, dependency: Dependency, down: bool) {
        match dependency {
            Dependency::Somabrain => &self.somabrain_down,
            Dependency::PrimaryLlm => &self.llm_down,
        }
        .store(down, Ordering::Relaxed);
    }

    /// Whether `dependency` is down.
    pub fn is_down(&self, dependency: Dependency) -> bool {
        match dependency {
            Dependency::Somabrain => &self.somabrain_down,
            Dependency::PrimaryLlm => &self.llm_down,
        }
        .load(Ordering::Relaxed)
    }

    /// The breaker's state now.
    pub fn breaker_state(&self) -> CircuitState {
        self.breaker.state()
    }

    /// A memory recall through the breaker: a down service hangs until the 250 ms deadline (scaled).
    ///
    /// # Errors
    ///
    /// A timeout, or the open circuit.
    pub async fn recall(&self, rng: &mut Rng) -> Result<(), RecallError> {
        if !self.breaker.allow() {
            return Err(RecallError::CircuitOpen);
        }
        let ok = self.somabrain_call(rng).await;
        self.breaker.record(ok);
        if ok {
            Ok(())
        } else {
            Err(RecallError::Timeout)
        }
    }

    /// One call to the memory service (a recall, a write, a replay): true when it answered in time.
    pub async fn somabrain_call(&self, rng: &mut Rng) -> bool {
        if self.is_down(Dependency::Somabrain) {
            tokio::time::sleep(self.period(0.25)).await;
            return false;
        }
        tokio::time::sleep(self.latency(rng, 40)).await;
        true
    }

    /// Whether the breaker lets a background replay through now (closed only: half-open keeps its one probe
    /// for live traffic).
    pub fn breaker_closed(&self) -> bool {
        self.breaker.state() == CircuitState::Closed
    }

    /// A background failure (Redis, Kafka, Postgres) drawn at the failure rate.
    pub fn fails(&self, rng: &mut Rng) -> bool {
        rng.chance(self.failure_rate)
    }
}

/// Calls `provider` for a prompt of `prompt_tokens`: the primary hangs to its 2 s deadline (scaled) while down.
///
/// # Errors
///
/// The synthetic failure of this call.
#[measure(
    count(LLM_REQUESTS_TOTAL, model = model, provider = provider, mode = mode),
    duration(LLM_LATENCY_SECONDS, model = model, provider = provider, mode = mode),
    errors(LLM_ERRORS_TOTAL, provider = provider, code(reason)),
    value(LLM_TOKENS_TOTAL, model = model, provider = provider, direction = Direction::In,
          returned = |r| r.as_ref().ok().map(LlmUsage::input_tokens)),
    value(LLM_TOKENS_TOTAL, model = model, provider = provider, direction = Direction::Out,
          returned = |r| r.as_ref().ok().map(LlmUsage::output_tokens)),
    value(LLM_REQUEST_TOKENS, provider = provider, direction = Direction::In,
          returned = |r| r.as_ref().ok().map(|c| c.input as f64)),
    value(LLM_REQUEST_TOKENS, provider = provider, direction = Direction::Out,
          returned = |r| r.as_ref().ok().map(|c| c.output as f64)),
)]
pub async fn complete(
    world: &World,
    provider: Provider,
    model: &str,
    mode: Mode,
    prompt_tokens: u64,
    rng: &mut Rng,
) -> Result<Completion, LlmError> {
    if provider == Provider::Openai && world.is_down(Dependency::PrimaryLlm) {
        tokio::time::sleep(world.period(0.5)).await;
        return Err(if rng.chance(0.5) {
            LlmError::Timeout
        } else {
            LlmError::Unavailable
        });
    }
    let base = match provider {
        Provider::Openai => 600,
        Provider::Anthropic => 900,
    };
    tokio::time::sleep(world.latency(rng, base + prompt_tokens / 4)).await;
    if rng.chance(world.failure_rate) {
        return Err(LlmError::RateLimited);
    }
    let output = 40 + (rng.next_u64() % 600);
    Ok(Completion {
        input: prompt_tokens,
        output,
    })
}

/// The memory service's circuit breaker: opens after `threshold` consecutive failures, lets one probe through
/// after `cooldown`, closes on its success. Every transition sets `circuit_state{component="somabrain"}`.
#[derive(Debug)]
struct Breaker {
    threshold: u32,
    cooldown: Duration,
    inner: Mutex<BreakerInner>,
}

#[derive(Debug)]
struct BreakerInner {
    state: CircuitState,
    failures: u32,
    opened: Instant,
}

impl Breaker {
    fn new(threshold: u32, cooldown: Duration) -> Self {
        CIRCUIT_STATE
            .labels(Component::Somabrain)
            .set(CircuitState::Closed);
        Self {
            threshold,
            cooldown,
            inner: Mutex::new(BreakerInner {
                state: CircuitState::Closed,
                failures: 0,
                opened: Instant::now(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BreakerInner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn state(&self) -> CircuitState {
        self.lock().state
    }

    fn allow(&self) -> bool {
        let mut inner = self.lock();
        match inner.state {
            CircuitState::Closed => true,
            CircuitState::Open if inner.opened.elapsed() >= self.cooldown => {
                inner.state = CircuitState::HalfOpen;
                CIRCUIT_STATE
                    .labels(Component::Somabrain)
                    .set(CircuitState::HalfOpen);
                true
            }
            // Half-open lets through only the probe that moved it there; open refuses until the cooldown ends.
            CircuitState::HalfOpen | CircuitState::Open => false,
        }
    }

    fn record(&self, ok: bool) {
        let mut inner = self.lock();
        let next = if ok {
            inner.failures = 0;
            CircuitState::Closed
        } else {
            inner.failures += 1;
            if inner.state == CircuitState::HalfOpen || inner.failures >= self.threshold {
                inner.opened = Instant::now();
                CircuitState::Open
            } else {
                inner.state
            }
        };
        if next != inner.state {
            inner.state = next;
            CIRCUIT_STATE.labels(Component::Somabrain).set(next);
        }
    }
}
