//! The attribute measures functions: on any other item it says so, on the item's keyword.

#[metrics_core::instrument_job]
struct Worker;

fn main() {}
