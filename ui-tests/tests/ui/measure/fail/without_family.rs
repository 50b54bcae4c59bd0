//! `#[measure]` with nothing to record into is a mistake, not a no-op.

#[metrics_core::measure]
fn work() {}

fn main() {}
