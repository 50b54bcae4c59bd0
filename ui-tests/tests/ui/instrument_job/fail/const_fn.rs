//! A `const fn` cannot read the clock: the error is on `const`.

#[metrics_core::instrument_job]
const fn compute() -> u32 {
    1
}

fn main() {}
