//! A preset's kind is the attribute that takes it: `job`, `tool` or `llm`.

use metrics_core::{BoundedStr, Direction, LabelValue, metrics};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
enum Phase {
    Queue,
    Run,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
enum Tool {
    Search,
}

metrics! {
    /// Job latency.
    pub histogram job_latency_seconds { phase: Phase, buckets = [0.1, 1.0] }
    /// Runs.
    pub counter runs_total { tool: Tool }
    /// Errors.
    pub counter errors_total { tool: Tool, reason: BoundedStr<4> }
    /// Errors by enum.
    pub counter typed_errors_total { phase: Phase }
    /// In flight.
    pub gauge running { tool: BoundedStr<4> }
    /// Tokens.
    pub counter tokens_total { direction: Direction }

    pub preset jobs: jobs { duration = job_latency_seconds }
}

fn main() {}
