//! A family accepts the options `unit`, `buckets` and `budget`; a near miss gets a suggestion.

metrics_core::metrics! {
    /// Wait time.
    pub histogram wait_seconds { bukets = latency }
}

fn main() {}
