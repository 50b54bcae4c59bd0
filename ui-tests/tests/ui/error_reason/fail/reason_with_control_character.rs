//! A reason is a label value: no control characters.

#[derive(Debug, metrics_core::ErrorReason)]
pub enum FetchError {
    #[metrics(reason = "time\tout")]
    Timeout,
}

fn main() {}
