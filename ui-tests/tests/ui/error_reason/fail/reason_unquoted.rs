//! `reason` takes a string.

#[derive(Debug, metrics_core::ErrorReason)]
pub enum FetchError {
    #[metrics(reason = timeout)]
    TimedOut,
}

fn main() {}
