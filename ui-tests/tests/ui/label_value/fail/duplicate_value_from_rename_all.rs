//! Label values are unique after `rename_all` too.

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
#[metrics(rename_all = "lowercase")]
pub enum Tier {
    Gold,
    GOLD,
}

fn main() {}
