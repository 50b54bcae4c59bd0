//! Unknown options are rejected, with the closest known one suggested.

#[metrics_core::instrument_job(nmae = "send_digest")]
fn send() {}

fn main() {}
