//! Info and stateset families have no unit.

metrics_core::metrics! {
    /// Build metadata.
    pub info build_info { version: String, unit = seconds }
}

fn main() {}
