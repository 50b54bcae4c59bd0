//! Minutes are not a base unit: the error names seconds and the fixed name.

metrics_core::metrics! {
    /// Lease length.
    pub gauge lease_minutes;
}

fn main() {}
