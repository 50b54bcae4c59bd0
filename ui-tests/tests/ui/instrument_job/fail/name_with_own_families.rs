//! `name` labels the built-in families, which are not used when the attribute records into the user's own.

metrics_core::metrics! {
    /// Runs.
    pub counter runs_total;
}

#[metrics_core::instrument_job(name = "work", count(RUNS_TOTAL))]
fn work() {}

fn main() {}
