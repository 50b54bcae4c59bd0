//! `provider` is required.

#[metrics_core::instrument_llm(model = "gpt-4o")]
fn complete() {}

fn main() {}
