//! The orchestrator and its workers, simulated: the web API (behind the API breaker) hands task requests to the
//! orchestrator over the `orchestration_command` channel; the orchestrator initialises each task and enqueues its
//! steps one after the other over `pgmq_notifications`; workers claim and execute steps and submit their
//! completions over `ffi_completion` (behind the FFI completion breaker); the result processor records each
//! result, enqueues the next step and finalises the task. The three channels are
//! `metrics_collectors::channel` channels: capacity, depth, full events and send waits per channel name.
//!
//! During a database outage the API's calls fail (its breaker opens and requests are rejected) and step handlers
//! fail with `database_error`. While the database is slow (lock contention) result processing slows down, so
//! `ffi_completion` fills, completion sends become slow and the completion breaker opens, and the backpressure
//! reaches `pgmq_notifications` and `orchestration_command`.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use metrics_collectors::channel::{Receiver, Sender, channel};
use metrics_core::{ErrorReason, measure};
use opentelemetry::trace::TraceContextExt as _;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tracing::instrument::WithSubscriber as _;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

use super::breaker::Breaker;
use super::metrics::{
    API_REQUESTS_REJECTED_TOTAL, ClaimMethod, Component, Endpoint,
    FFI_COMPLETION_CIRCUIT_OPEN_REJECTIONS_TOTAL, FFI_COMPLETION_SLOW_SENDS_TOTAL, FinalState,
    HandlerType, Namespace, ResultType, StepName, SubmissionType,
    TASKER_STEP_CLAIM_DURATION_SECONDS, TASKER_STEP_EXECUTION_DURATION_SECONDS,
    TASKER_STEP_RESULT_PROCESSING_DURATION_SECONDS, TASKER_STEP_RESULT_SUBMISSION_DURATION_SECONDS,
    TASKER_STEP_RESULTS_PROCESSED_TOTAL, TASKER_STEPS_ACTIVE_EXECUTIONS,
    TASKER_STEPS_CLAIMED_TOTAL, TASKER_STEPS_ENQUEUED_TOTAL, TASKER_STEPS_EXECUTIONS_TOTAL,
    TASKER_STEPS_FAILURES_TOTAL, TASKER_STEPS_READY, TASKER_STEPS_RESULTS_SUBMITTED_TOTAL,
    TASKER_STEPS_SUCCESSES_TOTAL, TASKER_TASK_FINALIZATION_DURATION_SECONDS,
    TASKER_TASK_INITIALIZATION_DURATION_SECONDS, TASKER_TASKS_COMPLETIONS_TOTAL,
    TASKER_TASKS_FAILURES_TOTAL, TASKER_TASKS_REQUESTS_TOTAL, TaskState, TaskType,
    TaskerStepClaimDurationSecondsLabels, TaskerStepExecutionDurationSecondsLabels,
    TaskerStepResultProcessingDurationSecondsLabels,
    TaskerStepResultSubmissionDurationSecondsLabels, TaskerStepsActiveExecutionsLabels,
    TaskerStepsExecutionsTotalLabels, TaskerStepsFailuresTotalLabels,
    TaskerTaskFinalizationDurationSecondsLabels, TaskerTaskInitializationDurationSecondsLabels,
};
use super::state;
use crate::job_scheduler::rng::Rng;

/// The named channels and their capacities.
pub const CHANNELS: [(&str, usize); 3] = [
    ("orchestration_command", 100),
    ("pgmq_notifications", 50),
    ("ffi_completion", 10),
];

/// How many issued trace ids the orchestrator remembers (its stand-in for a trace backend).
const TRACES_KEPT: usize = 1 << 16;

/// What every stage shares.
#[derive(Debug)]
pub struct World {
    time_scale: f64,
    failure_rate: f64,
    db_down: AtomicBool,
    db_slow: AtomicBool,
    /// The web API's database breaker.
    pub api_breaker: Breaker,
    /// The completion channel's breaker.
    pub ffi_breaker: Breaker,
    next_task: AtomicU64,
    traces: Mutex<VecDeque<String>>,
    dispatch: tracing::Dispatch,
}

