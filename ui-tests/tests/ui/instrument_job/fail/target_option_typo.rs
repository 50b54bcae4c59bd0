//! A misspelt target option is rejected with the closest one.

metrics_core::metrics! {
    /// Runs.
    pub counter runs_total;
}

#[metrics_core::instrument_job(cout(RUNS_TOTAL))]
fn work() {}

fn main() {}
