//! A length is a `usize`: a counter records `u64`, and the error says what each family takes.

metrics_core::metrics! {
    /// Bytes fetched.
    pub counter fetched_bytes_total;
}

#[metrics_core::measure(value(FETCHED_BYTES_TOTAL, returned = |r: &Vec<u8>| r.len()))]
fn fetch() -> Vec<u8> {
    Vec::new()
}

fn main() {}
