//! A reason is a label value: it must not be empty.

#[derive(Debug, metrics_core::ErrorReason)]
enum FetchError {
    #[metrics(reason = "")]
    Timeout,
}

fn main() {}
