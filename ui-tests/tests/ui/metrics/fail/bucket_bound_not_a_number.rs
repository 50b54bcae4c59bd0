//! Bucket bounds are number literals.

metrics_core::metrics! {
    /// Wait time.
    pub histogram wait_seconds { buckets = [0.1, "1"] }
}

fn main() {}
