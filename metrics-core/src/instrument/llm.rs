//! What `#[instrument_llm]` records: requests and latency by provider, model and outcome, and the tokens and
//! cost its return value reports through [`LlmUsage`]. The families are the LLM preset's (`presets.rs`).

use std::time::Duration;

use super::RunOutcome;
use super::presets::{
    LLM_COST_USD_TOTAL, LLM_REQUEST_DURATION_SECONDS, LLM_REQUESTS_TOTAL, LLM_TOKENS_TOTAL,
};
use crate::label::{Direction, LabelValue};

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
