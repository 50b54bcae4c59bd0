//! Label values are not empty: Prometheus reads an empty value as a missing label.

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
pub enum Stage {
    #[metrics(rename = "")]
    Parse,
    Run,
}

fn main() {}
