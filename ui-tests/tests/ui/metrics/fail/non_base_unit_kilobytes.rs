//! Sizes are recorded in bytes, not `kilobytes`.

metrics_core::metrics! {
    /// Cache size.
    pub gauge cache_size_kilobytes;
}

fn main() {}
