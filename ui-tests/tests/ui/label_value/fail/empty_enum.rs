//! A label value enum has at least one variant.

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
pub enum Never {}

fn main() {}
