//! A preset declared in `metrics!` with the application's names, buckets and label names, used by every
//! attribute kind and by a method, an async fn and a fn returning a future; reads the values back.

use std::future::Future;

use metrics_core::{
    BoundedStr, Direction, ErrorReason, LabelValue, LlmUsage, Outcome, instrument_job, instrument_llm,
    instrument_tool, metrics,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
enum Step {
    Fetch,
    Parse,
}

#[derive(Debug, ErrorReason)]
enum StepError {
    Invalid,
}

metrics! {
    namespace = "pipeline";

    /// Step executions by step and result.
    pub counter step_executions_total { step: Step, result: Outcome }
    /// Step duration by result.
    pub histogram step_execution_duration_seconds { result: Outcome, buckets = [0.01, 0.1, 1.0] }
    /// Steps in progress by worker.
    pub gauge steps_running { worker: BoundedStr<4> }
    /// Step failures by step and error type.
    pub counter step_errors_total { step: Step, error_type: BoundedStr<4> }
    /// Tokens by model and direction.
    pub counter tokens_total { model: BoundedStr<4>, direction: Direction }
    /// Fetches, counted beside the preset by a target of the attribute.
    pub counter fetches_total;

    /// Steps.
    pub preset steps: job {
        runs = step_executions_total { result = outcome },
        duration = step_execution_duration_seconds { result = outcome },
        in_flight = steps_running,
        failures = step_errors_total { error_type = reason },
    }
    /// Fetch tools: the step fixed.
    pub preset fetches: tool { runs = step_executions_total { step = Step::Fetch, result = outcome } }
    /// LLM calls.
    pub preset calls: llm { tokens = tokens_total { direction } }
    /// LLM calls counted without reading the response: no `LlmUsage` needed.
    pub preset counted_calls: llm { requests = fetches_total }
}

struct Worker {
    id: String,
}

impl Worker {
    #[instrument_job(preset = STEPS, labels(step = step, worker = &self.id))]
    fn run(&mut self, step: Step, fail: bool) -> Result<(), StepError> {
        self.id.push('!');
        if fail { Err(StepError::Invalid) } else { Ok(()) }
    }
}

#[instrument_job(preset = STEPS, labels(step = Step::Parse, worker = "w2"))]
async fn parse() -> Result<(), StepError> {
    Ok(())
}

#[instrument_job(preset = STEPS, labels(step = Step::Parse, worker = "w3"))]
fn later() -> impl Future<Output = Result<(), StepError>> {
    async { Ok(()) }
}

#[instrument_tool(preset = FETCHES, count(FETCHES_TOTAL))]
fn fetch() {}

struct Completion;

impl LlmUsage for Completion {
    fn input_tokens(&self) -> u64 { 3 }
    fn output_tokens(&self) -> u64 { 4 }
}

#[instrument_llm(preset = CALLS, labels(model = "m1"))]
fn call() -> Completion {
    Completion
}

#[instrument_llm(preset = COUNTED_CALLS)]
fn call_plain() -> String {
    String::new()
}

fn main() {
    let mut worker = Worker { id: "w1".to_owned() };
    worker.run(Step::Fetch, false).unwrap();
    worker.run(Step::Fetch, true).unwrap_err();
    let _ = (parse(), later());
    fetch();
    call();
    let _ = call_plain();
    assert_eq!(STEP_EXECUTIONS_TOTAL.labels(Step::Fetch, Outcome::Success).get(), 2);
    assert_eq!(STEP_EXECUTIONS_TOTAL.labels(Step::Fetch, Outcome::Failure).get(), 1);
    assert_eq!(STEP_ERRORS_TOTAL.find_labels(Step::Fetch, "invalid").map(|c| c.get()), Some(1));
    // `later`'s future, dropped unpolled, is a cancelled run: a failure of the two-valued result.
    assert_eq!(STEP_EXECUTIONS_TOTAL.labels(Step::Parse, Outcome::Failure).get(), 1);
    // The tool preset has no duration role: only the worker's run is timed.
    assert_eq!(STEP_EXECUTION_DURATION_SECONDS.labels(Outcome::Success).count(), 1);
    assert_eq!(TOKENS_TOTAL.find_labels("m1", Direction::Out).map(|c| c.get()), Some(4));
    assert_eq!(FETCHES_TOTAL.get(), 2);
}
