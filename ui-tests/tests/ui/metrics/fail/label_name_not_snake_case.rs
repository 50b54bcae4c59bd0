//! A label name is lowercase snake_case.

use metrics_core::Outcome;

metrics_core::metrics! {
    /// Jobs done.
    pub counter jobs_total { jobOutcome: Outcome }
}

fn main() {}
