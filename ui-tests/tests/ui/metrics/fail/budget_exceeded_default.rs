//! A family of enum labels must fit the default budget of 1000 series (11 * 11 * 11 = 1331 does not).

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
pub enum Region {
    A,
    B,
    C,
    D,
    E,
    F,
    G,
    H,
    I,
    J,
    K,
}

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
pub enum Shard {
    A,
    B,
    C,
    D,
    E,
    F,
    G,
    H,
    I,
    J,
    K,
}

#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
pub enum Tier {
    A,
    B,
    C,
    D,
    E,
    F,
    G,
    H,
    I,
    J,
    K,
}

metrics_core::metrics! {
    /// Requests served.
    pub counter requests_total { region: Region, shard: Shard, tier: Tier }
}

fn main() {}
