//! The same family named twice as `count(..)` would count every run twice.

metrics_core::metrics! {
    /// Jobs.
    pub counter jobs_total;
}

#[metrics_core::measure(count(JOBS_TOTAL), count(JOBS_TOTAL))]
fn work() {}

fn main() {}
