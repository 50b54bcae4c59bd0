//! With a configured preset, provider and model are labels of the user's families, given in `labels(..)`.

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

#[instrument_llm(preset = CALLS, provider = "acme", labels(model = "m"))]
fn call() -> Completion { Completion }

fn main() {}
