//! An observable gauge's function reports the gauge's number type: `i64` unless declared `: f64`.

metrics_core::metrics! {
    /// Share of the pool in use, read at scrape time.
    pub gauge pool_usage_ratio { observe = read_usage }
}

fn read_usage(out: &mut PoolUsageRatioObserver<'_>) {
    out.observe((), 0.75);
}

fn main() {}
