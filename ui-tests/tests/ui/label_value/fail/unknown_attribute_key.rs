//! `#[metrics(..)]` on the enum accepts `rename_all` and `crate`; a near miss gets a suggestion.

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
#[metrics(rename_al = "snake_case")]
pub enum Stage {
    Parse,
    Run,
}

fn main() {}
