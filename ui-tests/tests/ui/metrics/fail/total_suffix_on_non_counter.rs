//! Only counters end in `_total`.

metrics_core::metrics! {
    /// Jobs waiting.
    pub gauge jobs_total;
}

fn main() {}
