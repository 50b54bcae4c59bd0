//! A bucket builder must give strictly increasing bounds (`exponential` factor > 1).

metrics_core::metrics! {
    /// Wait time.
    pub histogram wait_seconds { buckets = exponential(0.1, 1, 5) }
}

fn main() {}
