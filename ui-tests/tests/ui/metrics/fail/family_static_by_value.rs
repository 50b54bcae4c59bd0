//! A family is a `static`: taking it by value (to keep it in a local or pass it) is an error that suggests a
//! reference.

metrics_core::metrics! {
    /// Jobs finished.
    pub counter jobs_total;
}

pub fn record() {
    let jobs = JOBS_TOTAL;
    jobs.inc();
}

fn main() {}
