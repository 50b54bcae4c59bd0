//! `namespace` is a string literal.

metrics_core::metrics! {
    namespace = cogo;

    /// Jobs finished.
    pub counter jobs_total;
}

fn main() {}
