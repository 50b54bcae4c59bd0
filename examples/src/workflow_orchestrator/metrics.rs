//! The orchestrator's metric set: the seed's names (`tasker.tasks.requests.total` becomes
//! `tasker_tasks_requests_total`, as the seed's Prometheus queries spell it) in their compliant form.
//!
//! Where the seed's form does not compile, and what replaces it:
//!
//! - Every duration histogram is in seconds: `tasker_step_execution_duration_milliseconds` is a compile error
//!   ("`milliseconds` is not a base unit: Prometheus records seconds; convert the value and name the metric
//!   `tasker_step_execution_duration_seconds`"; the rule's case is
//!   `ui-tests/tests/ui/metrics/fail/non_base_unit_milliseconds.rs`).
//! - No `correlation_id` label: a per-request id is an unbounded label (`String` labels are refused:
//!   `ui-tests/tests/ui/metrics/fail/label_of_any_string.rs`). The step duration histogram keeps each bucket's
//!   latest task trace as its exemplar instead (`exemplars = true`).
//! - The breaker states 0/1/2 (`api_circuit_breaker_state`, `tasker_circuit_breaker_state`) are one state set per
//!   component, `tasker_circuit_breaker_state{component, tasker_circuit_breaker_state="open"}` = 1: a number
//!   coding a state cannot be summed or averaged by mistake, and the API's breaker is `component="api"`.
//! - `mpsc_channel_usage_percent` is a compile error (`percent` is not a base unit: ratios are 0 to 1;
//!   `ui-tests/tests/ui/metrics/fail/unit_percent.rs`); the channel collector's `channel_depth` and
//!   `channel_capacity` give the ratio in a query, and `channel_full_total` the seed's full events.
//!
//! The seed's alerts are objectives: rejections and slow sends above 10 a second over 2 minutes
//! (`increase(1200, over = 2m)`) and the breaker open for a minute here; channel saturation and backpressure on
//! the collector's families in `examples/src/workflow_orchestrator/catalog.rs`. The dashboard's breaker panel
//! shows the state set as the seed's 0/1/2 with value mappings to `closed`, `half_open`, `open`.

use metrics_core::{BoundedStr, LabelValue, RunOutcome, metrics};

use super::state;

/// Step execution buckets, in seconds: 5 ms to 30 s.
pub const STEP_BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 30.0,
];

/// Orchestration-side buckets (initialisation, finalisation, result processing, claims, submissions): 1 ms to
/// 5 s.
pub const FAST_BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

/// The kinds of task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum TaskType {
    /// The seed's test task.
    MathematicalSequence,
    /// An order's fulfilment.
    OrderFulfillment,
    /// A report's generation.
    ReportGeneration,
}

/// Task namespaces (and worker namespaces).
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Namespace {
    /// The seed's end-to-end namespace.
    RustE2eLinear,
    /// Orders.
    Fulfillment,
    /// Reports.
    Reporting,
}

/// The steps of the linear workflows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum StepName {
    /// Validate the input.
    Validate,
    /// Compute (or reserve, or query).
    Compute,
    /// Write the result.
    Persist,
    /// Notify the requester.
    Notify,
}

/// How a step result was processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum ResultType {
    /// The step succeeded.
    Success,
    /// The step failed.
    Error,
    /// The step did not finish in time.
    Timeout,
    /// The task was cancelled before the step ran.
    Cancelled,
    /// The step had nothing to do.
    Skipped,
}

/// What a worker submits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum SubmissionType {
    /// A step's completion.
    Completion,
}

/// A finished task's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum FinalState {
    /// Every step succeeded (or was skipped).
    Complete,
    /// A step failed.
    Error,
}

/// How a step was claimed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum ClaimMethod {
    /// From a queue notification.
    Event,
    /// From the fallback poller.
    Poll,
}

/// A step execution's result (`result(outcome)` in `#[measure]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum StepResult {
    /// The handler returned `Ok`.
    Success,
    /// The handler returned `Err`, panicked or was cancelled.
    Error,
}

impl From<RunOutcome> for StepResult {
    fn from(outcome: RunOutcome) -> Self {
        match outcome {
            RunOutcome::Success => Self::Success,
            RunOutcome::Failure | RunOutcome::Panic | RunOutcome::Cancelled => Self::Error,
        }
    }
}

/// Components behind a circuit breaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum Component {
    /// The web API's database breaker (the seed's `api_circuit_breaker_state`).
    Api,
    /// The FFI completion channel's breaker.
    FfiCompletion,
}

/// A circuit breaker's state: the seed's 0 = closed, 1 = half-open, 2 = open, as a state set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum BreakerState {
    /// Calls go through (the seed's 0).
    Closed,
    /// One probe goes through (the seed's 1).
    HalfOpen,
    /// Calls are refused (the seed's 2).
    Open,
}

