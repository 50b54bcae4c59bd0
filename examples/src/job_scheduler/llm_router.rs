//! The LLM router of the `chat` service: ranks its candidates, calls the best, fails over down the ranking.
//!
//! Records `cogo_llm_tokens_total` and `cogo_llm_cost_usd_total` from each response's [`LlmUsage`],
//! `cogo_router_failover_total{reason}` per candidate given up on, and (scoring v2) `cogo_router_rank_score`.
//!
//! Scoring v1 ranks by price alone. Scoring v2 (`ROUTER_SCORE_V2=true`) blends each candidate's observed health
//! (an exponentially weighted success rate), latency and price into a score in `[0, 1]`, and publishes it.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use metrics_core::{LabelValue, LlmUsage, instrument_llm};
use serde::Serialize;

use super::metrics::{
    self, FailoverReason, Provider, ROUTER_FAILOVER_TOTAL, ROUTER_RANK_SCORE, Region,
};
use super::rng::Rng;

/// The one service the router serves.
pub const SERVICE: &str = "chat";

/// A model served by a provider in a region, with its price and typical latency.
#[derive(Clone, Copy, Debug)]
struct Spec {
    provider: Provider,
    model: &'static str,
    region: Region,
    latency_ms: u64,
    usd_per_1k_in: f64,
    usd_per_1k_out: f64,
    /// How much more often than the base failure rate this candidate fails.
    flakiness: f64,
}

const SPECS: [Spec; 4] = [
    Spec {
        provider: Provider::Openai,
        model: "gpt-4o-mini",
        region: Region::UsEast,
        latency_ms: 40,
        usd_per_1k_in: 0.000_15,
        usd_per_1k_out: 0.000_6,
        flakiness: 2.0,
    },
    Spec {
        provider: Provider::Mistral,
        model: "mistral-small",
        region: Region::EuWest,
        latency_ms: 35,
        usd_per_1k_in: 0.000_2,
        usd_per_1k_out: 0.000_6,
        flakiness: 1.0,
    },
    Spec {
        provider: Provider::Anthropic,
        model: "claude-haiku",
        region: Region::EuWest,
        latency_ms: 55,
        usd_per_1k_in: 0.000_25,
        usd_per_1k_out: 0.001_25,
        flakiness: 0.5,
    },
    Spec {
        provider: Provider::Openai,
        model: "gpt-4o",
        region: Region::UsEast,
        latency_ms: 80,
        usd_per_1k_in: 0.002_5,
        usd_per_1k_out: 0.01,
        flakiness: 0.5,
    },
];

/// What a candidate has shown so far.
#[derive(Clone, Copy, Debug)]
struct Observed {
    health: f64,
    requests: u64,
    failures: u64,
}

/// A call that failed at one candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderError {
    /// No answer in time.
    Timeout,
    /// HTTP 429.
    RateLimited,
    /// HTTP 5xx.
    ServerError,
}

impl From<ProviderError> for FailoverReason {
    fn from(error: ProviderError) -> Self {
        match error {
            ProviderError::Timeout => Self::Timeout,
            ProviderError::RateLimited => Self::RateLimited,
            ProviderError::ServerError => Self::ServerError,
        }
    }
}

/// Every candidate failed the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unavailable;

/// One response: its token counts and price.
#[derive(Clone, Copy, Debug)]
pub struct Completion {
    tokens_in: u64,
    tokens_out: u64,
    cost_usd: f64,
}

impl LlmUsage for Completion {
    fn input_tokens(&self) -> u64 {
        self.tokens_in
    }

    fn output_tokens(&self) -> u64 {
        self.tokens_out
    }

    fn cost_usd(&self) -> Option<f64> {
        Some(self.cost_usd)
    }
}

/// A candidate as `/api/metrics/routing` shows it.
#[derive(Clone, Debug, Serialize)]
pub struct CandidateView {
    /// 1 for the candidate tried first.
    pub rank: usize,
    /// The provider.
    pub provider: &'static str,
    /// The model.
    pub model: &'static str,
    /// The region.
    pub region: &'static str,
    /// The rank score in `[0, 1]` (v2), or `null` (v1 ranks by price alone).
    pub score: Option<f64>,
    /// Exponentially weighted success rate, 1 when healthy.
    pub health: f64,
    /// Typical latency.
    pub latency_ms: u64,
    /// Price per thousand prompt tokens.
    pub usd_per_1k_in: f64,
    /// Price per thousand completion tokens.
    pub usd_per_1k_out: f64,
    /// Requests sent to it.
    pub requests: u64,
    /// Requests it failed.
    pub failures: u64,
}

/// The ranking of the `chat` service as `/api/metrics/routing?service=chat` returns it.
#[derive(Clone, Debug, Serialize)]
pub struct RoutingView {
    /// The service.
    pub service: &'static str,
    /// `v1` (price) or `v2` (health, latency and price).
    pub scoring: &'static str,
    /// Candidates, best first.
    pub candidates: Vec<CandidateView>,
}

/// The router.
#[derive(Debug)]
pub struct LlmRouter {
    observed: Mutex<[Observed; SPECS.len()]>,
    score_v2: bool,
    failure_rate: f64,
}

/// The weight of the newest outcome in a candidate's health.
const HEALTH_ALPHA: f64 = 0.2;

