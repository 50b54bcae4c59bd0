//! `model` is required.

#[metrics_core::instrument_llm(provider = "acme")]
fn complete() {}

fn main() {}
