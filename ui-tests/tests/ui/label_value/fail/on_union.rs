//! `LabelValue` derives only on enums.

#[derive(Clone, Copy, metrics_core::LabelValue)]
pub union Raw {
    a: u32,
}

fn main() {}