impl World {
    /// A world whose latencies are multiplied by `time_scale`, failing at `failure_rate`, whose spans get trace
    /// ids from `dispatch`.
    pub fn new(time_scale: f64, failure_rate: f64, dispatch: tracing::Dispatch) -> Self {
        let cooldown = Duration::from_secs_f64(10.0 * time_scale);
        Self {
            time_scale,
            failure_rate,
            db_down: AtomicBool::new(false),
            db_slow: AtomicBool::new(false),
            api_breaker: Breaker::new(Component::Api, 5, cooldown),
            ffi_breaker: Breaker::new(Component::FfiCompletion, 3, cooldown),
            next_task: AtomicU64::new(0),
            traces: Mutex::new(VecDeque::new()),
            dispatch,
        }
    }

    /// `millis` of simulated latency, scaled, with up to 100 % jitter and a one-in-fifty slow tail (x6).
    pub fn latency(&self, rng: &mut Rng, millis: f64) -> Duration {
        let tail = if rng.chance(0.02) { 6.0 } else { 1.0 };
        Duration::from_secs_f64(millis * (0.5 + rng.unit()) * tail * self.time_scale / 1000.0)
    }

    /// A real period of `seconds`, scaled.
    pub fn period(&self, seconds: f64) -> Duration {
        Duration::from_secs_f64(seconds * self.time_scale)
    }

    /// Takes the database down, or brings it back.
    pub fn set_db_down(&self, down: bool) {
        self.db_down.store(down, Ordering::Relaxed);
    }

    /// Makes the database slow (result processing takes 150 times longer), or fast again.
    pub fn set_db_slow(&self, slow: bool) {
        self.db_slow.store(slow, Ordering::Relaxed);
    }

    /// Whether the database is slow.
    pub fn db_slow(&self) -> bool {
        self.db_slow.load(Ordering::Relaxed)
    }

    /// Whether the database is down.
    pub fn db_down(&self) -> bool {
        self.db_down.load(Ordering::Relaxed)
    }

    /// The trace ids of the latest tasks (lowercase hex), as a trace backend would list them.
    pub fn traces(&self) -> Vec<String> {
        self.traces
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }

    fn remember(&self, trace: String) {
        let mut traces = self.traces.lock().unwrap_or_else(PoisonError::into_inner);
        if traces.len() == TRACES_KEPT {
            traces.pop_front();
        }
        traces.push_back(trace);
    }
}

/// A task in progress. Its span is the task's trace: every step's span is its child, so the step duration
/// exemplars point at the task, which is what the seed's `correlation_id` label was for.
#[derive(Debug)]
pub struct Task {
    kind: TaskType,
    namespace: Namespace,
    steps: Vec<StepName>,
    span: tracing::Span,
    /// Counted in `tasker_tasks_active{state="steps_in_process"}` from its first step's enqueue to its
    /// finalisation, or until the task is dropped.
    in_process: Mutex<Option<state::Active>>,
}

/// A step to run: the task and the step's index.
#[derive(Debug)]
pub struct StepMessage {
    task: Arc<Task>,
    index: usize,
    _ready: Ready,
}

/// A step counted in `tasker_steps_ready{namespace}` from its enqueue until it is claimed, or dropped unclaimed.
#[derive(Debug)]
struct Ready(Namespace);

impl Ready {
    fn new(namespace: Namespace) -> Self {
        TASKER_STEPS_READY.labels(namespace).inc();
        Self(namespace)
    }
}

impl Drop for Ready {
    fn drop(&mut self) {
        TASKER_STEPS_READY.labels(self.0).dec();
    }
}

/// A step's completion, submitted by a worker.
#[derive(Debug)]
pub struct Completion {
    task: Arc<Task>,
    index: usize,
    result: ResultType,
}

/// Why a step failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ErrorReason)]
pub enum StepError {
    /// Another worker claimed the step first.
    ClaimFailed,
    /// The handler's database call failed.
    DatabaseError,
    /// The step no longer exists.
    StepNotFound,
    /// The queue message could not be deleted after the step ran.
    MessageDeletionFailed,
    /// The handler did not finish in time.
    Timeout,
}

/// Why the API refused a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// The breaker is open.
    Rejected,
    /// The database call failed.
    Database,
}

/// The channels' ends.
#[derive(Debug)]
pub struct Channels {
    /// API to orchestrator.
    pub commands: (Sender<Arc<Task>>, Receiver<Arc<Task>>),
    /// Orchestrator to workers.
    pub notifications: (Sender<StepMessage>, Receiver<StepMessage>),
    /// Workers to the result processor.
    pub completions: (Sender<Completion>, Receiver<Completion>),
}

