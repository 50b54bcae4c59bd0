//! `value(..)` records numbers read from the return value into the user's families (a histogram, a counter, a
//! gauge, through an `Option` too), with labels from arguments.

use metrics_core::{Outcome, instrument_job, metrics};

metrics! {
    /// Response sizes by outcome.
    pub histogram response_bytes { outcome: Outcome, buckets = [100.0] }
    /// Rows written.
    pub counter rows_total;
    /// The last batch's size.
    pub gauge last_batch;
}

#[instrument_job(
    value(RESPONSE_BYTES, outcome = Outcome::Success, returned = |r: &Vec<u8>| r.len() as f64),
    value(ROWS_TOTAL, returned = |r| r.len() as u64),
    value(LAST_BATCH, returned = |r| Some(r.len() as i64)),
)]
fn fetch(size: usize) -> Vec<u8> {
    vec![0; size]
}

fn main() {
    fetch(3);
    fetch(4);
    assert_eq!(RESPONSE_BYTES.labels(Outcome::Success).count(), 2);
    assert_eq!(ROWS_TOTAL.get(), 7);
    assert_eq!(LAST_BATCH.get(), 4);
}
