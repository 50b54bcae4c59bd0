//! The user's own lints still fire on what they wrote: a deprecated label type is reported where it is named.
#![deny(deprecated)]

#[deprecated = "use `Phase` instead"]
#[derive(Clone, Copy, Debug, metrics_core::LabelValue)]
pub enum Stage {
    Queue,
    Run,
}

metrics_core::metrics! {
    /// Jobs done.
    pub counter jobs_total { stage: Stage }
}

fn main() {}
