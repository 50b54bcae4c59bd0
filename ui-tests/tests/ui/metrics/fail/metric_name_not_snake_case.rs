//! A metric name is lowercase snake_case.

metrics_core::metrics! {
    /// Jobs done.
    pub counter jobsTotal;
}

fn main() {}
