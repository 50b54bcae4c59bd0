//! `value(..)` records a number read from the return value, so it needs the closure that reads it; `returned`
//! elsewhere is misplaced.

metrics_core::metrics! {
    /// Response sizes.
    pub histogram response_bytes { buckets = [100.0] }
    /// Calls.
    pub counter calls_total;
}

#[metrics_core::measure(value(RESPONSE_BYTES))]
fn no_reader() -> Vec<u8> {
    Vec::new()
}

#[metrics_core::measure(count(CALLS_TOTAL, returned = |r: &Vec<u8>| r.len() as u64))]
fn misplaced() -> Vec<u8> {
    Vec::new()
}

fn main() {}
