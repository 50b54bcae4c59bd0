//! `ErrorReason` maps enum variants to reasons: a struct has none.

#[derive(Debug, metrics_core::ErrorReason)]
struct Failed {
    message: String,
}

fn main() {}
