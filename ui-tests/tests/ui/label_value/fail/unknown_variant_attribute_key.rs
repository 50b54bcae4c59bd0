//! `#[metrics(..)]` on a variant accepts only `rename`.

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
pub enum Stage {
    #[metrics(name = "parse")]
    Parse,
    Run,
}

fn main() {}
