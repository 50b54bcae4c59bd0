//! A bucket preset is a name, not a call.

metrics_core::metrics! {
    /// Request latency.
    pub histogram request_latency_seconds { buckets = latency() }
}

fn main() {}
