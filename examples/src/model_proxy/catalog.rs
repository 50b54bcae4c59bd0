//! The model proxy's catalog: the metrics reference, recording and alerting rules with their promtool tests,
//! and three dashboards (traffic, worker, tool buffers), all derived from the families in [`super::metrics`]
//! and the objectives declared on them there.
//!
//! The story asks for alerts on throughput, latency, error rate, restart rate, maintenance state and tool-buffer
//! anomalies "tied to NFR002/FR011" without their figures, so the thresholds are this example's own: 95 % of
//! chat completions within 5 s (the non-streaming budget, a bucket bound), requests 95 % successful, more than
//! 3 worker restarts in 15 m, the worker not ready for 5 m, maintenance on for 30 m, more than 10 tool buffers
//! dropped in 15 m, and the request counter never absent.
//!
//! The generated files are committed in `examples/src/model_proxy/generated/`; `tests/tests/catalog.rs` fails
//! when they differ from what this writes (`METRICS_CATALOG=overwrite` re-blesses them). Write them by hand with
//! `cargo run -p examples --example model_proxy -- --emit-catalog DIR`.

use metrics_catalog::{Catalog, Error, Settings};

/// The folder of the committed catalog, relative to the workspace root.
pub const GENERATED_DIR: &str = "examples/src/model_proxy/generated";

/// The catalog of the default policy (the `model` label on), written with `settings` (the defaults for the
/// committed files; a time scale for a fast end-to-end test).
///
/// # Errors
///
/// When the registry or an objective is refused, or the process already serves the other `model` policy.
pub fn catalog(settings: Settings) -> Result<Catalog, Error> {
    let registry = super::registry(true).map_err(Error::new)?;
    // The proxy's own families; not the scrape server's or the process collector's.
    Catalog::builder("Model proxy", registry)
        .only(&["codex_"])
        .dashboard("Traffic", &["codex_http_", "codex_active_streams"])
        .dashboard("Worker", &["codex_worker_", "codex_maintenance_"])
        .dashboard("Tool buffers", &["codex_tool_buffer_"])
        .settings(settings)
        .build()
}
