//! Two `metrics!` blocks of one module declaring the same family: the static is defined twice.

metrics_core::metrics! {
    /// Jobs finished.
    pub counter jobs_total;
}

metrics_core::metrics! {
    /// Jobs finished, again.
    pub counter jobs_total;
}

fn main() {}
