//! The instrumentation attributes' public side: the built-in families they record into, and the types a user
//! names around them.
//!
//! `#[instrument_job]`, `#[instrument_tool]` and `#[instrument_llm]` each record into the families of one preset;
//! a binary that uses a preset exposes its families, which are these statics: register them by hand with
//! [`RegistryBuilder::register`](crate::RegistryBuilder::register) when the `linkme` feature is off, or read
//! their descriptors. [`RunOutcome`], [`ErrorReason`] and [`LlmUsage`] are also at the crate root.
//!
//! ```
//! use metrics_core::{Family as _, instrument};
//!
//! let runs = instrument::JOB_RUNS_TOTAL.descriptor();
//! assert_eq!(runs.name, "job_runs_total");
//! let labels: Vec<_> = runs.labels.iter().map(|label| label.name).collect();
//! assert_eq!(labels, ["function", "module", "outcome"]);
//! ```
//!
//! The rest of this module is the attributes' runtime, used only by the code they generate (through
//! `__private`): a static `Operation` per function (its cells) and a `Measure` guard that records the run
//! however it ends: returned (success or failure, with the error's [`ErrorReason`]), panicked, or cancelled (a
//! future dropped before it finished).

pub(crate) mod classify;
pub(crate) mod configured;
pub(crate) mod families;
mod function;
pub(crate) mod llm;
pub(crate) mod measure;
pub(crate) mod operation;
mod outcome;
pub(crate) mod preset;
pub(crate) mod presets;
mod reason;
pub(crate) mod recorder;
pub(crate) mod slice;
mod started;
pub(crate) mod target;
pub(crate) mod value;

pub use families::{FUNCTION_LABEL, FunctionRuns, MODULE_LABEL, OperationFamily};
pub use llm::LlmUsage;
pub use outcome::RunOutcome;
pub use presets::{
    JOB_FAILURES_TOTAL, JOB_RUN_DURATION_SECONDS, JOB_RUNS_IN_FLIGHT, JOB_RUNS_TOTAL,
    LLM_COST_USD_TOTAL, LLM_REQUEST_DURATION_SECONDS, LLM_REQUESTS_TOTAL, LLM_TOKENS_TOTAL,
    MODEL_CAP, PROVIDER_CAP, TOOL_CALL_DURATION_SECONDS, TOOL_CALLS_IN_FLIGHT, TOOL_CALLS_TOTAL,
    TOOL_ERRORS_TOTAL,
};
pub use reason::ErrorReason;
pub use recorder::{Recorder, recorded_by, recorders};

pub(crate) use classify::Returned;
pub(crate) use operation::{Operation, REASON_CAP, RUN_BUCKETS};
