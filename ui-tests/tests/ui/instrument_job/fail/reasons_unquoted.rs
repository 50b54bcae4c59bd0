//! `reasons` takes a string.

#[metrics_core::instrument_job(reasons = generic)]
fn work() -> Result<(), std::io::Error> {
    Ok(())
}

fn main() {}
