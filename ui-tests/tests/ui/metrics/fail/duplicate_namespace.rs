//! A block has at most one `namespace` setting.

metrics_core::metrics! {
    namespace = "app";
    namespace = "other";

    /// Jobs done.
    pub counter jobs_total;
}

fn main() {}
