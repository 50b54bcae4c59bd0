//! `returned` is a closure from `&` the returned value.

metrics_core::metrics! {
    /// Response sizes.
    pub histogram response_size_bytes { buckets = [100.0, 1000.0] }
}

#[metrics_core::measure(value(RESPONSE_SIZE_BYTES, returned = r.len() as f64))]
fn fetch() -> Vec<u8> {
    Vec::new()
}

fn main() {}
