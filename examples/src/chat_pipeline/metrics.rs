//! The chat pipeline's metric set, with the roadmap's names, labels and bucket sets, and their label types.
//!
//! One name differs from the roadmap, because the roadmap's form is a compile error here: `sse_clients_gauge` is
//! `sse_clients`. `metrics!` refuses a metric name containing a type word ("metric name `sse_clients_gauge`
//! contains the type name `gauge`: the type is already in `# TYPE`; drop it"; the rule's ui case is
//! `ui-tests/tests/ui/metrics/fail/metric_name_contains_type_word.rs`), as promtool's linter does. Every other
//! name, label and bucket set is the roadmap's.
//!
//! Three families are additions the roadmap implies without naming them: `llm_request_tokens` (the roadmap's
//! token bucket set needs a histogram to live in), `assistant_emitted_total{mode}` (named in the roadmap's smoke
//! validation) and `outbox_replications_total{result}` (its "replication success/error counters").

use metrics_core::{BoundedStr, Direction, LabelValue, RunOutcome, metrics};

use super::store;

/// The roadmap's latency bucket set, in seconds.
pub const LATENCY_BUCKETS: [f64; 9] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0];

/// The roadmap's token bucket set.
pub const TOKEN_BUCKETS: [f64; 8] = [64.0, 128.0, 256.0, 512.0, 1024.0, 2048.0, 4096.0, 8192.0];

/// The most tenants the `tenant` label keeps: tenants are an open set upstream (ids from requests), so the label
/// is a `BoundedStr<16>`; a 17th tenant's series is `__overflow__`, counted in `metrics_label_overflow_total`.
pub const MAX_TENANTS: usize = 16;

/// Who wrote an incoming message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Role {
    /// A person.
    User,
    /// An operator or system prompt injected through the API.
    System,
}

/// Where an incoming message came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Source {
    /// The web UI.
    Web,
    /// The public API.
    Api,
}

/// Why an SSE stream ended with an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum SseErrorReason {
    /// The client went away mid-stream.
    ClientGone,
    /// A write did not reach the client in time.
    WriteTimeout,
}

/// LLM providers: the primary and the fallback the worker switches to when the primary fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Provider {
    /// The primary provider.
    Openai,
    /// The fallback provider.
    Anthropic,
}

/// How a message was answered: with Somabrain's memory, or bypassing it (degraded mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Mode {
    /// With the memory recall.
    Normal,
    /// Somabrain timed out, its circuit was open, or it was down: answered without memory.
    DegradedBypassSomabrain,
}

/// How an assistant answer was emitted, as the roadmap's smoke test queries it (`mode="degraded"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum EmitMode {
    /// Normal mode.
    Normal,
    /// Degraded mode (Somabrain bypassed).
    Degraded,
}

/// The result of a Somabrain call, as the roadmap lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum CallResult {
    /// Answered in time.
    Success,
    /// No answer within the deadline.
    Timeout,
    /// Not called: the circuit breaker is open.
    CircuitOpen,
    /// Not called: the message needs no memory (system messages).
    Skipped,
}

/// Components behind a circuit breaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Component {
    /// The memory service.
    Somabrain,
}

/// A circuit breaker's state: the roadmap's "enum as labeled gauge", a state set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum CircuitState {
    /// Calls go through.
    Closed,
    /// One probe call is allowed.
    HalfOpen,
    /// Calls are refused without trying.
    Open,
}

/// What a health check looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum HealthComponent {
    /// Redis (the degraded buffer, sessions).
    Redis,
    /// Kafka (the WAL).
    Kafka,
    /// Postgres (the outbox).
    Postgres,
    /// The memory service.
    Somabrain,
    /// The primary LLM provider.
    Llm,
}

/// A health check's result, from the check's run outcome (`result(outcome)` in `#[measure]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum HealthResult {
    /// The check passed.
    Ok,
    /// The check returned an error (or panicked).
    Fail,
    /// The check did not finish within its deadline (its future was dropped).
    Timeout,
}

impl From<RunOutcome> for HealthResult {
    fn from(outcome: RunOutcome) -> Self {
        match outcome {
            RunOutcome::Success => Self::Ok,
            RunOutcome::Failure | RunOutcome::Panic => Self::Fail,
            RunOutcome::Cancelled => Self::Timeout,
        }
    }
}

/// The result of replicating one outbox row to the memory service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum ReplicationResult {
    /// Replicated and deleted from the outbox.
    Success,
    /// The memory service refused or was down; the row stays.
    Error,
}

