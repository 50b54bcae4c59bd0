//! `#[measure]` measures a function.

metrics_core::metrics! {
    /// Jobs.
    pub counter jobs_total;
}

#[metrics_core::measure(count(JOBS_TOTAL))]
pub struct Job;

fn main() {}
