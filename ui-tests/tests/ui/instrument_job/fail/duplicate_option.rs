//! An option given twice is an error on the second one.

#[metrics_core::instrument_job(name = "send", name = "deliver")]
fn send() {}

fn main() {}
