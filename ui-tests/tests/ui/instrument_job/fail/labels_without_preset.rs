//! `labels(..)` gives a configured preset's arguments: without `preset` it is an error.

use metrics_core::{BoundedStr, LabelValue, instrument_tool, metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
enum Kind {
    Nightly,
}

metrics! {
    /// Job runs.
    pub counter job_runs_total { kind: Kind, worker: BoundedStr<4> }
    /// Tool calls.
    pub counter tool_calls_total { kind: Kind }

    pub preset jobs: job { runs = job_runs_total }
    pub preset tools: tool { runs = tool_calls_total }
}

#[instrument_tool(labels(kind = Kind::Nightly))]
fn call() {}

fn main() {}
