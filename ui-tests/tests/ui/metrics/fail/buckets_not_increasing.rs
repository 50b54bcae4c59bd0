//! Bucket bounds are strictly increasing.

metrics_core::metrics! {
    /// Wait time.
    pub histogram wait_seconds { buckets = [0.1, 0.5, 0.5, 1.0] }
}

fn main() {}
