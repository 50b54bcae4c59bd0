//! Runtime of the instrumentation attributes: `#[instrument_job]`, `#[instrument_tool]`, `#[instrument_llm]` and
//! the general `#[measure]`.
//!
//! The attributes emit, inside each function, a static [`Operation`] (its cells) and a [`Measure`] guard that
//! records the run however it ends: returned (success or failure, with the error's [`ErrorReason`]), panicked, or
//! cancelled (a future dropped before it finished). Everything here except [`RunOutcome`], [`ErrorReason`],
//! [`LlmUsage`] and the family statics is for generated code.

pub(crate) mod classify;
mod families;
pub(crate) mod llm;
pub(crate) mod measure;
mod operation;
mod outcome;
mod reason;
pub(crate) mod slice;

pub use classify::{GENERIC_REASON, Returned};
pub use families::{
    JOB_FAILURES_TOTAL, JOB_RUN_DURATION_SECONDS, JOB_RUNS_IN_FLIGHT, JOB_RUNS_TOTAL,
    OperationFamily, TOOL_CALL_DURATION_SECONDS, TOOL_CALLS_IN_FLIGHT, TOOL_CALLS_TOTAL,
    TOOL_ERRORS_TOTAL,
};
pub use llm::{
    LLM_COST_USD_TOTAL, LLM_REQUEST_DURATION_SECONDS, LLM_REQUESTS_TOTAL, LLM_TOKENS_TOTAL,
    LlmResponse, LlmUsage, MODEL_CAP, PROVIDER_CAP,
};
pub use measure::Measure;
pub use operation::{Operation, OperationKind, REASON_CAP, RUN_BUCKETS};
pub use outcome::RunOutcome;
pub use reason::ErrorReason;
