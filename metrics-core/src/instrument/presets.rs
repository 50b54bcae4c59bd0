//! Every built-in instrumentation preset, and its family statics: the one place in this crate to add a preset.
//!
//! A preset is a [`Preset`] value listing its families; the attribute's expansion names the value (one item per
//! preset) and links its families, so a binary that never uses a preset exposes none of its families and does not
//! reserve their names. To add a per-function preset, add a value below with its four families and a variant to
//! the macro's preset enum (`metrics-macros/src/instrument/plan.rs`); `__private::presets` re-exports this module
//! whole. The family statics users may read are listed, deliberately, in `instrument/mod.rs`.

use super::families::{OperationFamily, Which};
use super::preset::{FunctionFamilies, Named, Preset};
use super::{RUN_BUCKETS, RunOutcome};
use crate::family::{
    BoundedFamily, Descriptor, LabelDescriptor, LabelValues, MetricKind, SourceLocation,
};
use crate::label::{Direction, Interner, LabelValue};
use crate::metric::{Counter, FloatCounter, Histogram};

// ---------------------------------------------------------------------------------------------------------------
// `#[instrument_job]`

/// The `job_*` families, labelled by `function` and `module`.
pub static JOB: Preset = Preset::per_function(
    FunctionFamilies {
        runs: Named {
            name: "job_runs_total",
            help: "Runs of each #[instrument_job] function, by outcome (success, failure, panic, cancelled).",
        },
        duration: Named {
            name: "job_run_duration_seconds",
            help: "Duration of each #[instrument_job] function's runs, by outcome.",
        },
        in_flight: Named {
            name: "job_runs_in_flight",
            help: "Runs of each #[instrument_job] function in progress now.",
        },
        failures: Named {
            name: "job_failures_total",
            help: "Runs of each #[instrument_job] function that returned an error, by the error's reason.",
        },
    },
    &[
        &JOB_RUNS_TOTAL,
        &JOB_RUN_DURATION_SECONDS,
        &JOB_RUNS_IN_FLIGHT,
        &JOB_FAILURES_TOTAL,
    ],
);

/// Function runs by function, module and outcome.
pub static JOB_RUNS_TOTAL: OperationFamily = OperationFamily::new(&JOB, Which::Runs);
/// Run duration by function, module and outcome.
pub static JOB_RUN_DURATION_SECONDS: OperationFamily = OperationFamily::new(&JOB, Which::Duration);
/// Runs in progress by function and module.
pub static JOB_RUNS_IN_FLIGHT: OperationFamily = OperationFamily::new(&JOB, Which::InFlight);
/// Failed runs (an `Err` returned) by function, module and reason.
pub static JOB_FAILURES_TOTAL: OperationFamily = OperationFamily::new(&JOB, Which::Failures);

// ---------------------------------------------------------------------------------------------------------------
// `#[instrument_tool]`

/// The `tool_*` families, labelled by `function` and `module`.
pub static TOOL: Preset = Preset::per_function(
    FunctionFamilies {
        runs: Named {
            name: "tool_calls_total",
            help: "Calls of each #[instrument_tool] function, by outcome (success, failure, panic, cancelled).",
        },
        duration: Named {
            name: "tool_call_duration_seconds",
            help: "Latency of each #[instrument_tool] function's calls, by outcome.",
        },
        in_flight: Named {
            name: "tool_calls_in_flight",
            help: "Calls of each #[instrument_tool] function in progress now.",
        },
        failures: Named {
            name: "tool_errors_total",
            help: "Calls of each #[instrument_tool] function that returned an error, by the error's reason.",
        },
    },
    &[
        &TOOL_CALLS_TOTAL,
        &TOOL_CALL_DURATION_SECONDS,
        &TOOL_CALLS_IN_FLIGHT,
        &TOOL_ERRORS_TOTAL,
    ],
);

/// Tool calls by function, module and outcome.
pub static TOOL_CALLS_TOTAL: OperationFamily = OperationFamily::new(&TOOL, Which::Runs);
/// Tool call latency by function, module and outcome.
pub static TOOL_CALL_DURATION_SECONDS: OperationFamily =
    OperationFamily::new(&TOOL, Which::Duration);
/// Tool calls in progress by function and module.
pub static TOOL_CALLS_IN_FLIGHT: OperationFamily = OperationFamily::new(&TOOL, Which::InFlight);
/// Tool errors by function, module and reason.
pub static TOOL_ERRORS_TOTAL: OperationFamily = OperationFamily::new(&TOOL, Which::Failures);

