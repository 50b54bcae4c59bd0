//! The chat pipeline example: a gateway, a conversation worker with a degraded mode that bypasses the memory
//! service, an outbox replicator, WAL publish and consume, tenant token budgets and health checks, with the
//! roadmap's metrics on the gateway's own router. See `examples::chat_pipeline` and
//! `examples/src/chat_pipeline/README.md`.
//!
//! ```text
//! cargo run -p examples --example chat_pipeline
//! curl -s http://127.0.0.1:9464/metrics | grep -E '^(somabrain|degraded|llm_|tenant_budget)'
//! ```
//!
//! An outage every 60 s, alternately of the memory service and of the primary LLM (`CHAT_OUTAGE_EVERY_SECONDS`,
//! `CHAT_OUTAGE_SECONDS`); `CHAT_TIME_SCALE=0.1` runs the simulation ten times faster. Every variable is listed
//! on `examples::chat_pipeline::Settings`.
//!
//! `--emit-catalog DIR` writes its catalog (metrics reference, Prometheus rules and their promtool tests, Grafana
//! dashboards) under `DIR` and exits.

use examples::chat_pipeline::{Settings, run};

fn main() {
    // `--emit-catalog DIR` writes the reference, the rules and their tests and the dashboards, then stops.
    match metrics_catalog::cli::handle_args(|| {
        examples::chat_pipeline::catalog::catalog(metrics_catalog::Settings::default())
    }) {
        Ok(true) => return,
        Ok(false) => {}
        Err(error) => {
            eprintln!("chat pipeline: {error}");
            std::process::exit(1);
        }
    }
    let outcome = Settings::from_env().and_then(|settings| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|error| format!("cannot start the runtime: {error}"))?
            .block_on(run(settings))
    });
    if let Err(error) = outcome {
        eprintln!("chat pipeline: {error}");
        std::process::exit(1);
    }
}
