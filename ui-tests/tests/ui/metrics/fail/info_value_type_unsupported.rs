//! An info family has no value type.

metrics_core::metrics! {
    /// Build metadata.
    pub info build_info: u64 { version: String }
}

fn main() {}