impl Channels {
    /// The three named channels.
    pub fn new() -> Self {
        Self {
            commands: channel(CHANNELS[0].0, CHANNELS[0].1),
            notifications: channel(CHANNELS[1].0, CHANNELS[1].1),
            completions: channel(CHANNELS[2].0, CHANNELS[2].1),
        }
    }
}

impl Default for Channels {
    fn default() -> Self {
        Self::new()
    }
}

fn steps_of(task_type: TaskType) -> (Namespace, Vec<StepName>) {
    match task_type {
        TaskType::MathematicalSequence => (
            Namespace::RustE2eLinear,
            vec![
                StepName::Validate,
                StepName::Compute,
                StepName::Persist,
                StepName::Notify,
            ],
        ),
        TaskType::OrderFulfillment => (
            Namespace::Fulfillment,
            vec![StepName::Validate, StepName::Compute, StepName::Notify],
        ),
        TaskType::ReportGeneration => (
            Namespace::Reporting,
            vec![StepName::Compute, StepName::Persist],
        ),
    }
}

/// `POST /v1/tasks`: behind the API breaker, a database call, then the task to the orchestrator.
///
/// # Errors
///
/// Rejected by the open breaker (counted in `api_requests_rejected_total`), or the database call failed.
pub async fn create_task(
    world: &World,
    commands: &Sender<Arc<Task>>,
    task_type: TaskType,
    rng: &mut Rng,
) -> Result<(), ApiError> {
    if !world.api_breaker.allow() {
        API_REQUESTS_REJECTED_TOTAL
            .labels(Endpoint::CreateTask)
            .inc();
        return Err(ApiError::Rejected);
    }
    tokio::time::sleep(world.latency(rng, 3.0)).await;
    if world.db_down() {
        world.api_breaker.failure();
        return Err(ApiError::Database);
    }
    world.api_breaker.success();
    let (namespace, steps) = steps_of(task_type);
    let id = world.next_task.fetch_add(1, Ordering::Relaxed);
    let span = world.dispatch.clone().into_span(id, task_type);
    world.remember(trace_id(&span));
    let task = Arc::new(Task {
        kind: task_type,
        namespace,
        steps,
        span,
        in_process: Mutex::new(None),
    });
    let _ = commands.send(task).await;
    Ok(())
}

/// A root span for one task, created under the orchestrator's subscriber.
trait IntoSpan {
    fn into_span(self, id: u64, task_type: TaskType) -> tracing::Span;
}

impl IntoSpan for tracing::Dispatch {
    fn into_span(self, id: u64, task_type: TaskType) -> tracing::Span {
        tracing::dispatcher::with_default(
            &self,
            || tracing::info_span!(parent: None, "task", task_id = id, task_type = ?task_type),
        )
    }
}

fn trace_id(span: &tracing::Span) -> String {
    span.context().span().span_context().trace_id().to_string()
}

/// Initialises a task (its row, its step graph).
#[measure(duration(TASKER_TASK_INITIALIZATION_DURATION_SECONDS, task_type = task.kind))]
async fn initialize(world: &World, task: &Task, rng: &mut Rng) {
    tokio::time::sleep(world.latency(rng, 4.0)).await;
}

/// Enqueues step `index` of `task`.
async fn enqueue(notifications: &Sender<StepMessage>, task: Arc<Task>, index: usize) {
    TASKER_STEPS_ENQUEUED_TOTAL
        .labels(task.namespace, task.steps[index])
        .inc();
    let ready = Ready::new(task.namespace);
    let _ = notifications
        .send(StepMessage {
            task,
            index,
            _ready: ready,
        })
        .await;
}

/// The orchestrator: takes each task request, initialises the task and enqueues its first step.
pub async fn orchestrate(
    world: Arc<World>,
    mut commands: Receiver<Arc<Task>>,
    notifications: Sender<StepMessage>,
    seed: u64,
) {
    let mut rng = Rng::new(seed);
    while let Some(task) = commands.recv().await {
        TASKER_TASKS_REQUESTS_TOTAL
            .labels(task.kind, task.namespace)
            .inc();
        let initializing = state::Active::enter(TaskState::Initializing);
        initialize(&world, &task, &mut rng).await;
        drop(initializing);
        *task
            .in_process
            .lock()
            .unwrap_or_else(PoisonError::into_inner) =
            Some(state::Active::enter(TaskState::StepsInProcess));
        enqueue(&notifications, task, 0).await;
    }
}

