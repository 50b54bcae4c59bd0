//! A label value enum is not generic.

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
pub enum Stage<const N: usize> {
    Parse,
    Run,
}

fn main() {}