metrics! {
    // Traffic.

    /// Chat messages received by the gateway, by role and source.
    pub counter chat_messages_in_total {
        role: Role, source: Source,
        objectives = [critical(runbook = "https://runbooks.example.invalid/chat/gateway-down")],
    }

    /// Chat sessions created.
    pub counter sessions_created_total;

    /// Chat sessions deleted.
    pub counter sessions_deleted_total;

    /// Attachments uploaded.
    pub counter attachments_uploaded_total;

    /// Attachment upload time.
    pub histogram attachment_upload_seconds { buckets = LATENCY_BUCKETS }

    /// SSE clients connected now (the roadmap's `sse_clients_gauge`: a type word is refused in a name).
    pub gauge sse_clients;

    /// SSE streams that ended with an error, by reason.
    pub counter sse_stream_errors_total { reason: SseErrorReason }

    // Latency.

    /// Gateway enqueue time: from accepting a message to its WAL append and queue hand-off.
    pub histogram chat_enqueue_seconds { buckets = LATENCY_BUCKETS }

    /// Time the conversation worker takes to build a prompt's context (memory recall included).
    pub histogram context_build_seconds { buckets = LATENCY_BUCKETS }

    /// LLM call latency, by model, provider and mode.
    pub histogram llm_latency_seconds {
        model: BoundedStr<8>, provider: Provider, mode: Mode, buckets = LATENCY_BUCKETS,
    }

    /// From the user's message event to the assistant's answer being emitted.
    pub histogram event_to_response_seconds {
        buckets = LATENCY_BUCKETS,
        objectives = [latency(95% under 5.0, over = 30d, name = answer_latency, runbook = "https://runbooks.example.invalid/chat/slow-answers")],
    }

    /// WAL publish time (publisher to Kafka).
    pub histogram wal_publish_seconds { buckets = LATENCY_BUCKETS }

    /// WAL consume time (consumer: read and emit).
    pub histogram wal_consume_seconds { buckets = LATENCY_BUCKETS }

    // LLM usage.

    /// LLM requests, by model, provider and mode (normal or degraded_bypass_somabrain).
    pub counter llm_requests_total { model: BoundedStr<8>, provider: Provider, mode: Mode }

    /// LLM tokens, by model, provider and direction (in: prompt, out: completion).
    pub counter llm_tokens_total { model: BoundedStr<8>, provider: Provider, direction: Direction }

    /// Tokens per LLM request, by provider and direction, in the roadmap's token buckets.
    pub histogram llm_request_tokens { provider: Provider, direction: Direction, buckets = TOKEN_BUCKETS }

    /// LLM calls that failed, by provider and error code.
    pub counter llm_errors_total {
        provider: Provider, code: BoundedStr<8>,
        objectives = [success_rate(
            99%, total = llm_requests_total, over = 30d, name = llm_success,
            summary = "LLM calls fail faster than their 99 % objective allows",
            runbook = "https://runbooks.example.invalid/chat/llm-errors",
        )],
    }

    // Somabrain and degradation.

    /// Somabrain calls by result (success, timeout, circuit_open, skipped).
    pub counter somabrain_calls_total { result: CallResult }

    /// Messages answered without Somabrain (degraded mode).
    pub counter somabrain_bypass_total {
        objectives = [increase(0, over = 5m, name = degraded_mode, severity = warning,
            summary = "Degraded mode: messages are answered without the memory service",
            runbook = "https://runbooks.example.invalid/chat/degraded-mode")],
    }

    /// Circuit breaker state per component.
    pub stateset circuit_state: CircuitState {
        component: Component,
        objectives = [state(open, for = 1m, severity = warning, runbook = "https://runbooks.example.invalid/chat/circuit-open")],
    }

    /// Assistant answers emitted, by mode.
    pub counter assistant_emitted_total { mode: EmitMode }

    // Backlog and reliability.

    /// Entries in the degraded buffer (Redis `degraded:*` keys): memory writes of messages answered in degraded
    /// mode, replayed into Somabrain after it recovers. Read at scrape time.
    pub gauge degraded_buffer_size {
        observe = store::observe_degraded_buffer,
        objectives = [above(0, for = 10m, name = not_draining, severity = warning,
            summary = "The degraded buffer has not drained for 10 minutes",
            runbook = "https://runbooks.example.invalid/chat/degraded-buffer")],
    }

    /// Outbox rows waiting to be replicated to the memory service. Read at scrape time.
    pub gauge outbox_pending {
        observe = store::observe_outbox,
        objectives = [above(1000, for = 15m, severity = warning, runbook = "https://runbooks.example.invalid/chat/outbox-backlog")],
    }

    /// Outbox rows replicated, by result.
    pub counter outbox_replications_total { result: ReplicationResult }

    /// WAL publishes that failed.
    pub counter wal_publish_errors_total;

    /// Redis errors.
    pub counter redis_errors_total;

    /// Kafka errors.
    pub counter kafka_errors_total;

    /// Postgres errors.
    pub counter postgres_errors_total;

    // Budgets.

    /// Tokens each tenant may use per budget window.
    pub gauge tenant_budget_tokens_allowed { tenant: BoundedStr<16> }

    /// Tokens each tenant used in the current budget window.
    pub gauge tenant_budget_tokens_used { tenant: BoundedStr<16> }

    /// Messages refused because their tenant's token budget was spent.
    pub counter tenant_budget_tokens_overruns_total {
        tenant: BoundedStr<16>,
        objectives = [increase(0, over = 15m, severity = info, runbook = "https://runbooks.example.invalid/chat/tenant-budget")],
    }

    // Ops.

    /// Health checks by component and result.
    pub counter health_checks_total {
        component: HealthComponent, result: HealthResult,
        objectives = [success_rate(99%, label = result, good = [ok], over = 30d, name = health,
            runbook = "https://runbooks.example.invalid/chat/health-checks")],
    }
}
