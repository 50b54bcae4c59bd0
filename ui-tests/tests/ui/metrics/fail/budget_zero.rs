//! A `budget` is a number of series greater than 0.

metrics_core::metrics! {
    /// Jobs done.
    pub counter jobs_total { budget = 0 }
}

fn main() {}