impl LlmRouter {
    /// A router with every candidate healthy.
    pub fn new(score_v2: bool, failure_rate: f64) -> Self {
        let router = Self {
            observed: Mutex::new(
                [Observed {
                    health: 1.0,
                    requests: 0,
                    failures: 0,
                }; SPECS.len()],
            ),
            score_v2,
            failure_rate,
        };
        router.publish_scores(&router.lock());
        router
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, [Observed; SPECS.len()]> {
        self.observed.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// v2: health counts most; latency and price are relative to the slowest and dearest candidate.
    fn score(spec: &Spec, observed: &Observed) -> f64 {
        let slowest = SPECS.iter().map(|s| s.latency_ms).max().unwrap_or(1) as f64;
        let dearest = SPECS
            .iter()
            .map(|s| s.usd_per_1k_in + s.usd_per_1k_out)
            .fold(f64::MIN_POSITIVE, f64::max);
        0.6 * observed.health
            + 0.2 * (1.0 - spec.latency_ms as f64 / slowest)
            + 0.2 * (1.0 - (spec.usd_per_1k_in + spec.usd_per_1k_out) / dearest)
    }

    /// Candidate indices, best first.
    fn ranking(&self, observed: &[Observed; SPECS.len()]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..SPECS.len()).collect();
        if self.score_v2 {
            let scores: Vec<f64> = SPECS
                .iter()
                .zip(observed)
                .map(|(spec, seen)| Self::score(spec, seen))
                .collect();
            order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
        } else {
            order.sort_by(|&a, &b| {
                let price = |i: usize| SPECS[i].usd_per_1k_in + SPECS[i].usd_per_1k_out;
                price(a).total_cmp(&price(b))
            });
        }
        order
    }

    fn publish_scores(&self, observed: &[Observed; SPECS.len()]) {
        if !self.score_v2 {
            return;
        }
        for (spec, seen) in SPECS.iter().zip(observed) {
            ROUTER_RANK_SCORE
                .labels(spec.provider, spec.model, spec.region)
                .set(Self::score(spec, seen));
        }
    }

    fn record_outcome(&self, index: usize, ok: bool) {
        let mut observed = self.lock();
        let seen = &mut observed[index];
        seen.requests += 1;
        seen.failures += u64::from(!ok);
        seen.health = (1.0 - HEALTH_ALPHA) * seen.health + HEALTH_ALPHA * f64::from(u8::from(ok));
        self.publish_scores(&observed);
    }

    /// Sends a prompt of about `prompt_tokens` tokens down the ranking until a candidate answers.
    ///
    /// # Errors
    ///
    /// When every candidate failed.
    pub async fn complete(
        &self,
        prompt_tokens: u64,
        rng: &mut Rng,
    ) -> Result<Completion, Unavailable> {
        let ranking = self.ranking(&self.lock());
        for index in ranking {
            let spec = &SPECS[index];
            match call(spec, prompt_tokens, self.failure_rate, rng).await {
                Ok(completion) => {
                    self.record_outcome(index, true);
                    return Ok(completion);
                }
                Err(error) => {
                    self.record_outcome(index, false);
                    ROUTER_FAILOVER_TOTAL.labels(error.into()).inc();
                }
            }
        }
        Err(Unavailable)
    }

    /// The current ranking with each candidate's health and price.
    pub fn view(&self) -> RoutingView {
        let observed = *self.lock();
        let candidates = self
            .ranking(&observed)
            .into_iter()
            .enumerate()
            .map(|(at, index)| {
                let (spec, seen) = (&SPECS[index], &observed[index]);
                CandidateView {
                    rank: at + 1,
                    provider: spec.provider.as_str(),
                    model: spec.model,
                    region: spec.region.as_str(),
                    score: self.score_v2.then(|| Self::score(spec, seen)),
                    health: seen.health,
                    latency_ms: spec.latency_ms,
                    usd_per_1k_in: spec.usd_per_1k_in,
                    usd_per_1k_out: spec.usd_per_1k_out,
                    requests: seen.requests,
                    failures: seen.failures,
                }
            })
            .collect();
        RoutingView {
            service: SERVICE,
            scoring: if self.score_v2 { "v2" } else { "v1" },
            candidates,
        }
    }
}

/// One simulated provider call. `#[instrument_llm]` reads its tokens and cost from the returned [`Completion`]
/// (its [`LlmUsage`]) into the plan's `cogo_llm_tokens_total` and `cogo_llm_cost_usd_total`, through the plan's
/// preset [`LLM_CALLS`](metrics::LLM_CALLS).
#[instrument_llm(
    preset = metrics::LLM_CALLS,
    reasons = "generic",
    labels(provider = spec.provider, model = spec.model),
)]
async fn call(
    spec: &Spec,
    prompt_tokens: u64,
    failure_rate: f64,
    rng: &mut Rng,
) -> Result<Completion, ProviderError> {
    let failure = rng
        .chance(failure_rate * spec.flakiness)
        .then(|| match rng.below(3) {
            0 => ProviderError::Timeout,
            1 => ProviderError::RateLimited,
            _ => ProviderError::ServerError,
        });
    let millis = match failure {
        Some(ProviderError::Timeout) => spec.latency_ms * 3,
        Some(_) => spec.latency_ms / 4,
        None => spec.latency_ms,
    };
    tokio::time::sleep(rng.jitter_ms(millis).max(Duration::from_millis(1))).await;
    if let Some(error) = failure {
        return Err(error);
    }
    let prompt_tokens = prompt_tokens / 2 + rng.below(prompt_tokens as usize + 1) as u64;
    let completion_tokens = 50 + rng.below(400) as u64;
    Ok(Completion {
        tokens_in: prompt_tokens,
        tokens_out: completion_tokens,
        cost_usd: prompt_tokens as f64 / 1000.0 * spec.usd_per_1k_in
            + completion_tokens as f64 / 1000.0 * spec.usd_per_1k_out,
    })
}
