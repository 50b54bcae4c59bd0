//! The job name is a label value: it must not be empty.

#[metrics_core::instrument_job(name = "")]
fn work() {}

fn main() {}
