//! `name` labels the built-in families, which a configured preset replaces.

use metrics_core::{BoundedStr, LabelValue, instrument_job, metrics};

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

#[instrument_job(preset = JOBS, name = "nightly", labels(kind = Kind::Nightly, worker = "w1"))]
fn run() {}

fn main() {}
