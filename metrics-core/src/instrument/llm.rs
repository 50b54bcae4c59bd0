//! The built-in families of `#[instrument_llm]`: requests, latency, tokens and cost by provider and model.
//!
//! Provider and model are open sets (new models ship every month), so they are bounded string labels: at most
//! [`PROVIDER_CAP`] providers and [`MODEL_CAP`] models, past which values go to the overflow series. The families
//! are linked into the registry by the attribute's expansion, so a binary without LLM calls exposes none of them.

use std::time::Duration;

use super::{RUN_BUCKETS, RunOutcome};
use crate::{
    BoundedFamily, Counter, Descriptor, Direction, FloatCounter, Histogram, Interner,
    LabelDescriptor, LabelValue, LabelValues, MetricKind, SourceLocation,
};

/// The most distinct providers the LLM families keep.
pub const PROVIDER_CAP: usize = 8;
/// The most distinct models the LLM families keep.
pub const MODEL_CAP: usize = 32;

/// Token counts and cost of one LLM response, for `#[instrument_llm]` to record.
///
/// Implement it for the response type your client returns (the function may return it or a `Result` of it):
///
/// ```
/// struct Completion { prompt_tokens: u64, completion_tokens: u64 }
///
/// impl metrics_core::LlmUsage for Completion {
///     fn input_tokens(&self) -> u64 { self.prompt_tokens }
///     fn output_tokens(&self) -> u64 { self.completion_tokens }
///     fn cost_usd(&self) -> Option<f64> {
///         Some(self.prompt_tokens as f64 * 2.5e-6 + self.completion_tokens as f64 * 1e-5)
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not report LLM token usage",
    note = "`#[instrument_llm]` records tokens and cost from the return value: implement `metrics_core::LlmUsage` for \
            the response type"
)]
pub trait LlmUsage {
    /// Tokens sent to the model (prompt).
    fn input_tokens(&self) -> u64;
    /// Tokens the model produced (completion).
    fn output_tokens(&self) -> u64;
    /// What the call cost in US dollars, when known.
    fn cost_usd(&self) -> Option<f64> {
        None
    }
}

const LOCATION: SourceLocation = crate::source_location!();
const PROVIDER: LabelDescriptor = LabelDescriptor {
    name: "provider",
    values: LabelValues::Bounded { cap: PROVIDER_CAP },
};
const MODEL: LabelDescriptor = LabelDescriptor {
    name: "model",
    values: LabelValues::Bounded { cap: MODEL_CAP },
};
const OUTCOME: LabelDescriptor = LabelDescriptor {
    name: "outcome",
    values: LabelValues::Enum(RunOutcome::VALUES),
};
const DIRECTION: LabelDescriptor = LabelDescriptor {
    name: "direction",
    values: LabelValues::Enum(Direction::VALUES),
};

const fn descriptor(
    name: &'static str,
    help: &'static str,
    kind: MetricKind,
    unit: Option<&'static str>,
    labels: &'static [LabelDescriptor],
    buckets: &'static [f64],
) -> Descriptor {
    Descriptor {
        name,
        help,
        kind,
        unit,
        labels,
        buckets,
        states: &[],
        location: LOCATION,
    }
}

const fn interners() -> [Interner; 2] {
    [Interner::new(PROVIDER_CAP), Interner::new(MODEL_CAP)]
}

/// LLM requests by provider, model and outcome.
pub static LLM_REQUESTS_TOTAL: BoundedFamily<Counter, 2> = BoundedFamily::new(
    &descriptor(
        "llm_requests_total",
        "LLM requests made through #[instrument_llm] functions, by provider, model and outcome.",
        MetricKind::Counter,
        None,
        &[PROVIDER, MODEL, OUTCOME],
        &[],
    ),
    interners(),
    RunOutcome::CARDINALITY,
    Counter::new,
);

/// LLM request latency by provider, model and outcome.
pub static LLM_REQUEST_DURATION_SECONDS: BoundedFamily<Histogram<{ RUN_BUCKETS.len() + 1 }>, 2> =
    BoundedFamily::new(
        &descriptor(
            "llm_request_duration_seconds",
            "Latency of LLM requests made through #[instrument_llm] functions, by provider, model and outcome.",
            MetricKind::Histogram,
            Some("seconds"),
            &[PROVIDER, MODEL, OUTCOME],
            &RUN_BUCKETS,
        ),
        interners(),
        RunOutcome::CARDINALITY,
        || Histogram::new(&RUN_BUCKETS),
    );

/// Tokens by provider, model and direction (`in` for the prompt, `out` for the completion).
pub static LLM_TOKENS_TOTAL: BoundedFamily<Counter, 2> = BoundedFamily::new(
    &descriptor(
        "llm_tokens_total",
        "Tokens of successful LLM requests, by provider, model and direction (in: prompt, out: completion).",
        MetricKind::Counter,
        None,
        &[PROVIDER, MODEL, DIRECTION],
        &[],
    ),
    interners(),
    Direction::CARDINALITY,
    Counter::new,
);

/// Cost in US dollars by provider and model.
pub static LLM_COST_USD_TOTAL: BoundedFamily<FloatCounter, 2> = BoundedFamily::new(
    &descriptor(
        "llm_cost_usd_total",
        "Cost in US dollars of successful LLM requests, by provider and model.",
        MetricKind::Counter,
        Some("usd"),
        &[PROVIDER, MODEL],
        &[],
    ),
    interners(),
    1,
    FloatCounter::new,
);

/// Records one finished request.
pub fn record_request(provider: &str, model: &str, outcome: RunOutcome, elapsed: Duration) {
    LLM_REQUESTS_TOTAL
        .get([provider, model], outcome.index())
        .inc();
    LLM_REQUEST_DURATION_SECONDS
        .get([provider, model], outcome.index())
        .observe_duration(elapsed);
}

/// Records the tokens and cost of a response.
fn record_usage(provider: &str, model: &str, usage: &dyn LlmUsage) {
    LLM_TOKENS_TOTAL
        .get([provider, model], Direction::In.index())
        .inc_by(usage.input_tokens());
    LLM_TOKENS_TOTAL
        .get([provider, model], Direction::Out.index())
        .inc_by(usage.output_tokens());
    if let Some(cost) = usage.cost_usd() {
        LLM_COST_USD_TOTAL.get([provider, model], 0).inc_by(cost);
    }
}

/// What an `#[instrument_llm]` function may return: a response, or a `Result` of one.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not report LLM token usage",
    label = "the response type must implement `metrics_core::LlmUsage`",
    note = "`#[instrument_llm]` records tokens and cost from the return value, a response or a `Result` of one: \
            implement `metrics_core::LlmUsage` for the response type"
)]
pub trait LlmResponse {
    /// The response's usage, when there is a response.
    fn usage(&self) -> Option<&dyn LlmUsage>;
}

impl<T: LlmUsage> LlmResponse for T {
    fn usage(&self) -> Option<&dyn LlmUsage> {
        Some(self)
    }
}

impl<T: LlmUsage, E> LlmResponse for Result<T, E> {
    fn usage(&self) -> Option<&dyn LlmUsage> {
        self.as_ref().ok().map(|response| response as &dyn LlmUsage)
    }
}

/// Records the tokens and cost of `returned`, when it is a response. Its bound puts a missing `LlmUsage` on the
/// function's return type.
#[inline]
pub fn record_returned<R: LlmResponse + ?Sized>(provider: &str, model: &str, returned: &R) {
    if let Some(usage) = returned.usage() {
        record_usage(provider, model, usage);
    }
}
