//! Label values contain no control characters.

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
pub enum Stage {
    #[metrics(rename = "parse\n")]
    Parse,
    Run,
}

fn main() {}
