//! Metric families declared in a crate of their own.
//!
//! The `tests` crate links this crate and checks that [`metrics_core::Registry::global`] holds these families
//! beside its own: registration through the distributed slice must work across crate boundaries, not only inside
//! the crate that reads the slice. Nothing here records a value, so every series stays at 0 and the tests can
//! prove that enum series exist before first use.

use metrics_core::{LabelValue, metrics};

/// The stages of the fixture pipeline: a closed label set declared outside the test crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum FixtureStage {
    /// Fetching input.
    Fetch,
    /// Parsing input.
    Parse,
    /// Storing the result.
    StoreResult,
}

metrics! {
    namespace = "fixture";

    /// Runs of each fixture stage, by outcome.
    pub counter stage_runs_total { stage: FixtureStage, outcome: metrics_core::Outcome }

    /// Items waiting in the fixture queue.
    pub gauge queue_depth;
}
