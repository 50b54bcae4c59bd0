//! Only doc comments and `#[cfg]` may be put on a family.

metrics_core::metrics! {
    /// Jobs done.
    #[allow(dead_code)]
    pub counter jobs_total;
}

fn main() {}
