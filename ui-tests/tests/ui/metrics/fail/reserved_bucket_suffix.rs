//! A metric name must not end in `_bucket`: histogram samples use that suffix.

metrics_core::metrics! {
    /// Tokens left in the rate limiter.
    pub gauge rate_limit_bucket;
}

fn main() {}
