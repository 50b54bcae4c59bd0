//! A counter name ends in `_total` (OpenMetrics).

metrics_core::metrics! {
    /// Requests served.
    pub counter requests;
}

fn main() {}
