//! `duration(..)` observes seconds into a histogram: a counter is an error naming what it needs.

metrics_core::metrics! {
    /// Jobs.
    pub counter jobs_total;
}

#[metrics_core::measure(duration(JOBS_TOTAL))]
fn work() {}

fn main() {}
