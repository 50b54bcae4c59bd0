use metrics_core::{BoundedStr, metrics};

metrics! {
    /// Jobs per worker; idle workers are dropped.
    pub counter worker_jobs_total { worker: BoundedStr<64>, expire_after = 10m }
}

fn main() {
    // A reference kept past the worker's expiry would record into another worker's series.
    let series = WORKER_JOBS_TOTAL.labels("w1");
    series.inc();
}
