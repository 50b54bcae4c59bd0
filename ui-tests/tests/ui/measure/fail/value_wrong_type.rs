//! A counter adds `u64`s: a value of another type read from the return value is refused, with what each family
//! takes.

metrics_core::metrics! {
    /// Bytes sent.
    pub counter sent_bytes_total;
}

#[metrics_core::measure(value(SENT_BYTES_TOTAL, returned = |r| r.len() as f64))]
fn send() -> Vec<u8> {
    Vec::new()
}

fn main() {}
