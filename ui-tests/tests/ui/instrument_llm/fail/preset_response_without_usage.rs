//! A configured LLM preset reads tokens from the return value: a type without `LlmUsage` is reported on it.

use metrics_core::{BoundedStr, Direction, LlmUsage, instrument_llm, metrics};

metrics! {
    /// Tokens.
    pub counter tokens_total { model: BoundedStr<4>, direction: Direction }

    pub preset calls: llm { tokens = tokens_total { direction } }
}

struct Completion;

impl LlmUsage for Completion {
    fn input_tokens(&self) -> u64 { 1 }
    fn output_tokens(&self) -> u64 { 1 }
}

#[instrument_llm(preset = CALLS, labels(model = "m"))]
fn call() -> u64 { 1 }

fn main() {}
