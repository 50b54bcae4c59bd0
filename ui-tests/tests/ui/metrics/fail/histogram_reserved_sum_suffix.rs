//! A histogram name must not end in `_sum`, `_count`, `_bucket` or `_created`.

metrics_core::metrics! {
    /// Payload sizes.
    pub histogram payload_sum;
}

fn main() {}
