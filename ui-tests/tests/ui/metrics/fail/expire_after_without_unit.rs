//! `expire_after` is a duration with a unit: a bare number could mean seconds or milliseconds.

use metrics_core::{BoundedStr, metrics};

metrics! {
    /// Jobs per worker.
    pub counter worker_jobs_total { worker: BoundedStr<64>, expire_after = 600 }
}

fn main() {}
