//! `rename` takes a string: `#[metrics(rename = "dead_letter")]`.

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
pub enum Stage {
    #[metrics(rename = dead_letter)]
    DeadLetter,
}

fn main() {}
