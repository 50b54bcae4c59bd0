//! `rename_all` takes one of the listed case rules.

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
#[metrics(rename_all = "snake-case")]
pub enum Stage {
    Parse,
    Run,
}

fn main() {}
