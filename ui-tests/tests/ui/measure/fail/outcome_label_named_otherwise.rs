//! `outcome` fills the label named `outcome`: a family calling it `status` needs `status(outcome)`.

metrics_core::metrics! {
    /// Calls by status.
    pub counter calls_total { status: metrics_core::RunOutcome }
}

#[metrics_core::measure(count(CALLS_TOTAL, outcome))]
fn call() {}

fn main() {}
