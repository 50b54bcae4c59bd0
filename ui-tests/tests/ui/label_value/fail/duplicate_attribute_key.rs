//! Each `#[metrics(..)]` key appears once.

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
#[metrics(rename_all = "snake_case", rename_all = "kebab-case")]
pub enum Stage {
    Parse,
    Run,
}

fn main() {}
