//! A target is a list, `count(JOBS_TOTAL)`, not `count = JOBS_TOTAL`.

metrics_core::metrics! {
    /// Jobs.
    pub counter jobs_total;
}

#[metrics_core::measure(count = JOBS_TOTAL)]
fn work() {}

fn main() {}
