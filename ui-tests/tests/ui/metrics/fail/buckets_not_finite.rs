//! Bucket bounds are finite: a literal too large for `f64` is infinity.

metrics_core::metrics! {
    /// Wait time.
    pub histogram wait_seconds { buckets = [0.1, 1e999] }
}

fn main() {}
