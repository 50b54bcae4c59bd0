//! `expire_after` is longer than zero.

use metrics_core::{BoundedStr, metrics};

metrics! {
    /// Jobs per worker.
    pub counter worker_jobs_total { worker: BoundedStr<64>, expire_after = 0s }
}

fn main() {}
