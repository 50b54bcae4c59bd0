//! `reason` goes on a variant; on the enum it is an unknown key.

#[derive(Debug, metrics_core::ErrorReason)]
#[metrics(reason = "fetch")]
pub enum FetchError {
    Timeout,
}

fn main() {}
