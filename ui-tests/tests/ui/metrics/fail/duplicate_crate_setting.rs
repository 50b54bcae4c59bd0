//! A block has at most one `crate = path;` setting.

metrics_core::metrics! {
    crate = metrics_core;
    crate = metrics_core;

    /// Jobs done.
    pub counter jobs_total;
}

fn main() {}