// ---------------------------------------------------------------------------------------------------------------
// `#[instrument_llm]`
//
// Provider and model are open sets (new models ship every month), so they are bounded string labels: at most
// `PROVIDER_CAP` providers and `MODEL_CAP` models, past which values go to the overflow series.

/// The most distinct providers the LLM families keep.
pub const PROVIDER_CAP: usize = 8;
/// The most distinct models the LLM families keep.
pub const MODEL_CAP: usize = 32;

/// The `llm_*` families, labelled by the provider and model given at each call.
pub static LLM: Preset = Preset::per_call(&[
    &LLM_REQUESTS_TOTAL,
    &LLM_REQUEST_DURATION_SECONDS,
    &LLM_TOKENS_TOTAL,
    &LLM_COST_USD_TOTAL,
]);

const LOCATION: SourceLocation = crate::source_location!();
const PROVIDER: LabelDescriptor =
    LabelDescriptor::new("provider", LabelValues::Bounded { cap: PROVIDER_CAP });
const MODEL: LabelDescriptor =
    LabelDescriptor::new("model", LabelValues::Bounded { cap: MODEL_CAP });
const OUTCOME: LabelDescriptor =
    LabelDescriptor::new("outcome", LabelValues::Enum(RunOutcome::VALUES));
const DIRECTION: LabelDescriptor =
    LabelDescriptor::new("direction", LabelValues::Enum(Direction::VALUES));

const fn llm_interners() -> [Interner; 2] {
    [Interner::new(PROVIDER_CAP), Interner::new(MODEL_CAP)]
}

/// LLM requests by provider, model and outcome.
///
/// Read without creating a series with `LLM_REQUESTS_TOTAL.find([provider, model], outcome.index())`
/// ([`LabelValue::index`](crate::LabelValue::index) of the [`RunOutcome`]); the other LLM families likewise, with
/// the [`Direction`](crate::Direction) index for tokens and 0 for cost.
pub static LLM_REQUESTS_TOTAL: BoundedFamily<Counter, 2> = BoundedFamily::new(
    &Descriptor::new(
        "llm_requests_total",
        "LLM requests made through #[instrument_llm] functions, by provider, model and outcome.",
        MetricKind::Counter,
        LOCATION,
    )
    .with_labels(&[PROVIDER, MODEL, OUTCOME]),
    llm_interners(),
    RunOutcome::CARDINALITY,
    Counter::new,
);

/// LLM request latency by provider, model and outcome.
pub static LLM_REQUEST_DURATION_SECONDS: BoundedFamily<Histogram<{ RUN_BUCKETS.len() + 1 }>, 2> =
    BoundedFamily::new(
        &Descriptor::new(
            "llm_request_duration_seconds",
            "Latency of LLM requests made through #[instrument_llm] functions, by provider, model and outcome.",
            MetricKind::Histogram,
            LOCATION,
        )
        .with_unit("seconds")
        .with_labels(&[PROVIDER, MODEL, OUTCOME])
        .with_buckets(&RUN_BUCKETS),
        llm_interners(),
        RunOutcome::CARDINALITY,
        || Histogram::new(&RUN_BUCKETS),
    );

/// Tokens by provider, model and direction (`in` for the prompt, `out` for the completion).
pub static LLM_TOKENS_TOTAL: BoundedFamily<Counter, 2> = BoundedFamily::new(
    &Descriptor::new(
        "llm_tokens_total",
        "Tokens of successful LLM requests, by provider, model and direction (in: prompt, out: completion).",
        MetricKind::Counter,
        LOCATION,
    )
    .with_labels(&[PROVIDER, MODEL, DIRECTION]),
    llm_interners(),
    Direction::CARDINALITY,
    Counter::new,
);

/// Cost in US dollars by provider and model.
pub static LLM_COST_USD_TOTAL: BoundedFamily<FloatCounter, 2> = BoundedFamily::new(
    &Descriptor::new(
        "llm_cost_usd_total",
        "Cost in US dollars of successful LLM requests, by provider and model.",
        MetricKind::Counter,
        LOCATION,
    )
    .with_unit("usd")
    .with_labels(&[PROVIDER, MODEL]),
    llm_interners(),
    1,
    FloatCounter::new,
);
