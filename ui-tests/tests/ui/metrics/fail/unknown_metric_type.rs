//! A family is a `counter`, `gauge`, `histogram`, `info` or `stateset`.

metrics_core::metrics! {
    /// Jobs done.
    pub countr jobs_total;
}

fn main() {}
