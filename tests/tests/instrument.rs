//! The instrumentation attributes, end to end: every outcome of sync and async functions, methods, generics,
//! `impl Trait`, `#[async_trait]` and `tracing::instrument` in both orders, failure reasons, the presets, and the
//! exposition of the built-in families read back by promtool.
//!
//! Tests run in parallel in one process, so each test measures its own functions and asserts exact counts of
//! those only.

use std::fmt::Display;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::pin;
use std::process::Command;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use metrics_core::{
    BoundedStr, ErrorReason, Format, LabelValue, LlmUsage, Outcome, Registry, RunOutcome,
    instrument_job, instrument_llm, instrument_tool, measure, metrics,
};
use tests::{require_tool, run_with_stdin};

// ---------------------------------------------------------------------------------------------------------------
// Reading the exposition.

/// The `module` label of the functions instrumented at this file's top level.
const MODULE: &str = module_path!();

fn exposition() -> String {
    Registry::global()
        .expect("the registry builds")
        .encode_to_string(Format::Text004)
        .expect("encodes")
}

/// The value of the series written exactly `series` (`name{labels}`), or `None` when it is not exposed.
fn value_in(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

fn value(series: &str) -> Option<f64> {
    value_in(&exposition(), series)
}

/// `(runs, in_flight)` of a job by outcome: `[success, failure, panic, cancelled]`.
fn job(name: &str) -> ([f64; 4], f64) {
    let text = exposition();
    let runs = ["success", "failure", "panic", "cancelled"].map(|outcome| {
        let series = format!(
            "job_runs_total{{function=\"{name}\",module=\"{MODULE}\",outcome=\"{outcome}\"}}"
        );
        value_in(&text, &series).unwrap_or_else(|| panic!("`{series}` is not exposed:\n{text}"))
    });
    let in_flight = value_in(
        &text,
        &format!("job_runs_in_flight{{function=\"{name}\",module=\"{MODULE}\"}}"),
    )
    .expect("in-flight series");
    (runs, in_flight)
}

fn failures(name: &str, reason: &str) -> Option<f64> {
    value(&format!(
        "job_failures_total{{function=\"{name}\",module=\"{MODULE}\",reason=\"{reason}\"}}"
    ))
}

/// Polls a future once on this thread, without a runtime.
fn poll_once<F: Future + ?Sized>(future: std::pin::Pin<&mut F>) -> Poll<F::Output> {
    future.poll(&mut Context::from_waker(Waker::noop()))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a tokio runtime")
}

// ---------------------------------------------------------------------------------------------------------------
// Error types.

#[derive(Debug, ErrorReason)]
enum JobError {
    Timeout,
    #[metrics(reason = "rejected_by_upstream")]
    Rejected {
        status: u16,
    },
    Parse(std::num::ParseIntError),
}

impl From<std::num::ParseIntError> for JobError {
    fn from(error: std::num::ParseIntError) -> Self {
        Self::Parse(error)
    }
}

#[derive(Clone, Copy, Debug)]
enum Mode {
    Ok,
    Timeout,
    Rejected,
    BadNumber,
    EarlyReturn,
    Panic,
}

fn misbehave(mode: Mode) -> Result<u32, JobError> {
    match mode {
        Mode::Timeout => Err(JobError::Timeout),
        Mode::Rejected => Err(JobError::Rejected { status: 503 }),
        Mode::Panic => panic!("the job panicked"),
        Mode::Ok | Mode::BadNumber | Mode::EarlyReturn => Ok(1),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Sync functions: every outcome.

#[instrument_job]
fn sync_outcomes(mode: Mode) -> Result<u32, JobError> {
    if let Mode::EarlyReturn = mode {
        return Ok(7);
    }
    let parsed: u32 = if let Mode::BadNumber = mode {
        "x".parse()?
    } else {
        1
    };
    Ok(misbehave(mode)? + parsed)
}

#[test]
fn sync_fn_records_success_failure_and_panic() {
    assert_eq!(sync_outcomes(Mode::Ok).unwrap(), 2);
    assert_eq!(sync_outcomes(Mode::EarlyReturn).unwrap(), 7);
    assert!(matches!(
        sync_outcomes(Mode::Timeout),
        Err(JobError::Timeout)
    ));
    assert!(matches!(
        sync_outcomes(Mode::Rejected),
        Err(JobError::Rejected { status: 503 })
    ));
    let Err(JobError::Parse(error)) = sync_outcomes(Mode::BadNumber) else {
        panic!("`?` converts the error")
    };
    assert_eq!(error.to_string(), "invalid digit found in string");
    assert!(catch_unwind(|| sync_outcomes(Mode::Panic)).is_err());

    assert_eq!(job("sync_outcomes"), ([2.0, 3.0, 1.0, 0.0], 0.0));
    assert_eq!(failures("sync_outcomes", "timeout"), Some(1.0));
    assert_eq!(failures("sync_outcomes", "rejected_by_upstream"), Some(1.0));
    assert_eq!(failures("sync_outcomes", "parse"), Some(1.0));
    let count = value(&format!(
        "job_run_duration_seconds_count{{function=\"sync_outcomes\",module=\"{MODULE}\",outcome=\"failure\"}}"
    ));
    assert_eq!(
        count,
        Some(3.0),
        "the run counter is the duration histogram's count"
    );
}

#[instrument_job(name = "sync_in_flight")]
fn sync_reentrant(depth: u32) -> i64 {
    if depth == 0 {
        return job("sync_in_flight").1 as i64;
    }
    sync_reentrant(depth - 1)
}

#[test]
fn sync_fn_is_in_flight_while_it_runs() {
    assert_eq!(
        sync_reentrant(2),
        3,
        "three nested runs in flight at the innermost"
    );
    assert_eq!(job("sync_in_flight"), ([3.0, 0.0, 0.0, 0.0], 0.0));
}

// ---------------------------------------------------------------------------------------------------------------
// Async functions: every outcome, including cancellation.

#[instrument_job]
async fn async_outcomes(mode: Mode) -> Result<u32, JobError> {
    tokio::task::yield_now().await;
    if let Mode::EarlyReturn = mode {
        return Ok(7);
    }
    Ok(misbehave(mode)? + 1)
}

#[test]
fn async_fn_records_success_failure_and_panic() {
    let rt = runtime();
    assert_eq!(rt.block_on(async_outcomes(Mode::Ok)).unwrap(), 2);
    assert_eq!(rt.block_on(async_outcomes(Mode::EarlyReturn)).unwrap(), 7);
    assert!(rt.block_on(async_outcomes(Mode::Timeout)).is_err());
    assert!(catch_unwind(AssertUnwindSafe(|| rt.block_on(async_outcomes(Mode::Panic)))).is_err());
    assert_eq!(job("async_outcomes"), ([2.0, 1.0, 1.0, 0.0], 0.0));
    assert_eq!(failures("async_outcomes", "timeout"), Some(1.0));
}

#[instrument_job]
async fn spawned_panic() -> Result<(), JobError> {
    tokio::task::yield_now().await;
    panic!("inside a spawned task")
}

#[test]
fn a_panic_caught_by_the_runtime_is_a_panic_not_a_cancellation() {
    // tokio catches the panic inside `poll` and drops the future afterwards, when the thread is no longer
    // panicking: the guard must already have seen the unwinding.
    let rt = runtime();
    let joined = rt.block_on(async { tokio::spawn(spawned_panic()).await });
    assert!(joined.expect_err("the task panicked").is_panic());
    assert_eq!(job("spawned_panic"), ([0.0, 0.0, 1.0, 0.0], 0.0));
}

#[instrument_job]
async fn waits_forever() -> Result<(), JobError> {
    std::future::pending::<()>().await;
    Ok(())
}

#[test]
fn a_future_dropped_mid_await_is_cancelled_and_leaves_in_flight() {
    let mut future = Box::pin(waits_forever());
    assert!(poll_once(future.as_mut()).is_pending());
    assert_eq!(
        job("waits_forever"),
        ([0.0, 0.0, 0.0, 0.0], 1.0),
        "in flight while suspended"
    );
    drop(future);
    assert_eq!(job("waits_forever"), ([0.0, 0.0, 0.0, 1.0], 0.0));
}

#[instrument_job]
async fn sleeps(duration: Duration) -> u32 {
    tokio::time::sleep(duration).await;
    1
}

#[test]
fn timeout_and_select_cancel_the_losing_future() {
    let rt = runtime();
    rt.block_on(async {
        let timed_out =
            tokio::time::timeout(Duration::from_millis(5), sleeps(Duration::from_mins(1))).await;
        assert!(timed_out.is_err());
        tokio::select! {
            biased;
            _ = sleeps(Duration::from_mins(1)) => panic!("the long job cannot win"),
            () = tokio::task::yield_now() => {}
        }
        assert_eq!(sleeps(Duration::ZERO).await, 1);
    });
    assert_eq!(job("sleeps"), ([1.0, 0.0, 0.0, 2.0], 0.0));
}

#[instrument_job]
async fn never_polled() {}

#[test]
fn a_future_never_polled_is_no_run() {
    drop(never_polled());
    assert_eq!(job("never_polled"), ([0.0; 4], 0.0));
}

// ---------------------------------------------------------------------------------------------------------------
// Every shape of function.

struct Worker {
    name: String,
    done: Vec<u32>,
}

impl Worker {
    #[instrument_job]
    fn shared_receiver(&self) -> &str {
        &self.name
    }

    #[instrument_job]
    fn unique_receiver(&mut self, id: u32) -> &mut Vec<u32> {
        self.done.push(id);
        &mut self.done
    }

    #[instrument_job]
    fn owned_receiver(self) -> Vec<u32> {
        self.done
    }

    #[instrument_job]
    fn boxed_receiver(self: Box<Self>) -> String {
        self.name
    }

    #[instrument_job]
    async fn async_receiver(&self, fail: bool) -> Result<&str, JobError> {
        tokio::task::yield_now().await;
        if fail {
            return Err(JobError::Timeout);
        }
        Ok(&self.name)
    }

    #[instrument_job]
    fn associated(value: u32) -> Self {
        Self {
            name: value.to_string(),
            done: Vec::new(),
        }
    }
}

#[test]
fn methods_with_any_receiver() {
    let mut worker = Worker::associated(9);
    assert_eq!(worker.shared_receiver(), "9");
    worker.unique_receiver(1).push(2);
    assert_eq!(worker.done, [1, 2]);
    let rt = runtime();
    assert_eq!(rt.block_on(worker.async_receiver(false)).unwrap(), "9");
    assert!(rt.block_on(worker.async_receiver(true)).is_err());
    assert_eq!(Box::new(Worker::associated(3)).boxed_receiver(), "3");
    assert_eq!(worker.owned_receiver(), [1, 2]);
    for (name, runs) in [
        ("Worker::associated", [2.0, 0.0, 0.0, 0.0]),
        ("Worker::shared_receiver", [1.0, 0.0, 0.0, 0.0]),
        ("Worker::unique_receiver", [1.0, 0.0, 0.0, 0.0]),
        ("Worker::owned_receiver", [1.0, 0.0, 0.0, 0.0]),
        ("Worker::boxed_receiver", [1.0, 0.0, 0.0, 0.0]),
        ("Worker::async_receiver", [1.0, 1.0, 0.0, 0.0]),
    ] {
        assert_eq!(job(name), (runs, 0.0), "{name}");
    }
}

#[instrument_job]
fn generic_display<T: Display, const N: usize>(items: [T; N]) -> Result<String, JobError> {
    if N == 0 {
        return Err(JobError::Timeout);
    }
    Ok(items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(","))
}

#[instrument_job]
fn generic_error<E: ErrorReason + std::fmt::Debug>(error: Option<E>) -> Result<(), E> {
    error.map_or(Ok(()), Err)
}

#[instrument_job(reasons = "generic")]
fn generic_unbounded_error<E>(error: Option<E>) -> Result<(), E> {
    error.map_or(Ok(()), Err)
}

struct Retrying<E>(std::marker::PhantomData<E>);

impl<E: ErrorReason> Retrying<E> {
    /// The error type names the `impl`'s parameter, which the function's static cannot: reasons on failure.
    #[instrument_job(name = "retrying_run", reasons = "on_failure")]
    fn run(&self, error: Option<E>) -> Result<(), E> {
        error.map_or(Ok(()), Err)
    }
}

#[instrument_job]
fn returns_impl_trait(limit: u32) -> impl Iterator<Item = u32> + Clone {
    (0..limit).filter(|n| n % 2 == 0)
}

#[instrument_job]
fn returns_boxed_impl(limit: u32) -> Box<impl Fn() -> u32> {
    Box::new(move || limit)
}

#[instrument_job(reasons = "generic")]
fn returns_trait_object(fail: bool) -> Result<Box<dyn Display>, Box<dyn std::error::Error>> {
    if fail {
        return Err(Box::new(std::fmt::Error));
    }
    Ok(Box::new(5))
}

#[test]
fn generic_functions_and_impl_trait_returns() {
    assert_eq!(generic_display([1, 2]).unwrap(), "1,2");
    assert_eq!(generic_display(["a"]).unwrap(), "a");
    assert!(generic_display::<u8, 0>([]).is_err());
    assert_eq!(job("generic_display"), ([2.0, 1.0, 0.0, 0.0], 0.0));

    generic_error::<JobError>(None).unwrap();
    generic_error(Some(JobError::Timeout)).unwrap_err();
    generic_error(Some(ToolError::RateLimited)).unwrap_err();
    assert_eq!(job("generic_error"), ([1.0, 2.0, 0.0, 0.0], 0.0));
    assert_eq!(
        failures("generic_error", "timeout"),
        Some(1.0),
        "a bounded `E` gives its own reasons"
    );
    assert_eq!(failures("generic_error", "rate_limited"), Some(1.0));
    generic_unbounded_error(Some("bad")).unwrap_err();
    assert_eq!(failures("generic_unbounded_error", "error"), Some(1.0));

    let retrying = Retrying::<JobError>(std::marker::PhantomData);
    assert_eq!(
        failures("retrying_run", "timeout"),
        None,
        "no series before the first failure"
    );
    retrying.run(Some(JobError::Timeout)).unwrap_err();
    retrying.run(None).unwrap();
    assert_eq!(job("retrying_run"), ([1.0, 1.0, 0.0, 0.0], 0.0));
    assert_eq!(failures("retrying_run", "timeout"), Some(1.0));

    assert_eq!(returns_impl_trait(5).collect::<Vec<_>>(), [0, 2, 4]);
    assert_eq!(returns_boxed_impl(4)(), 4);
    assert_eq!(job("returns_impl_trait"), ([1.0, 0.0, 0.0, 0.0], 0.0));
    assert_eq!(job("returns_boxed_impl"), ([1.0, 0.0, 0.0, 0.0], 0.0));

    assert_eq!(returns_trait_object(false).unwrap().to_string(), "5");
    assert!(returns_trait_object(true).is_err());
    assert_eq!(job("returns_trait_object"), ([1.0, 1.0, 0.0, 0.0], 0.0));
}

// ---------------------------------------------------------------------------------------------------------------
// The `function` and `module` labels.

mod billing {
    #[metrics_core::instrument_job]
    pub fn run() {}
}

mod shipping {
    #[metrics_core::instrument_job]
    pub fn run() {}
}

trait Runner {
    fn go(&self) -> u32;
}

impl Runner for Worker {
    #[instrument_job]
    fn go(&self) -> u32 {
        7
    }
}

#[test]
fn functions_are_labelled_by_path_and_module_never_job() {
    billing::run();
    billing::run();
    shipping::run();
    let worker = Worker {
        name: "go".to_owned(),
        done: Vec::new(),
    };
    assert_eq!(worker.go(), 7);
    let text = exposition();
    for (module, runs) in [("billing", 2.0), ("shipping", 1.0)] {
        let series = format!(
            "job_runs_total{{function=\"run\",module=\"{MODULE}::{module}\",outcome=\"success\"}}"
        );
        assert_eq!(value_in(&text, &series), Some(runs), "{series}");
    }
    assert_eq!(job("Worker::go"), ([1.0, 0.0, 0.0, 0.0], 0.0));
    assert!(
        !text.contains("{job=") && !text.contains(",job="),
        "no built-in family carries a `job` label:\n{text}"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Functions returning a future: measured as the future.

#[instrument_job]
fn returns_future(delay: Duration) -> impl Future<Output = Result<(), JobError>> + Send {
    async move {
        tokio::time::sleep(delay).await;
        Err(JobError::Timeout)
    }
}

#[instrument_job]
fn returns_boxed_future(
    fail: bool,
) -> std::pin::Pin<Box<dyn Future<Output = Result<u32, JobError>> + Send>> {
    let ready = if fail { Err(JobError::Timeout) } else { Ok(4) };
    Box::pin(std::future::ready(ready))
}

#[test]
fn a_returned_future_is_measured_by_its_polls_outcome_and_drop() {
    let rt = runtime();
    rt.block_on(returns_future(Duration::from_millis(50)))
        .unwrap_err();
    assert_eq!(job("returns_future"), ([0.0, 1.0, 0.0, 0.0], 0.0));
    assert_eq!(failures("returns_future", "timeout"), Some(1.0));
    let sum = value(&format!(
        "job_run_duration_seconds_sum{{function=\"returns_future\",module=\"{MODULE}\",outcome=\"failure\"}}"
    ))
    .expect("the duration series");
    assert!(
        (0.045..2.0).contains(&sum),
        "the run lasted the future's 50 ms, not its creation: {sum} s"
    );

    let pending = returns_future(Duration::from_mins(1));
    assert_eq!(job("returns_future").1, 1.0, "in flight from the call");
    drop(pending);
    assert_eq!(job("returns_future"), ([0.0, 1.0, 0.0, 1.0], 0.0));

    assert_eq!(rt.block_on(returns_boxed_future(false)).unwrap(), 4);
    rt.block_on(returns_boxed_future(true)).unwrap_err();
    assert_eq!(job("returns_boxed_future"), ([1.0, 1.0, 0.0, 0.0], 0.0));
}

// ---------------------------------------------------------------------------------------------------------------
// Beside `#[async_trait]` and `tracing::instrument`.

#[async_trait::async_trait]
trait Handler {
    async fn handle(&self, mode: Mode) -> Result<u32, JobError>;
}

struct AsyncTraitHandler;

#[async_trait::async_trait]
impl Handler for AsyncTraitHandler {
    #[instrument_job(name = "async_trait_handle")]
    async fn handle(&self, mode: Mode) -> Result<u32, JobError> {
        tokio::task::yield_now().await;
        Ok(misbehave(mode)? * 2)
    }
}

#[test]
fn inside_async_trait() {
    let rt = runtime();
    let handler: &dyn Handler = &AsyncTraitHandler;
    assert_eq!(rt.block_on(handler.handle(Mode::Ok)).unwrap(), 2);
    assert!(rt.block_on(handler.handle(Mode::Rejected)).is_err());
    let mut pending = handler.handle(Mode::Ok);
    assert!(
        poll_once(pending.as_mut()).is_pending(),
        "suspended at the yield"
    );
    drop(pending);
    assert_eq!(job("async_trait_handle"), ([1.0, 1.0, 0.0, 1.0], 0.0));
    assert_eq!(
        failures("async_trait_handle", "rejected_by_upstream"),
        Some(1.0)
    );
}

#[instrument_job]
#[tracing::instrument]
async fn ours_then_tracing(mode: Mode) -> Result<u32, JobError> {
    tokio::task::yield_now().await;
    misbehave(mode)
}

#[tracing::instrument]
#[instrument_job]
async fn tracing_then_ours(mode: Mode) -> Result<u32, JobError> {
    tokio::task::yield_now().await;
    misbehave(mode)
}

#[tracing::instrument(err)]
#[instrument_job]
fn tracing_err_then_ours_sync(mode: Mode) -> Result<u32, JobError> {
    misbehave(mode)
}

impl Display for JobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

#[test]
fn beside_tracing_instrument_in_both_orders() {
    let rt = runtime();
    for name in ["ours_then_tracing", "tracing_then_ours"] {
        let run = |mode| match name {
            "ours_then_tracing" => rt.block_on(ours_then_tracing(mode)),
            _ => rt.block_on(tracing_then_ours(mode)),
        };
        run(Mode::Ok).unwrap();
        run(Mode::Timeout).unwrap_err();
        assert_eq!(job(name), ([1.0, 1.0, 0.0, 0.0], 0.0), "{name}");
        assert_eq!(failures(name, "timeout"), Some(1.0), "{name}");
    }
    tracing_err_then_ours_sync(Mode::Ok).unwrap();
    tracing_err_then_ours_sync(Mode::Rejected).unwrap_err();
    assert_eq!(
        job("tracing_err_then_ours_sync"),
        ([1.0, 1.0, 0.0, 0.0], 0.0)
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Failure reasons.

#[instrument_job]
fn never_run_job() -> Result<(), JobError> {
    Ok(())
}

#[instrument_job]
async fn never_run_async_job() {}

#[instrument_job(reasons = "generic")]
fn string_errors(fail: bool) -> Result<(), String> {
    if fail {
        Err("a message that must not become a label".to_owned())
    } else {
        Ok(())
    }
}

#[instrument_job]
fn io_errors() -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::ConnectionRefused))
}

#[test]
fn every_job_and_its_reasons_exist_before_any_run() {
    let text = exposition();
    for name in ["never_run_job", "never_run_async_job"] {
        for outcome in RunOutcome::VALUES {
            let series = format!(
                "job_runs_total{{function=\"{name}\",module=\"{MODULE}\",outcome=\"{outcome}\"}}"
            );
            assert_eq!(value_in(&text, &series), Some(0.0), "{series}");
            let count = format!(
                "job_run_duration_seconds_count{{function=\"{name}\",module=\"{MODULE}\",outcome=\"{outcome}\"}}"
            );
            assert_eq!(value_in(&text, &count), Some(0.0), "{count}");
        }
        assert_eq!(
            value_in(
                &text,
                &format!("job_runs_in_flight{{function=\"{name}\",module=\"{MODULE}\"}}")
            ),
            Some(0.0)
        );
    }
    for reason in JobError::REASONS {
        let series = format!(
            "job_failures_total{{function=\"never_run_job\",module=\"{MODULE}\",reason=\"{reason}\"}}"
        );
        assert_eq!(value_in(&text, &series), Some(0.0), "{series}");
    }
    assert_eq!(
        value_in(
            &text,
            &format!(
                "job_failures_total{{function=\"string_errors\",module=\"{MODULE}\",reason=\"error\"}}"
            )
        ),
        Some(0.0),
        "the generic reason exists from the start too"
    );
    assert!(
        !text.contains(&format!(
            "function=\"never_run_async_job\",module=\"{MODULE}\",reason="
        )),
        "a function that cannot fail has no reasons"
    );
    // Every function annotated in this file is exposed, whether it ran or not.
    for name in [
        "sync_outcomes",
        "waits_forever",
        "async_trait_handle",
        "generic_display",
        "returns_impl_trait",
    ] {
        assert!(
            text.contains(&format!(
                "job_runs_total{{function=\"{name}\",module=\"{MODULE}\",outcome=\"success\"}}"
            )),
            "{name}"
        );
    }
}

#[test]
fn reasons_come_from_the_error_type_or_are_generic() {
    string_errors(true).unwrap_err();
    string_errors(false).unwrap();
    assert_eq!(failures("string_errors", "error"), Some(1.0));
    assert!(!exposition().contains("must not become a label"));
    io_errors().unwrap_err();
    assert_eq!(failures("io_errors", "connection_refused"), Some(1.0));
    assert_eq!(failures("io_errors", "timed_out"), Some(0.0));
}

// ---------------------------------------------------------------------------------------------------------------
// `#[measure]` and `#[instrument_job]` into the user's own families.

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum JobType {
    Email,
    Report,
}

metrics! {
    namespace = "own";

    /// Jobs by type and outcome.
    pub counter jobs_total { job_type: JobType, outcome: RunOutcome }
    /// Jobs by type, success or not.
    pub counter coarse_jobs_total { job_type: JobType, outcome: Outcome }
    /// Job latency by type.
    pub histogram job_seconds { job_type: JobType, buckets = [0.5, 5.0] }
    /// Jobs running now, by worker.
    pub gauge jobs_running { worker: BoundedStr<8> }
    /// Job failures by type and reason.
    pub counter job_errors_total { job_type: JobType, reason: BoundedStr<8> }
    /// Every run of anything.
    pub counter anything_total;
}

struct Email {
    kind: JobType,
    worker: String,
}

#[measure(
    count(JOBS_TOTAL, job_type = email.kind, outcome),
    duration(JOB_SECONDS, job_type = email.kind),
    in_flight(JOBS_RUNNING, worker = email.worker.as_str()),
    errors(JOB_ERRORS_TOTAL, job_type = email.kind, reason),
)]
async fn send(email: &Email, mode: Mode) -> Result<u32, JobError> {
    tokio::task::yield_now().await;
    misbehave(mode)
}

#[instrument_job(count(COARSE_JOBS_TOTAL, job_type = kind, outcome), count(ANYTHING_TOTAL))]
fn preset_into_own_families(kind: JobType, mode: Mode) -> Result<u32, JobError> {
    misbehave(mode)
}

#[test]
fn measure_records_into_user_families_with_labels_from_arguments() {
    let rt = runtime();
    let email = Email {
        kind: JobType::Email,
        worker: "w-1".to_owned(),
    };
    rt.block_on(send(&email, Mode::Ok)).unwrap();
    rt.block_on(send(&email, Mode::Timeout)).unwrap_err();
    let mut pending = pin!(send(&email, Mode::Ok));
    assert!(poll_once(pending.as_mut()).is_pending());
    assert_eq!(JOBS_RUNNING.labels("w-1").get(), 1);
    let report = Email {
        kind: JobType::Report,
        worker: "w-2".to_owned(),
    };
    assert!(catch_unwind(AssertUnwindSafe(|| rt.block_on(send(&report, Mode::Panic)))).is_err());

    let runs = |kind, outcome| JOBS_TOTAL.labels(kind, outcome).get();
    assert_eq!(runs(JobType::Email, RunOutcome::Success), 1);
    assert_eq!(runs(JobType::Email, RunOutcome::Failure), 1);
    assert_eq!(
        runs(JobType::Email, RunOutcome::Cancelled),
        0,
        "still pending"
    );
    assert_eq!(runs(JobType::Report, RunOutcome::Panic), 1);
    assert_eq!(JOB_SECONDS.labels(JobType::Email).count(), 2);
    assert_eq!(JOB_ERRORS_TOTAL.labels(JobType::Email, "timeout").get(), 1);
    assert_eq!(
        JOBS_RUNNING.labels("w-2").get(),
        0,
        "back down after the panic"
    );
    assert!(exposition().contains("own_jobs_total{job_type=\"email\",outcome=\"cancelled\"} 0\n"));

    preset_into_own_families(JobType::Report, Mode::Ok).unwrap();
    preset_into_own_families(JobType::Report, Mode::Rejected).unwrap_err();
    assert_eq!(
        COARSE_JOBS_TOTAL
            .labels(JobType::Report, Outcome::Success)
            .get(),
        1
    );
    assert_eq!(
        COARSE_JOBS_TOTAL
            .labels(JobType::Report, Outcome::Failure)
            .get(),
        1
    );
    assert_eq!(ANYTHING_TOTAL.get(), 2);
    assert!(
        !exposition().contains("function=\"preset_into_own_families\""),
        "with its own families, the preset does not use the built-in ones"
    );
}

#[test]
fn reading_a_bounded_series_creates_nothing() {
    let before = JOBS_RUNNING.storage().interners()[0].len();
    assert!(JOBS_RUNNING.find_labels("probe").is_none());
    assert!(
        JOBS_RUNNING
            .find(JobsRunningLabels { worker: "probe" })
            .is_none()
    );
    assert_eq!(
        JOBS_RUNNING.storage().interners()[0].len(),
        before,
        "nothing interned"
    );
    assert!(!exposition().contains("worker=\"probe\""));
    JOBS_RUNNING.labels("probe-2").inc();
    assert_eq!(
        JOBS_RUNNING
            .find_labels("probe-2")
            .map(metrics_core::Gauge::get),
        Some(1)
    );
    JOBS_RUNNING.labels("probe-2").dec();
}

#[test]
fn measure_sees_a_cancellation() {
    let email = Email {
        kind: JobType::Report,
        worker: "w-3".to_owned(),
    };
    let mut pending = Box::pin(send(&email, Mode::Ok));
    assert!(poll_once(pending.as_mut()).is_pending());
    assert_eq!(JOBS_RUNNING.labels("w-3").get(), 1);
    drop(pending);
    assert_eq!(JOBS_RUNNING.labels("w-3").get(), 0);
    assert_eq!(
        JOBS_TOTAL
            .labels(JobType::Report, RunOutcome::Cancelled)
            .get(),
        1
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Tool and LLM presets.

#[derive(Debug, ErrorReason)]
enum ToolError {
    RateLimited,
}

#[instrument_tool(name = "web_search")]
async fn search(query: &str) -> Result<Vec<String>, ToolError> {
    if query.is_empty() {
        return Err(ToolError::RateLimited);
    }
    Ok(vec![query.to_owned()])
}

#[test]
fn tool_preset_records_calls_and_errors_by_tool_and_reason() {
    let rt = runtime();
    rt.block_on(search("rust")).unwrap();
    rt.block_on(search("")).unwrap_err();
    let text = exposition();
    assert_eq!(
        value_in(
            &text,
            "tool_calls_total{function=\"web_search\",module=\"instrument\",outcome=\"success\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        value_in(
            &text,
            "tool_calls_total{function=\"web_search\",module=\"instrument\",outcome=\"failure\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        value_in(
            &text,
            "tool_errors_total{function=\"web_search\",module=\"instrument\",reason=\"rate_limited\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        value_in(
            &text,
            "tool_call_duration_seconds_count{function=\"web_search\",module=\"instrument\",outcome=\"success\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        value_in(
            &text,
            "tool_calls_in_flight{function=\"web_search\",module=\"instrument\"}"
        ),
        Some(0.0)
    );
}

#[derive(Debug)]
struct Completion {
    prompt_tokens: u64,
    completion_tokens: u64,
}

impl LlmUsage for Completion {
    fn input_tokens(&self) -> u64 {
        self.prompt_tokens
    }
    fn output_tokens(&self) -> u64 {
        self.completion_tokens
    }
    fn cost_usd(&self) -> Option<f64> {
        Some(self.prompt_tokens as f64 * 0.001 + self.completion_tokens as f64 * 0.002)
    }
}

struct Request {
    model: String,
    prompt: String,
}

#[instrument_llm(provider = "acme", model = &request.model)]
async fn complete(request: &Request) -> Result<Completion, ToolError> {
    if request.prompt.is_empty() {
        return Err(ToolError::RateLimited);
    }
    Ok(Completion {
        prompt_tokens: 10,
        completion_tokens: 20,
    })
}

#[instrument_llm(provider = "local", model = "tiny")]
fn complete_sync(prompt_tokens: u64) -> Completion {
    Completion {
        prompt_tokens,
        completion_tokens: 1,
    }
}

#[test]
fn llm_preset_records_requests_latency_tokens_and_cost() {
    let rt = runtime();
    let request = Request {
        model: "acme-large".to_owned(),
        prompt: "hi".to_owned(),
    };
    rt.block_on(complete(&request)).unwrap();
    rt.block_on(complete(&request)).unwrap();
    rt.block_on(complete(&Request {
        prompt: String::new(),
        ..request
    }))
    .unwrap_err();
    complete_sync(5);
    let text = exposition();
    let series = |s: &str| value_in(&text, s);
    assert_eq!(
        series("llm_requests_total{provider=\"acme\",model=\"acme-large\",outcome=\"success\"}"),
        Some(2.0)
    );
    assert_eq!(
        series("llm_requests_total{provider=\"acme\",model=\"acme-large\",outcome=\"failure\"}"),
        Some(1.0)
    );
    assert_eq!(
        series(
            "llm_request_duration_seconds_count{provider=\"acme\",model=\"acme-large\",outcome=\"success\"}"
        ),
        Some(2.0)
    );
    assert_eq!(
        series("llm_tokens_total{provider=\"acme\",model=\"acme-large\",direction=\"in\"}"),
        Some(20.0)
    );
    assert_eq!(
        series("llm_tokens_total{provider=\"acme\",model=\"acme-large\",direction=\"out\"}"),
        Some(40.0)
    );
    assert_eq!(
        series("llm_cost_usd_total{provider=\"acme\",model=\"acme-large\"}"),
        Some(0.1)
    );
    assert_eq!(
        series("llm_tokens_total{provider=\"local\",model=\"tiny\",direction=\"in\"}"),
        Some(5.0)
    );
    // The same, read typed, without creating anything.
    let success = RunOutcome::Success.index();
    assert_eq!(
        metrics_core::instrument::LLM_REQUESTS_TOTAL
            .find(["acme", "acme-large"], success)
            .map(metrics_core::Counter::get),
        Some(2)
    );
    assert_eq!(
        metrics_core::instrument::LLM_TOKENS_TOTAL
            .find(["local", "tiny"], metrics_core::Direction::In.index())
            .map(metrics_core::Counter::get),
        Some(5)
    );
    assert!(
        metrics_core::instrument::LLM_REQUESTS_TOTAL
            .find(["acme", "never-called"], success)
            .is_none()
    );
    assert!(!exposition().contains("never-called"));
}

// ---------------------------------------------------------------------------------------------------------------
// The hand-written built-in families, read back by a real parser.

#[instrument_tool]
fn checked_by_promtool(fail: bool) -> Result<(), ToolError> {
    if fail {
        Err(ToolError::RateLimited)
    } else {
        Ok(())
    }
}

#[test]
fn promtool_accepts_the_built_in_families() {
    let Some(promtool) = require_tool("promtool", "apt-get install prometheus") else {
        return;
    };
    // Some series with values, whatever the other tests have done by now.
    checked_by_promtool(true).unwrap_err();
    checked_by_promtool(false).unwrap();
    complete_sync(1);
    let text = exposition();
    let output = run_with_stdin(Command::new(promtool).args(["check", "metrics"]), &text);
    let report = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && report.trim().is_empty(),
        "promtool check metrics: {report}\n--- input\n{text}"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Tests users can write: typed reads, deltas, text comparison, families never recorded.

#[instrument_job]
fn read_back(fail: bool) -> Result<(), JobError> {
    if fail { Err(JobError::Timeout) } else { Ok(()) }
}

metrics! {
    namespace = "testing";

    /// Compared as text by the test below, recorded by it only.
    pub counter compared_total { outcome: Outcome }
    /// Declared beside it and never set.
    pub gauge forgotten_depth;
}

#[test]
fn preset_families_have_typed_reads_that_create_nothing() {
    let runs = metrics_core::instrument::JOB_RUNS_TOTAL
        .function("read_back")
        .expect("a linked function");
    assert_eq!(runs.module(), MODULE);
    read_back(false).unwrap();
    read_back(true).unwrap_err();
    assert_eq!(
        (
            runs.runs(RunOutcome::Success),
            runs.runs(RunOutcome::Failure),
            runs.in_flight()
        ),
        (1, 1, 0)
    );
    assert_eq!(runs.failures("timeout"), 1);
    assert_eq!(runs.failures("never_seen"), 0);
    assert!(runs.duration_sum(RunOutcome::Success) >= 0.0);
    assert!(
        metrics_core::instrument::JOB_RUNS_TOTAL
            .function_in("elsewhere", "read_back")
            .is_none()
    );
    assert!(
        metrics_core::instrument::TOOL_CALLS_TOTAL
            .function("read_back")
            .is_none()
    );
}

#[test]
fn a_delta_sees_only_what_happened_since_the_snapshot() {
    use metrics_core::testing::Snapshot;

    let registry = Registry::global().expect("valid");
    billing_delta::run();
    let before = Snapshot::of(registry);
    billing_delta::run();
    billing_delta::run();
    let delta = before.delta(registry);
    let labels = [
        ("function", "run"),
        ("module", "instrument::billing_delta"),
        ("outcome", "success"),
    ];
    assert_eq!(
        delta.value("job_runs_total", &labels),
        2.0,
        "the run before the snapshot is not counted"
    );
    assert_eq!(delta.value("job_run_duration_seconds_count", &labels), 2.0);
    assert_eq!(
        Snapshot::of(registry).value("job_runs_total", &labels),
        Some(3.0)
    );
    assert!(
        delta
            .changes()
            .iter()
            .any(|(name, labels, change)| *name == "job_runs_total"
                && labels.contains(&("module", "instrument::billing_delta"))
                && *change == 2.0),
        "{:?}",
        delta.changes()
    );
}

mod billing_delta {
    #[metrics_core::instrument_job]
    pub fn run() {}
}

#[test]
fn the_exposition_of_named_families_compares_with_expected_text() {
    let registry = Registry::global().expect("valid");
    COMPARED_TOTAL.labels(Outcome::Success).inc_by(2);
    metrics_core::testing::compare_exposition(
        registry,
        &["testing_compared_total"],
        r#"
        # HELP testing_compared_total Compared as text by the test below, recorded by it only.
        # TYPE testing_compared_total counter
        testing_compared_total{outcome="success"} 2
        testing_compared_total{outcome="failure"} 0
        "#,
    )
    .unwrap_or_else(|mismatch| panic!("{mismatch}"));
    let mismatch = metrics_core::testing::compare_exposition(
        registry,
        &["testing_compared_total"],
        r#"testing_compared_total{outcome="success"} 3"#,
    )
    .expect_err("a different value");
    assert!(
        mismatch
            .missing
            .contains(&r#"testing_compared_total{outcome="success"} 3"#.to_owned())
    );
    assert!(
        mismatch
            .unexpected
            .contains(&r#"testing_compared_total{outcome="success"} 2"#.to_owned())
    );

    let unrecorded =
        metrics_core::testing::check_recorded(registry, &[]).expect_err("one is forgotten");
    assert!(
        unrecorded.0.contains(&"testing_forgotten_depth"),
        "{unrecorded}"
    );
    assert!(
        !unrecorded.0.contains(&"testing_compared_total"),
        "{unrecorded}"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Values read from the return value.

metrics! {
    namespace = "returned";

    /// Response sizes by route.
    pub histogram response_bytes { route: Outcome, buckets = [100.0, 1000.0] }
    /// Tokens by direction.
    pub counter tokens_total { direction: metrics_core::Direction }
}

#[derive(Debug)]
struct Reply {
    body: Vec<u8>,
    prompt_tokens: u64,
    completion_tokens: u64,
}

#[measure(
    value(RESPONSE_BYTES, route = Outcome::Success, returned = |r| r.as_ref().ok().map(|reply| reply.body.len() as f64)),
    value(TOKENS_TOTAL, direction = metrics_core::Direction::In, returned = |r| r.as_ref().map_or(0, |reply| reply.prompt_tokens)),
    value(TOKENS_TOTAL, direction = metrics_core::Direction::Out, returned = |r| r.as_ref().ok().map(|reply| reply.completion_tokens)),
)]
async fn answer(size: usize) -> Result<Reply, JobError> {
    tokio::task::yield_now().await;
    if size == 0 {
        return Err(JobError::Timeout);
    }
    Ok(Reply {
        body: vec![0; size],
        prompt_tokens: 7,
        completion_tokens: 11,
    })
}

#[test]
fn values_read_from_the_return_value_are_recorded_into_user_families() {
    let rt = runtime();
    rt.block_on(answer(500)).unwrap();
    rt.block_on(answer(50)).unwrap();
    rt.block_on(answer(0)).unwrap_err();
    let sizes = RESPONSE_BYTES.labels(Outcome::Success);
    assert_eq!(sizes.count(), 2, "the failure recorded no size");
    assert!((sizes.sum() - 550.0).abs() < 1e-9);
    assert_eq!(TOKENS_TOTAL.labels(metrics_core::Direction::In).get(), 14);
    assert_eq!(TOKENS_TOTAL.labels(metrics_core::Direction::Out).get(), 22);
}

// ---------------------------------------------------------------------------------------------------------------
// The outcome and the reason under the application's own label names and values.

/// A seed's own status values, checked at compile time through `From<RunOutcome>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum A2aStatus {
    Ok,
    Error,
}

impl From<RunOutcome> for A2aStatus {
    fn from(outcome: RunOutcome) -> Self {
        if outcome == RunOutcome::Success {
            Self::Ok
        } else {
            Self::Error
        }
    }
}

metrics! {
    /// A2A requests by agent and status.
    pub counter a2a_requests_total { agent: Outcome, status: A2aStatus }
    /// A2A errors by error type.
    pub counter a2a_errors_total { error_type: BoundedStr<8> }
}

#[measure(
    count(A2A_REQUESTS_TOTAL, agent = Outcome::Success, status(outcome)),
    errors(A2A_ERRORS_TOTAL, error_type(reason)),
)]
fn a2a_call(fail: bool) -> Result<(), JobError> {
    if fail { Err(JobError::Timeout) } else { Ok(()) }
}

#[test]
fn the_outcome_and_reason_go_into_labels_of_the_applications_names() {
    a2a_call(false).unwrap();
    a2a_call(true).unwrap_err();
    a2a_call(true).unwrap_err();
    assert_eq!(
        A2A_REQUESTS_TOTAL
            .labels(Outcome::Success, A2aStatus::Ok)
            .get(),
        1
    );
    assert_eq!(
        A2A_REQUESTS_TOTAL
            .labels(Outcome::Success, A2aStatus::Error)
            .get(),
        2
    );
    assert_eq!(
        A2A_ERRORS_TOTAL
            .find_labels("timeout")
            .map(metrics_core::Counter::get),
        Some(2)
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Configured presets: the attributes recording into the application's own families, names and labels.

mod configured {
    use metrics_core::{BoundedStr, Direction, LabelValue, Outcome, metrics};

    /// A job's kind: an argument of the job preset.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
    #[metrics(rename_all = "snake_case")]
    pub(crate) enum Kind {
        /// Runs each night.
        Nightly,
        /// Runs on demand.
        Adhoc,
    }

    /// How an LLM is called: an extra label of the LLM preset, given at the attribute.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
    #[metrics(rename_all = "snake_case")]
    pub(crate) enum CallMode {
        /// One answer.
        Chat,
        /// Streamed tokens.
        Stream,
    }

    metrics! {
        namespace = "app";

        /// Finished job runs by kind and result.
        pub(crate) counter job_runs_total { kind: Kind, result: Outcome }
        /// Job run duration by kind and result.
        pub(crate) histogram job_duration_seconds {
            kind: Kind, result: Outcome, buckets = [0.001, 0.01, 0.1, 1.0]
        }
        /// Job runs in progress by kind and worker.
        pub(crate) gauge jobs_running { kind: Kind, worker: BoundedStr<4> }
        /// Failed job runs by kind and error type.
        pub(crate) counter job_errors_total { kind: Kind, error_type: BoundedStr<8> }

        /// LLM calls by provider, model, mode and status.
        pub(crate) counter llm_calls_total {
            provider: BoundedStr<4>, model: BoundedStr<4>, mode: CallMode, status: Outcome
        }
        /// LLM tokens by provider, model and direction.
        pub(crate) counter llm_tokens_total { provider: BoundedStr<4>, model: BoundedStr<4>, direction: Direction }
        /// LLM cost by provider and model.
        pub(crate) counter llm_spend_usd_total: f64 { provider: BoundedStr<4>, model: BoundedStr<4>, unit = usd }
        /// LLM errors by provider and error code.
        pub(crate) counter llm_errors_total { provider: BoundedStr<4>, code: BoundedStr<8> }

        /// Jobs: every role, the outcome in `result`, the reason in `error_type`.
        pub(crate) preset jobs: job {
            runs = job_runs_total { result = outcome },
            duration = job_duration_seconds { result = outcome },
            in_flight = jobs_running,
            failures = job_errors_total { error_type = reason },
        }

        /// A tool preset over the same families, with the kind fixed.
        pub(crate) preset adhoc_tools: tool {
            runs = job_runs_total { kind = Kind::Adhoc, result = outcome },
        }

        /// Runs by function, module and result: the built-in families' shape under the application's names.
        pub(crate) counter function_runs_total {
            function: BoundedStr<8>, module: BoundedStr<4>, result: Outcome
        }
        /// Runs in progress by function.
        pub(crate) gauge functions_running { function: BoundedStr<8> }

        /// Labelled by the call site, as the built-in presets are.
        pub(crate) preset by_function: job {
            runs = function_runs_total { function, module, result = outcome },
            in_flight = functions_running { function },
        }

        /// LLM calls: requests by `status`, tokens, cost, errors by `code`; `mode` is an argument.
        pub(crate) preset llm: llm {
            requests = llm_calls_total { status = outcome },
            tokens = llm_tokens_total { direction },
            cost = llm_spend_usd_total,
            failures = llm_errors_total { code = reason },
        }
    }
}

use configured::{CallMode, Kind};

#[instrument_job(preset = configured::JOBS, labels(kind = kind, worker = "w1"))]
fn configured_job(kind: Kind, mode: Mode) -> Result<u32, JobError> {
    if let Mode::Ok = mode {
        // Inside the run, the worker's gauge is up.
        let running = configured::JOBS_RUNNING
            .find_labels(kind, "w1")
            .map(metrics_core::Gauge::get);
        assert_eq!(running, Some(1));
    }
    misbehave(mode)
}

#[instrument_job(preset = configured::JOBS, labels(kind = Kind::Adhoc, worker = "w2"))]
async fn configured_async_job(sleep: Duration) -> Result<(), JobError> {
    tokio::time::sleep(sleep).await;
    Err(JobError::Timeout)
}

#[instrument_tool(preset = configured::ADHOC_TOOLS)]
fn configured_tool() -> Result<(), ToolError> {
    Err(ToolError::RateLimited)
}

#[test]
fn a_configured_job_preset_records_into_the_declared_families() {
    use configured::{JOB_DURATION_SECONDS, JOB_ERRORS_TOTAL, JOB_RUNS_TOTAL, JOBS_RUNNING};
    let runs = |result| JOB_RUNS_TOTAL.labels(Kind::Nightly, result).get();
    configured_job(Kind::Nightly, Mode::Ok).unwrap();
    configured_job(Kind::Nightly, Mode::Ok).unwrap();
    configured_job(Kind::Nightly, Mode::Rejected).unwrap_err();
    catch_unwind(|| configured_job(Kind::Nightly, Mode::Panic)).unwrap_err();
    // A panic is a failure of the two-valued `result` label; only `Err` has a reason.
    assert_eq!((runs(Outcome::Success), runs(Outcome::Failure)), (2, 2));
    let durations = JOB_DURATION_SECONDS.labels(Kind::Nightly, Outcome::Success);
    assert_eq!(durations.count(), 2);
    let errors = |reason| {
        JOB_ERRORS_TOTAL
            .find_labels(Kind::Nightly, reason)
            .map(metrics_core::Counter::get)
    };
    assert_eq!(errors("rejected_by_upstream"), Some(1));
    assert_eq!(
        errors("timeout"),
        None,
        "a reason's series exists once it fails"
    );
    assert_eq!(
        JOBS_RUNNING
            .find_labels(Kind::Nightly, "w1")
            .map(metrics_core::Gauge::get),
        Some(0)
    );

    // Cancelled mid-await: a failure, and the gauge comes down.
    let rt = runtime();
    rt.block_on(async {
        let timed_out = tokio::time::timeout(
            Duration::from_millis(5),
            configured_async_job(Duration::from_secs(5)),
        )
        .await;
        assert!(timed_out.is_err());
        configured_async_job(Duration::ZERO).await.unwrap_err();
    });
    assert_eq!(
        JOB_RUNS_TOTAL.labels(Kind::Adhoc, Outcome::Failure).get(),
        2
    );
    assert_eq!(
        JOB_ERRORS_TOTAL
            .find_labels(Kind::Adhoc, "timeout")
            .map(metrics_core::Counter::get),
        Some(1),
        "the cancelled run has no reason"
    );
    assert_eq!(
        JOBS_RUNNING
            .find_labels(Kind::Adhoc, "w2")
            .map(metrics_core::Gauge::get),
        Some(0)
    );

    // The tool preset shares the runs family, its kind fixed in the preset.
    configured_tool().unwrap_err();
    assert_eq!(
        JOB_RUNS_TOTAL.labels(Kind::Adhoc, Outcome::Failure).get(),
        3
    );

    // The built-in families know none of these functions, and the exposition names are the declared ones.
    assert!(
        metrics_core::instrument::JOB_RUNS_TOTAL
            .function("configured_job")
            .is_none()
    );
    let text = exposition();
    assert_eq!(
        value_in(
            &text,
            "app_job_runs_total{kind=\"nightly\",result=\"success\"}"
        ),
        Some(2.0)
    );
    assert!(text.contains(
        "app_job_duration_seconds_bucket{kind=\"nightly\",result=\"success\",le=\"0.001\"}"
    ));
}

#[instrument_job(preset = configured::BY_FUNCTION)]
fn site_labelled(fail: bool) -> Result<(), JobError> {
    let running = configured::FUNCTIONS_RUNNING
        .find_labels("site_labelled")
        .map(metrics_core::Gauge::get);
    assert_eq!(running, Some(1));
    if fail { Err(JobError::Timeout) } else { Ok(()) }
}

struct SiteWorker;

impl SiteWorker {
    #[instrument_job(preset = configured::BY_FUNCTION)]
    async fn work(&self) {}
}

#[test]
fn a_configured_preset_labels_by_function_and_module() {
    use configured::FUNCTION_RUNS_TOTAL;
    site_labelled(false).unwrap();
    site_labelled(true).unwrap_err();
    runtime().block_on(SiteWorker.work());
    let runs = |function, result| {
        FUNCTION_RUNS_TOTAL
            .find_labels(function, MODULE, result)
            .map(metrics_core::Counter::get)
    };
    assert_eq!(runs("site_labelled", Outcome::Success), Some(1));
    assert_eq!(runs("site_labelled", Outcome::Failure), Some(1));
    assert_eq!(runs("SiteWorker::work", Outcome::Success), Some(1));
}

#[instrument_llm(
    preset = configured::LLM,
    labels(provider = "acme", model = &request.model, mode = CallMode::Stream),
)]
async fn configured_complete(request: &Request) -> Result<Completion, ToolError> {
    if request.prompt.is_empty() {
        return Err(ToolError::RateLimited);
    }
    Ok(Completion {
        prompt_tokens: 10,
        completion_tokens: 20,
    })
}

#[test]
fn a_configured_llm_preset_records_requests_tokens_cost_and_error_codes() {
    use configured::{LLM_CALLS_TOTAL, LLM_ERRORS_TOTAL, LLM_SPEND_USD_TOTAL, LLM_TOKENS_TOTAL};
    let rt = runtime();
    let request = Request {
        model: "m1".to_owned(),
        prompt: "hi".to_owned(),
    };
    rt.block_on(configured_complete(&request)).unwrap();
    rt.block_on(configured_complete(&Request {
        prompt: String::new(),
        model: "m1".to_owned(),
    }))
    .unwrap_err();
    let calls = |status| {
        LLM_CALLS_TOTAL
            .find_labels("acme", "m1", CallMode::Stream, status)
            .map(metrics_core::Counter::get)
    };
    assert_eq!(
        (calls(Outcome::Success), calls(Outcome::Failure)),
        (Some(1), Some(1))
    );
    let tokens = |direction| {
        LLM_TOKENS_TOTAL
            .find_labels("acme", "m1", direction)
            .map(metrics_core::Counter::get)
    };
    assert_eq!(
        (
            tokens(metrics_core::Direction::In),
            tokens(metrics_core::Direction::Out)
        ),
        (Some(10), Some(20))
    );
    let spend = LLM_SPEND_USD_TOTAL
        .find_labels("acme", "m1")
        .map(metrics_core::FloatCounter::get);
    assert!(
        spend.is_some_and(|usd| (usd - 0.05).abs() < 1e-9),
        "{spend:?}"
    );
    assert_eq!(
        LLM_ERRORS_TOTAL
            .find_labels("acme", "rate_limited")
            .map(metrics_core::Counter::get),
        Some(1)
    );
    // Nothing went to the built-in LLM families.
    let text = exposition();
    assert!(
        !text.contains("llm_requests_total{provider=\"acme\",model=\"m1\""),
        "{text}"
    );
}
