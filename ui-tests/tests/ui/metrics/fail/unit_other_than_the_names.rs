//! A name ending in one base unit measures that unit: declaring another one is a contradiction, not a rename.
use metrics_core::metrics;

metrics! {
    /// Payload size.
    pub gauge payload_bytes { unit = seconds }
}

fn main() {}
