//! A label value enum has only unit variants.

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
pub enum Stage {
    Parse,
    Retry(u32),
}

fn main() {}
