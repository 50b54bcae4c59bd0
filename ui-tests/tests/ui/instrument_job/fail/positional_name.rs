//! The name is given as `name = ".."`, not positionally.

#[metrics_core::instrument_job("send_digest")]
fn send() {}

fn main() {}
