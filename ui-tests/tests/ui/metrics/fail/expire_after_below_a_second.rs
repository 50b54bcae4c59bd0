//! `expire_after` is at least a second: expiry runs at scrapes, so a shorter period removes values between any two.

use metrics_core::{BoundedStr, metrics};

metrics! {
    /// Jobs per worker.
    pub counter worker_jobs_total { worker: BoundedStr<64>, expire_after = 250ms }
}

fn main() {}
