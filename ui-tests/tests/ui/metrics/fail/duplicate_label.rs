//! Each label appears once in a family.

use metrics_core::Outcome;

metrics_core::metrics! {
    /// Jobs done.
    pub counter jobs_total { outcome: Outcome, outcome: Outcome }
}

fn main() {}
