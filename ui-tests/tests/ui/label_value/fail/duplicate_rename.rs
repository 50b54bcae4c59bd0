//! Label values are unique: two renames must not give the same text.

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
pub enum Stage {
    #[metrics(rename = "run")]
    Start,
    #[metrics(rename = "run")]
    Resume,
}

fn main() {}
