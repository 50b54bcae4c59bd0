//! Deriving on a `#[deprecated]` enum, or one with a deprecated variant, warns nobody: the derived impl is not a
//! use (checked under `#![deny(deprecated)]`).
#![deny(deprecated)]

use metrics_core::LabelValue;

#[deprecated = "use `Phase`"]
#[derive(Clone, Copy, Debug, LabelValue)]
pub enum Stage {
    Queue,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
pub enum Phase {
    Queue,
    #[deprecated = "use `Queue`"]
    Waiting,
    Run,
}

fn main() {
    assert_eq!(Phase::VALUES, ["Queue", "Waiting", "Run"]);
}
