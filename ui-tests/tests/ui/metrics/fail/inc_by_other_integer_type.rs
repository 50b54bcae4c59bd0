//! `inc_by` of an integer counter takes a `u64`: a `usize` (a length) says how to convert it.

metrics_core::metrics! {
    /// Bytes sent.
    pub counter sent_bytes_total;
}

pub fn record(payload: &[u8]) {
    SENT_BYTES_TOTAL.inc_by(payload.len());
}

fn main() {}
