//! A block accepts only the `crate` and `namespace` settings.

metrics_core::metrics! {
    prefix = "app";

    /// Jobs done.
    pub counter jobs_total;
}

fn main() {}
