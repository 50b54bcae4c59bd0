//! `expire_after` takes `ms`, `s`, `m`, `h` or `d`.

use metrics_core::{BoundedStr, metrics};

metrics! {
    /// Jobs per worker.
    pub counter worker_jobs_total { worker: BoundedStr<64>, expire_after = 2w }
}

fn main() {}
