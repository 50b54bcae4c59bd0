//! `errors(..)` records failures: a function returning `()` can never fail, which is an error on the return type.

metrics_core::metrics! {
    /// Failures.
    pub counter failures_total;
}

#[metrics_core::measure(errors(FAILURES_TOTAL))]
fn work() -> u32 {
    1
}

fn main() {}
