//! `LabelValue` derives only on enums.

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
pub struct Stage {
    name: &'static str,
}

fn main() {}
