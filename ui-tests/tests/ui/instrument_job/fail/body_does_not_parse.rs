//! A body with a syntax error: the function is emitted unchanged, so rustc reports the user's own error, and the
//! attribute says it could not measure it.

#[metrics_core::instrument_job]
fn broken() -> u32 {
    let x = ;
    x
}

fn main() {}
