//! A bucket builder makes 1 to 256 bounds.

metrics_core::metrics! {
    /// Wait time.
    pub histogram wait_seconds { buckets = exponential(0.1, 2, 0) }
}

fn main() {}
