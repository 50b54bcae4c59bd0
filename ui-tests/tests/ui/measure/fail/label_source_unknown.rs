//! `label(..)` takes the run's `outcome` or failure `reason`, nothing else.

metrics_core::metrics! {
    /// Calls by status.
    pub counter calls_total { status: metrics_core::RunOutcome }
}

#[metrics_core::measure(count(CALLS_TOTAL, status(result)))]
fn call() {}

fn main() {}
