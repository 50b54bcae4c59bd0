//! A declared `unit` must be a base unit.

metrics_core::metrics! {
    /// Time spent.
    pub counter spent_total { unit = ms }
}

fn main() {}
