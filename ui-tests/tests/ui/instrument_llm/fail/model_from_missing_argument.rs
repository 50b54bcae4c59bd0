//! `model` is evaluated in the function: it may read an argument, but one that does not exist is an error on it.

pub struct Completion;

impl metrics_core::LlmUsage for Completion {
    fn input_tokens(&self) -> u64 {
        1
    }
    fn output_tokens(&self) -> u64 {
        1
    }
}

#[metrics_core::instrument_llm(provider = "openai", model = model)]
fn complete(prompt: &str) -> Completion {
    let _ = prompt;
    Completion
}

fn main() {}
