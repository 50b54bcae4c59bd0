//! Only a histogram has `buckets`.

metrics_core::metrics! {
    /// Jobs waiting.
    pub gauge queue_depth { buckets = latency }
}

fn main() {}
