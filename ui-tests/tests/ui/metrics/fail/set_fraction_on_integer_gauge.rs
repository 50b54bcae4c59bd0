//! An integer gauge holds an `i64`: setting it to a fraction says to declare the gauge `: f64`.

metrics_core::metrics! {
    /// Share of the pool in use.
    pub gauge pool_usage_ratio;
}

pub fn record(used: f64, size: f64) {
    POOL_USAGE_RATIO.set(used / size);
}

fn main() {}
