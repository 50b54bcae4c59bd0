//! `name` takes a string.

#[metrics_core::instrument_job(name = send_digest)]
fn send() {}

fn main() {}
