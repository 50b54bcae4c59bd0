//! `reasons` takes one of three values, listed in the error.

#[metrics_core::instrument_job(reasons = "derive")]
fn work() -> Result<(), std::io::Error> {
    Ok(())
}

fn main() {}
