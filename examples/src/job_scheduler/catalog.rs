//! The scheduler's catalog: the metrics reference, recording and alerting rules with their promtool tests, and
//! the three dashboards of its metrics plan (queue health, reliability, cost and LLM), all derived from the
//! families in [`super::metrics`] and the objectives declared on them there. The seed's plan gives no
//! thresholds: the objectives are this example's own (tool calls 99 % successful, 95 % of runs within 2.56 s,
//! claims never absent, lease expiries and in-flight jobs bounded).
//!
//! The generated files are committed in `examples/src/job_scheduler/generated/`; `tests/tests/catalog.rs`
//! fails when they differ from what this writes (`METRICS_CATALOG=overwrite` re-blesses them). Write them by
//! hand with `cargo run -p examples --example job_scheduler -- --emit-catalog DIR`.

use metrics_catalog::{Catalog, Error, Settings};

use super::exposition::{self, Policy};

/// The policy the committed catalog describes: the default served registry (no `tenant` label) plus the
/// router's rank score, so that every family of the plan is in it.
pub const CATALOG_POLICY: Policy = Policy {
    label_tenant: false,
    router_score_v2: true,
};

/// The folder of the committed catalog, relative to the workspace root.
pub const GENERATED_DIR: &str = "examples/src/job_scheduler/generated";

/// The catalog, written with `settings` (the defaults for the committed files; a time scale for a fast
/// end-to-end test).
///
/// # Errors
///
/// When the registry or an objective is refused.
pub fn catalog(settings: Settings) -> Result<Catalog, Error> {
    let registry = exposition::build(CATALOG_POLICY).map_err(Error::new)?;
    // The plan's families; the server's own (`http_*`) are served but not recorded by this example.
    Catalog::builder("Job scheduler", &registry)
        .only(&["cogo_"])
        .dashboard(
            "Queue health",
            &[
                "cogo_scheduler_",
                "cogo_job_lease_",
                "cogo_job_latency_",
                "cogo_worker_",
            ],
        )
        .dashboard(
            "Reliability",
            &[
                "cogo_job_retries_",
                "cogo_job_failures_",
                "cogo_job_dlq_",
                "cogo_tool_",
            ],
        )
        .dashboard("Cost and LLM", &["cogo_llm_", "cogo_router_"])
        .settings(settings)
        .build()
}
