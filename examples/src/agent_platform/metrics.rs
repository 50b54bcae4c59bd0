//! The agent platform's metric set: the seed's names, labels and bucket sets (`agents/observability/metrics.py`),
//! and their label types. Every name is the seed's; no form of it breaks a rule `metrics!` enforces.
//!
//! Where the seed's label was an open string, the type here bounds it: `agent`, `operation`, `status`,
//! `endpoint`, `provider`, `task_type` and `direction` are closed enums; `workspace_id` (an id from the request)
//! is a `BoundedStr<32>`, so a 33rd workspace's series is `__overflow__`, counted in
//! `metrics_label_overflow_total`, instead of one series per workspace forever.
//!
//! The seed states no alert threshold; the objectives here are this example's own (see
//! `examples/src/agent_platform/catalog.rs`): 99 % of A2A requests successful and 95 % within 2.5 s over 30 days,
//! 80 % of cache reads hits over a day, and `a2a_requests_total` never absent for 5 minutes.

use metrics_core::{BoundedStr, Direction, LabelValue, RunOutcome, metrics};

/// The seed's A2A request buckets: 10 ms to 10 s.
pub const A2A_BUCKETS: [f64; 9] = [0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The seed's response size buckets, in bytes.
pub const RESPONSE_SIZE_BUCKETS: [f64; 7] =
    [100.0, 500.0, 1000.0, 5000.0, 10000.0, 50000.0, 100_000.0];

/// The seed's cache buckets: 1 ms to 100 ms.
pub const CACHE_BUCKETS: [f64; 6] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1];

/// The seed's CCR (model router) buckets: 10 ms to 2.5 s.
pub const CCR_BUCKETS: [f64; 7] = [0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];

/// The most workspaces the `workspace_id` label keeps.
pub const MAX_WORKSPACES: usize = 32;

/// The agents the gateway calls over A2A.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Agent {
    /// The navigation agent.
    Navi,
    /// The notification agent.
    Herald,
    /// The approval agent.
    Approval,
    /// The research agent.
    Sage,
}

/// What an A2A call asks of the agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Operation {
    /// A question answered from the agent's state.
    Query,
    /// A run of the agent's workflow.
    Run,
}

/// How a request ended: the seed's `RequestTimer` status, from the run's outcome (`status(outcome)` in
/// `#[measure]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Status {
    /// Returned `Ok`.
    Success,
    /// Returned `Err`, panicked, or was cancelled before it finished: anything but a success, as the seed's
    /// `"error" if exc_type else "success"`.
    Error,
}

impl From<RunOutcome> for Status {
    fn from(outcome: RunOutcome) -> Self {
        match outcome {
            RunOutcome::Success => Self::Success,
            RunOutcome::Failure | RunOutcome::Panic | RunOutcome::Cancelled => Self::Error,
        }
    }
}

/// Cache operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum CacheOperation {
    /// A read.
    Get,
    /// A write.
    Set,
}

/// A cache operation's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum CacheResult {
    /// A read found the key.
    Hit,
    /// A read did not find the key.
    Miss,
    /// A write succeeded.
    Stored,
}

/// The rate-limited endpoints (route templates, never raw paths).
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
pub enum Endpoint {
    /// Starting an approval run.
    #[metrics(rename = "/agents/approval/runs")]
    ApprovalRuns,
    /// Querying an agent.
    #[metrics(rename = "/agents/{agent}/query")]
    AgentQuery,
}

/// A rate-limit decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Decision {
    /// Let through.
    Allowed,
    /// Refused (429).
    Denied,
}

/// The model providers the CCR router picks from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Provider {
    /// Anthropic.
    Claude,
    /// The `OpenAI` API.
    Openai,
    /// Google.
    Gemini,
}

/// What the CCR router is asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum TaskType {
    /// Reasoning over a request.
    Reasoning,
    /// Summarising a result.
    Summary,
}

metrics! {
    /// AgentOS service information.
    pub info agentos_info { version: String, environment: String }

    // A2A requests.

    /// A2A request duration in seconds; each bucket's exemplar is the trace of its latest request.
    pub histogram a2a_request_duration_seconds {
        agent: Agent, operation: Operation, status: Status, buckets = A2A_BUCKETS, exemplars = true,
        objectives = [latency(95% under 2.5, over = 30d, name = a2a_latency,
            runbook = "https://runbooks.example.invalid/agentos/a2a-latency")],
    }

    /// Total A2A requests.
    pub counter a2a_requests_total {
        agent: Agent, operation: Operation, status: Status,
        objectives = [
            success_rate(99%, label = status, good = [success], over = 30d, name = a2a_success,
                runbook = "https://runbooks.example.invalid/agentos/a2a-errors"),
            critical(for = 5m, runbook = "https://runbooks.example.invalid/agentos/a2a-down"),
        ],
    }

    /// Currently active A2A tasks.
    pub gauge a2a_active_tasks { agent: Agent }

    /// A2A response size in bytes.
    pub histogram a2a_response_size_bytes { agent: Agent, buckets = RESPONSE_SIZE_BUCKETS }

    // Cache.

    /// Cache operations.
    pub counter cache_operations_total {
        operation: CacheOperation, result: CacheResult,
        objectives = [success_rate(80%, label = result, good = [hit], filter = [operation = get], over = 1d,
            name = hit_ratio, severity = warning,
            summary = "Cache reads miss more often than the 80 % hit-ratio objective allows",
            runbook = "https://runbooks.example.invalid/agentos/cache-hit-ratio")],
    }

    /// Cache operation latency.
    pub histogram cache_latency_seconds { operation: CacheOperation, buckets = CACHE_BUCKETS }

    // Rate limiting.

    /// Rate limit enforcement events.
    pub counter rate_limit_hits_total {
        endpoint: Endpoint, workspace_id: BoundedStr<32>, result: Decision,
    }

    // CCR (the model router).

    /// CCR routing requests.
    pub counter ccr_requests_total { provider: Provider, task_type: TaskType, status: Status }

    /// CCR routing latency.
    pub histogram ccr_latency_seconds { provider: Provider, buckets = CCR_BUCKETS }

    /// CCR tokens used.
    pub counter ccr_tokens_total { provider: Provider, direction: Direction }
}
