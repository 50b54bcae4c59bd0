//! `le` is reserved on every family: it is the bucket-bound label of histograms.

metrics_core::metrics! {
    /// Jobs done.
    pub counter jobs_total { le: metrics_core::Outcome }
}

fn main() {}
