//! An `impl Trait` return type is never a `Result`, so `errors(..)` cannot record anything.

metrics_core::metrics! {
    /// Failures.
    pub counter failures_total;
}

#[metrics_core::measure(errors(FAILURES_TOTAL))]
fn work() -> impl Iterator<Item = u8> {
    0..3
}

fn main() {}