/// Claims a step from the queue.
///
/// # Errors
///
/// Another worker claimed it first (the claim is retried).
#[measure(
    duration(TASKER_STEP_CLAIM_DURATION_SECONDS, namespace = namespace, claim_method = method),
    errors(TASKER_STEPS_FAILURES_TOTAL, namespace = namespace, error_type(reason)),
)]
async fn claim(
    world: &World,
    namespace: Namespace,
    method: ClaimMethod,
    rng: &mut Rng,
) -> Result<(), StepError> {
    tokio::time::sleep(world.latency(rng, 1.0)).await;
    if rng.chance(world.failure_rate / 4.0) {
        return Err(StepError::ClaimFailed);
    }
    Ok(())
}

/// Runs a step's handler, inside a span that is a child of the task's: the execution's duration bucket keeps
/// the task's trace as its exemplar.
///
/// # Errors
///
/// The handler failed.
#[measure(
    count(TASKER_STEPS_EXECUTIONS_TOTAL, namespace = namespace),
    duration(TASKER_STEP_EXECUTION_DURATION_SECONDS, namespace = namespace, result(outcome)),
    errors(TASKER_STEPS_FAILURES_TOTAL, namespace = namespace, error_type(reason)),
    in_flight(TASKER_STEPS_ACTIVE_EXECUTIONS, namespace = namespace, handler_type = handler),
)]
#[tracing::instrument(parent = parent, skip_all, fields(step = ?step))]
async fn execute(
    world: &World,
    parent: &tracing::Span,
    namespace: Namespace,
    handler: HandlerType,
    step: StepName,
    rng: &mut Rng,
) -> Result<ResultType, StepError> {
    let base = match step {
        StepName::Validate => 10.0,
        StepName::Compute => 80.0,
        StepName::Persist => 30.0,
        StepName::Notify => 15.0,
    };
    tokio::time::sleep(world.latency(rng, base)).await;
    if world.db_down() && rng.chance(0.5) {
        return Err(StepError::DatabaseError);
    }
    if rng.chance(world.failure_rate) {
        return Err(match rng.below(4) {
            0 => StepError::DatabaseError,
            1 => StepError::StepNotFound,
            2 => StepError::MessageDeletionFailed,
            _ => StepError::Timeout,
        });
    }
    Ok(if step == StepName::Notify && rng.chance(0.1) {
        ResultType::Skipped
    } else {
        ResultType::Success
    })
}

/// Submits a completion over `ffi_completion`, behind the completion breaker: while it is open the completion
/// is refused (counted) and tried again after a pause; a send that waits longer than 100 ms (scaled) for room
/// is slow, and three in a row open the breaker.
#[measure(duration(TASKER_STEP_RESULT_SUBMISSION_DURATION_SECONDS, result_type = SubmissionType::Completion))]
async fn submit(world: &World, completions: &Sender<Completion>, completion: Completion) {
    while !world.ffi_breaker.allow() {
        FFI_COMPLETION_CIRCUIT_OPEN_REJECTIONS_TOTAL.inc();
        tokio::time::sleep(world.period(0.5)).await;
    }
    let started = Instant::now();
    let _ = completions.send(completion).await;
    if started.elapsed() > world.period(0.1) {
        FFI_COMPLETION_SLOW_SENDS_TOTAL.inc();
        world.ffi_breaker.failure();
    } else {
        world.ffi_breaker.success();
    }
    TASKER_STEPS_RESULTS_SUBMITTED_TOTAL
        .labels(SubmissionType::Completion)
        .inc();
}

