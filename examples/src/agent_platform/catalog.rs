//! The agent platform's catalog: the metrics reference, recording and alerting rules with their promtool tests,
//! and the seed's dashboard (its sections as one dashboard: A2A requests, CCR providers, rate limiting and cache),
//! all derived from the families in [`super::metrics`] and the objectives declared on them there.
//!
//! The seed states no alert threshold, so the objectives are this example's own: 99 % of A2A requests
//! successful over 30 days (the simulation fails 5 % by default: the slow burn, 1x, goes off by design),
//! 95 % of them within 2.5 s (a bucket bound of the seed's A2A buckets), 80 % of cache reads hits over a day (a
//! warning), and `a2a_requests_total` absent for 5 minutes (critical).
//!
//! The generated files are committed in `examples/src/agent_platform/generated/`; `tests/tests/catalog.rs`
//! fails when they differ from what this writes (`METRICS_CATALOG=overwrite` re-blesses them). Write them by
//! hand with `cargo run -p examples --example agent_platform -- --emit-catalog DIR`.

use metrics_catalog::{Catalog, Error, Settings};

/// The folder of the committed catalog, relative to the workspace root.
pub const GENERATED_DIR: &str = "examples/src/agent_platform/generated";

/// The catalog, written with `settings` (the defaults for the committed files; a time scale for a fast
/// end-to-end test).
///
/// # Errors
///
/// When the registry or an objective is refused.
pub fn catalog(settings: Settings) -> Result<Catalog, Error> {
    let registry = super::registry().map_err(Error::new)?;
    // The seed's families; not the server's own (`http_*`, scrape counters).
    let families: &[&str] = &["agentos_", "a2a_", "ccr_", "rate_limit_", "cache_"];
    Catalog::builder("Agent platform", registry)
        .only(families)
        .dashboard("Agent platform", families)
        .settings(settings)
        .build()
}
