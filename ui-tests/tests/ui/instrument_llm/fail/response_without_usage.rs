//! `#[instrument_llm]` reads token usage from the response: its type must implement `LlmUsage`.

struct Completion;

#[metrics_core::instrument_llm(provider = "acme", model = "small")]
fn complete() -> Result<Completion, std::io::Error> {
    Ok(Completion)
}

fn main() {}
