//! The orchestrator's catalog: the metrics reference, recording and alerting rules with their promtool tests,
//! and the seed's four dashboards (task execution overview, worker performance, system health, resilience, the
//! last with value mappings for the breaker states), all derived from the families in [`super::metrics`], the
//! channel collector's, and the objectives declared on them.
//!
//! The seed's alert thresholds: rejections above 10 a second for 2 minutes (an increase of more than 1200 in
//! 2 minutes, declared on `api_requests_rejected_total`), slow completion sends likewise (a warning), a breaker
//! open for a minute (on the `tasker_circuit_breaker_state` state set), and channel saturation above 80 % for
//! 15 minutes (a warning) and above 90 % for 5 minutes (critical), `channel_depth` over `channel_capacity`, with
//! any `channel_full_total` increase within 5 minutes (backpressure) a warning. The channel families belong to
//! `metrics_collectors::channel`, so their objectives are added here, at run time.
//!
//! The generated files are committed in `examples/src/workflow_orchestrator/generated/`; `tests/tests/catalog.rs`
//! fails when they differ from what this writes (`METRICS_CATALOG=overwrite` re-blesses them). Write them by
//! hand with `cargo run -p examples --example workflow_orchestrator -- --emit-catalog DIR`.

use metrics_catalog::{Catalog, Error, Settings};
use metrics_core::{Objective, Rule, Severity};

/// The folder of the committed catalog, relative to the workspace root.
pub const GENERATED_DIR: &str = "examples/src/workflow_orchestrator/generated";

/// The catalog, written with `settings` (the defaults for the committed files; a time scale for a fast
/// end-to-end test).
///
/// # Errors
///
/// When the registry or an objective is refused.
pub fn catalog(settings: Settings) -> Result<Catalog, Error> {
    let registry = super::registry().map_err(Error::new)?;
    // The seed's families and the channel collector's; not the server's or the exporter's own.
    let overview: &[&str] = &[
        "tasker_tasks_requests_",
        "tasker_tasks_completions_",
        "tasker_tasks_failures_",
        "tasker_task_initialization_",
        "tasker_steps_enqueued_",
        "tasker_steps_ready",
    ];
    let workers: &[&str] = &[
        "tasker_steps_executions_",
        "tasker_steps_successes_",
        "tasker_steps_failures_",
        "tasker_steps_claimed_",
        "tasker_steps_results_submitted_",
        "tasker_step_execution_",
        "tasker_step_claim_",
        "tasker_step_result_submission_",
        "tasker_steps_active_",
    ];
    let health: &[&str] = &[
        "tasker_tasks_active",
        "tasker_task_finalization_",
        "tasker_step_results_processed_",
        "tasker_step_result_processing_",
    ];
    let resilience: &[&str] = &[
        "tasker_circuit_breaker_",
        "api_requests_rejected_",
        "ffi_completion_",
        "channel_",
    ];
    let all: Vec<&str> = [overview, workers, health, resilience].concat();
    Catalog::builder("Workflow orchestrator", registry)
        .only(&all)
        .dashboard("Task execution overview", overview)
        .dashboard("Worker performance", workers)
        .dashboard("System health", health)
        .dashboard("Resilience", resilience)
        .objective(
            "channel_depth",
            Objective::above("saturation", 0.8, 15 * 60)
                .of("channel_capacity")
                .severity(Severity::Warning)
                .summary("A channel has been more than 80 % full for 15 minutes")
                .runbook_url("https://runbooks.example.invalid/tasker/channel-saturation"),
        )
        .objective(
            "channel_depth",
            Objective::above("saturation_high", 0.9, 5 * 60)
                .of("channel_capacity")
                .summary("A channel has been more than 90 % full for 5 minutes")
                .runbook_url("https://runbooks.example.invalid/tasker/channel-saturation"),
        )
        .objective(
            "channel_full_total",
            Objective::new(
                "backpressure",
                Rule::Increase {
                    value: 0.0,
                    for_secs: 5 * 60,
                },
            )
            .severity(Severity::Warning)
            .summary("A channel was full: senders waited (backpressure)")
            .runbook_url("https://runbooks.example.invalid/tasker/channel-saturation"),
        )
        .settings(settings)
        .build()
}
