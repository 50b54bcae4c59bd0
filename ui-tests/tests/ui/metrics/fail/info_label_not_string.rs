//! Info labels are `String`.

metrics_core::metrics! {
    /// Build metadata.
    pub info build_info { version: &'static str }
}

fn main() {}
