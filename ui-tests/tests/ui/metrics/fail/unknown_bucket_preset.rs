//! A bucket preset is `prometheus_default`, `latency` or `tokens`; a near miss gets a suggestion.

metrics_core::metrics! {
    /// Wait time.
    pub histogram wait_seconds { buckets = latncy }
}

fn main() {}
