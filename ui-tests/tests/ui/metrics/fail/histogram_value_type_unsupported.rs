//! A histogram observes `f64` and takes no value type but that.

metrics_core::metrics! {
    /// Wait time.
    pub histogram wait_seconds: u64;
}

fn main() {}
