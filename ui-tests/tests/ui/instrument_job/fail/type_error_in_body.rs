//! A type error inside an instrumented body is reported on the user's own line, not on the attribute.

#[metrics_core::instrument_job]
fn sync_job() -> Result<u32, std::io::Error> {
    let count: u32 = "three";
    Ok(count)
}

#[metrics_core::instrument_job]
async fn async_job() -> Result<u32, std::io::Error> {
    let count: u32 = "three";
    Ok(count)
}

fn main() {}
