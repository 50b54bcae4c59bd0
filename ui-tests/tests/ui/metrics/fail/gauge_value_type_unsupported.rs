//! A gauge holds `i64` or `f64`.

metrics_core::metrics! {
    /// Jobs waiting.
    pub gauge queue_depth: u64;
}

fn main() {}
