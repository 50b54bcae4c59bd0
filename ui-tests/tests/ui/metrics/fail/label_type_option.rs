//! An `Option` label type: a label is always present; the error says to add a variant for "none".

#[derive(Clone, Copy, Debug, PartialEq, Eq, metrics_core::LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Region {
    Eu,
    Us,
}

metrics_core::metrics! {
    /// Requests by region.
    pub counter requests_total { region: Option<Region> }
}

fn main() {}
