//! `provider` is a `&str`: a `String` expression is an error that suggests borrowing it.

pub struct Completion;

impl metrics_core::LlmUsage for Completion {
    fn input_tokens(&self) -> u64 {
        1
    }
    fn output_tokens(&self) -> u64 {
        1
    }
}

fn provider_name() -> String {
    "openai".to_owned()
}

#[metrics_core::instrument_llm(provider = provider_name(), model = "gpt-4o")]
fn complete() -> Completion {
    Completion
}

fn main() {}
