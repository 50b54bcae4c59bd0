//! A variant's reason is set with `reason`, not `rename` (that is `LabelValue`'s key).

#[derive(Debug, metrics_core::ErrorReason)]
pub enum FetchError {
    #[metrics(rename = "timeout")]
    TimedOut,
}

fn main() {}
