//! `in_flight(..)` holds a gauge up: a counter is an error naming what it needs.

metrics_core::metrics! {
    /// Jobs.
    pub counter jobs_total;
}

#[metrics_core::measure(in_flight(JOBS_TOTAL))]
fn work() {}

fn main() {}
