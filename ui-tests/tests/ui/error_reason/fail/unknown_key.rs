//! Unknown keys in `#[metrics(..)]` are rejected with a suggestion.

#[derive(Debug, metrics_core::ErrorReason)]
enum FetchError {
    #[metrics(reasn = "timeout")]
    Timeout,
}

fn main() {}
