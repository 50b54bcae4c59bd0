//! Reasons are unique label values: two variants must not share one.

#[derive(Debug, metrics_core::ErrorReason)]
enum FetchError {
    #[metrics(reason = "timeout")]
    ConnectTimeout,
    #[metrics(reason = "timeout")]
    ReadTimeout,
}

fn main() {}
