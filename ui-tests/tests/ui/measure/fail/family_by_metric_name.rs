//! A target names the family's static (`JOBS_TOTAL`), not the metric name.

metrics_core::metrics! {
    /// Jobs.
    pub counter jobs_total;
}

#[metrics_core::measure(count(jobs_total))]
fn work() {}

fn main() {}
