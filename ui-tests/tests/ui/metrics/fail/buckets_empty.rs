//! A histogram has at least one bucket bound.

metrics_core::metrics! {
    /// Wait time.
    pub histogram wait_seconds { buckets = [] }
}

fn main() {}
