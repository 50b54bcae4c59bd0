//! `le` is reserved on a histogram: it carries the bucket bound.

use metrics_core::Outcome;

metrics_core::metrics! {
    /// Wait time.
    pub histogram wait_seconds { le: Outcome }
}

fn main() {}
