//! A run in progress has no outcome yet: `in_flight(..)` cannot take `outcome`.

use metrics_core::{RunOutcome, measure, metrics};

metrics! {
    /// Running.
    pub gauge running { outcome: RunOutcome }
}

#[measure(in_flight(RUNNING, outcome))]
fn work() {}

fn main() {}
