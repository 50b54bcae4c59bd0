//! `quantile` is reserved for summary quantiles.

use metrics_core::Outcome;

metrics_core::metrics! {
    /// Jobs done.
    pub counter jobs_total { quantile: Outcome }
}

fn main() {}
