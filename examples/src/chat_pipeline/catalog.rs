//! The chat pipeline's catalog: the metrics reference, recording and alerting rules with their promtool tests,
//! and four dashboards (gateway, LLM and memory, backlog and reliability, budgets and ops), all derived from the
//! families in [`super::metrics`] and the objectives declared on them there.
//!
//! The roadmap names the alerts without numbers, so the thresholds are this example's own: degraded mode
//! (`somabrain_bypass_total` rising), the memory service's breaker open for 1 m, the degraded buffer not
//! drained for 10 m, an outbox backlog above 1000 rows for 15 m, a tenant overrunning its budget, health checks
//! and LLM calls 99 % successful, 95 % of answers within 5 s, and the gateway's messages never absent.
//!
//! The generated files are committed in `examples/src/chat_pipeline/generated/`; `tests/tests/catalog.rs`
//! fails when they differ from what this writes (`METRICS_CATALOG=overwrite` re-blesses them). Write them by
//! hand with `cargo run -p examples --example chat_pipeline -- --emit-catalog DIR`.

use metrics_catalog::{Catalog, Error, Settings};

/// The folder of the committed catalog, relative to the workspace root.
pub const GENERATED_DIR: &str = "examples/src/chat_pipeline/generated";

/// The catalog, written with `settings` (the defaults for the committed files; a time scale for a fast
/// end-to-end test).
///
/// # Errors
///
/// When the registry or an objective is refused.
pub fn catalog(settings: Settings) -> Result<Catalog, Error> {
    let registry = super::registry().map_err(Error::new)?;
    // The roadmap's families and the process collector's; not the server's own (`http_*`, scrape counters).
    let gateway: &[&str] = &[
        "chat_",
        "sessions_",
        "attachment",
        "sse_",
        "event_to_response_",
    ];
    let llm: &[&str] = &[
        "llm_",
        "somabrain_",
        "circuit_state",
        "assistant_",
        "context_build_",
    ];
    let backlog: &[&str] = &[
        "degraded_buffer_",
        "outbox_",
        "wal_",
        "redis_",
        "kafka_",
        "postgres_",
    ];
    let ops: &[&str] = &["tenant_budget_", "health_checks_", "process_"];
    let all: Vec<&str> = [gateway, llm, backlog, ops].concat();
    Catalog::builder("Chat pipeline", registry)
        .only(&all)
        .dashboard("Gateway", gateway)
        .dashboard("LLM and memory", llm)
        .dashboard("Backlog and reliability", backlog)
        .dashboard("Budgets and ops", ops)
        .settings(settings)
        .build()
}
