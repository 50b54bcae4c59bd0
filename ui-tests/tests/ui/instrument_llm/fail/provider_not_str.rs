//! `provider` and `model` are `&str` expressions: anything else is a type error on the expression.

struct Completion;

impl metrics_core::LlmUsage for Completion {
    fn input_tokens(&self) -> u64 {
        1
    }
    fn output_tokens(&self) -> u64 {
        1
    }
}

#[metrics_core::instrument_llm(provider = 42, model = "small")]
fn complete() -> Completion {
    Completion
}

fn main() {}