/// One worker's handling of one step: claim (retried), execute, submit.
async fn work(
    world: Arc<World>,
    completions: Sender<Completion>,
    message: StepMessage,
    mut rng: Rng,
) {
    let StepMessage {
        task,
        index,
        _ready: ready,
    } = message;
    let method = if rng.chance(0.9) {
        ClaimMethod::Event
    } else {
        ClaimMethod::Poll
    };
    while claim(&world, task.namespace, method, &mut rng)
        .await
        .is_err()
    {
        tokio::time::sleep(world.period(0.005)).await;
    }
    drop(ready);
    TASKER_STEPS_CLAIMED_TOTAL
        .labels(task.namespace, method)
        .inc();
    let handler = if rng.chance(0.3) {
        HandlerType::Ruby
    } else {
        HandlerType::Rust
    };
    let step = task.steps[index];
    let result = match execute(&world, &task.span, task.namespace, handler, step, &mut rng).await {
        Ok(result) => {
            TASKER_STEPS_SUCCESSES_TOTAL.labels(task.namespace).inc();
            result
        }
        Err(StepError::Timeout) => ResultType::Timeout,
        Err(_) => ResultType::Error,
    };
    let completion = Completion {
        task,
        index,
        result,
    };
    submit(&world, &completions, completion).await;
}

/// The worker pool: at most `concurrency` steps at once, each in its own task under the orchestrator's
/// subscriber. Dropping the pool (when the simulation stops) cancels the steps in progress.
pub async fn workers(
    world: Arc<World>,
    mut notifications: Receiver<StepMessage>,
    completions: Sender<Completion>,
    concurrency: usize,
    seed: u64,
) {
    let mut rng = Rng::new(seed);
    let permits = Arc::new(Semaphore::new(concurrency));
    let mut running = JoinSet::new();
    while let Some(message) = notifications.recv().await {
        while running.try_join_next().is_some() {}
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            return;
        };
        let step = work(
            Arc::clone(&world),
            completions.clone(),
            message,
            Rng::new(rng.next_u64()),
        );
        let dispatch = world.dispatch.clone();
        running.spawn(
            async move {
                step.await;
                drop(permit);
            }
            .with_subscriber(dispatch),
        );
    }
}

/// Records one step result; slow while the database is slow.
#[measure(duration(TASKER_STEP_RESULT_PROCESSING_DURATION_SECONDS, result_type = result))]
async fn process(world: &World, result: ResultType, rng: &mut Rng) {
    let millis = if world.db_slow() { 300.0 } else { 2.0 };
    tokio::time::sleep(world.latency(rng, millis)).await;
    TASKER_STEP_RESULTS_PROCESSED_TOTAL.labels(result).inc();
}

/// Finalises a task.
#[measure(duration(TASKER_TASK_FINALIZATION_DURATION_SECONDS, final_state = final_state))]
async fn finalize(world: &World, task: &Task, final_state: FinalState, rng: &mut Rng) {
    tokio::time::sleep(world.latency(rng, 3.0)).await;
    match final_state {
        FinalState::Complete => TASKER_TASKS_COMPLETIONS_TOTAL.labels(task.kind).inc(),
        FinalState::Error => TASKER_TASKS_FAILURES_TOTAL.labels(task.kind).inc(),
    }
}

/// The result processor: records each completion, enqueues the task's next step (from a task of its own, so a
/// full queue never blocks the completions the workers are waiting to hand over), or finalises the task; a failed
/// step cancels the task's remaining steps.
pub async fn process_results(
    world: Arc<World>,
    mut completions: Receiver<Completion>,
    notifications: Sender<StepMessage>,
    seed: u64,
) {
    let mut rng = Rng::new(seed);
    let mut enqueues = JoinSet::new();
    while let Some(completion) = completions.recv().await {
        while enqueues.try_join_next().is_some() {}
        process(&world, completion.result, &mut rng).await;
        let task = completion.task;
        let next = completion.index + 1;
        let ok = matches!(completion.result, ResultType::Success | ResultType::Skipped);
        if ok && next < task.steps.len() {
            let notifications = notifications.clone();
            enqueues.spawn(async move { enqueue(&notifications, task, next).await });
            continue;
        }
        if !ok {
            for _ in next..task.steps.len() {
                process(&world, ResultType::Cancelled, &mut rng).await;
            }
        }
        drop(
            task.in_process
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
        let finalizing = state::Active::enter(TaskState::Finalizing);
        let final_state = if ok {
            FinalState::Complete
        } else {
            FinalState::Error
        };
        finalize(&world, &task, final_state, &mut rng).await;
        drop(finalizing);
    }
}
