//! A label value is `Copy` (it is passed by value at every call site): the error names the missing derive once.

#[derive(Debug, metrics_core::LabelValue)]
pub enum Stage {
    Parse,
    Run,
}

fn main() {}
