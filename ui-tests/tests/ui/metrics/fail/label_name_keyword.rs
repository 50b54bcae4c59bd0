//! A label named `type`: a keyword is written `r#type`, and the label is exposed as `type`.

#[derive(Clone, Copy, Debug, PartialEq, Eq, metrics_core::LabelValue)]
pub enum Kind {
    A,
}

metrics_core::metrics! {
    /// Jobs by type.
    pub counter jobs_total { type: Kind }
}

fn main() {}
