//! A counter holds `u64` or `f64`.

metrics_core::metrics! {
    /// Jobs done.
    pub counter jobs_total: i32;
}

fn main() {}
