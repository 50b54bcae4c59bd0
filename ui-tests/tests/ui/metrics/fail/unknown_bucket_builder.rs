//! Bucket builders are `exponential(start, factor, count)` and `linear(start, width, count)`.

metrics_core::metrics! {
    /// Wait time.
    pub histogram wait_seconds { buckets = geometric(0.1, 2, 8) }
}

fn main() {}
