//! A target names its family first.

#[metrics_core::measure(count(outcome = 1))]
fn work() {}

fn main() {}
