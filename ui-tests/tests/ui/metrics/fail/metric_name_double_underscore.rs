//! A metric name must not contain `__`.

metrics_core::metrics! {
    /// Jobs done.
    pub counter jobs__total;
}

fn main() {}
