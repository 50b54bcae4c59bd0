//! Each option appears once per family.

metrics_core::metrics! {
    /// Wait time.
    pub histogram wait_seconds { unit = seconds, unit = seconds }
}

fn main() {}
