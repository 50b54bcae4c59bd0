//! An observable family is read at scrape time: it records no observation that could be an exemplar.
use metrics_core::metrics;

metrics! {
    /// Jobs read from the queue's database.
    pub counter queue_jobs_total { observe = read_jobs, exemplars = true }
}

fn read_jobs(_: &mut QueueJobsTotalObserver<'_>) {}

fn main() {}