/// The API's endpoints, as route templates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
pub enum Endpoint {
    /// Task creation.
    #[metrics(rename = "/v1/tasks")]
    CreateTask,
}

/// A task's lifecycle state, for `tasker_tasks_active`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum TaskState {
    /// Being initialised.
    Initializing,
    /// Steps running.
    StepsInProcess,
    /// Being finalised.
    Finalizing,
}

/// What a step handler is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum HandlerType {
    /// A Rust handler.
    Rust,
    /// A Ruby handler, called over FFI.
    Ruby,
}

metrics! {
    // Orchestration.

    /// Task creation requests received.
    pub counter tasker_tasks_requests_total { task_type: TaskType, namespace: Namespace }

    /// Tasks that completed successfully.
    pub counter tasker_tasks_completions_total { task_type: TaskType }

    /// Tasks that failed.
    pub counter tasker_tasks_failures_total { task_type: TaskType }

    /// Steps enqueued to worker queues.
    pub counter tasker_steps_enqueued_total { namespace: Namespace, step_name: StepName }

    /// Step results processed from workers.
    pub counter tasker_step_results_processed_total { result_type: ResultType }

    /// Task initialisation duration.
    pub histogram tasker_task_initialization_duration_seconds { task_type: TaskType, buckets = FAST_BUCKETS }

    /// Task finalisation duration.
    pub histogram tasker_task_finalization_duration_seconds { final_state: FinalState, buckets = FAST_BUCKETS }

    /// Step result processing duration.
    pub histogram tasker_step_result_processing_duration_seconds {
        result_type: ResultType, buckets = FAST_BUCKETS,
    }

    /// Tasks being processed now, by lifecycle state. Read at scrape time.
    pub gauge tasker_tasks_active { state: TaskState, observe = state::observe_active_tasks }

    /// Steps enqueued and not yet claimed, by namespace.
    pub gauge tasker_steps_ready { namespace: Namespace }

    // Worker.

    /// Step executions attempted.
    pub counter tasker_steps_executions_total { namespace: Namespace }

    /// Step executions that succeeded.
    pub counter tasker_steps_successes_total { namespace: Namespace }

    /// Step executions that failed, by error type.
    pub counter tasker_steps_failures_total { namespace: Namespace, error_type: BoundedStr<8> }

    /// Steps claimed from queues.
    pub counter tasker_steps_claimed_total { namespace: Namespace, claim_method: ClaimMethod }

    /// Step results submitted to orchestration.
    pub counter tasker_steps_results_submitted_total { result_type: SubmissionType }

    /// Step execution duration; each bucket's exemplar is the trace of the latest task whose step landed in it.
    pub histogram tasker_step_execution_duration_seconds {
        namespace: Namespace, result: StepResult, buckets = STEP_BUCKETS, exemplars = true,
    }

    /// Step claim duration.
    pub histogram tasker_step_claim_duration_seconds {
        namespace: Namespace, claim_method: ClaimMethod, buckets = FAST_BUCKETS,
    }

    /// Step result submission duration (including the wait for room in the completion channel).
    pub histogram tasker_step_result_submission_duration_seconds {
        result_type: SubmissionType, buckets = FAST_BUCKETS,
    }

    /// Steps being executed now.
    pub gauge tasker_steps_active_executions { namespace: Namespace, handler_type: HandlerType }

    // Resilience.

    /// Circuit breaker state per component (the seed's 0 closed, 1 half-open, 2 open).
    pub stateset tasker_circuit_breaker_state: BreakerState {
        component: Component,
        objectives = [state(open, for = 1m, runbook = "https://runbooks.example.invalid/tasker/breaker-open")],
    }

    /// API requests rejected because the API's breaker was open.
    pub counter api_requests_rejected_total {
        endpoint: Endpoint,
        objectives = [increase(1200, over = 2m, name = rejection_rate,
            summary = "The API rejects more than 10 requests a second (over 2 minutes): its database breaker is open",
            runbook = "https://runbooks.example.invalid/tasker/rejections")],
    }

    /// FFI completion sends slower than the threshold (100 ms, scaled).
    pub counter ffi_completion_slow_sends_total {
        objectives = [increase(1200, over = 2m, name = slow_send_rate, severity = warning,
            summary = "More than 10 completion sends a second (over 2 minutes) wait for room in the channel",
            runbook = "https://runbooks.example.invalid/tasker/slow-sends")],
    }

    /// FFI completions refused because the completion breaker was open.
    pub counter ffi_completion_circuit_open_rejections_total;
}
