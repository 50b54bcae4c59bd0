//! `rename_all` belongs on the enum; a variant takes `rename`.

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
pub enum Stage {
    #[metrics(rename_all = "snake_case")]
    DeadLetter,
}

fn main() {}
