//! The workflow orchestrator of seed 004: task and step lifecycle across an API, an orchestrator, workers and a
//! result processor, two circuit breakers and three named bounded channels, with the seed's metrics (in seconds,
//! breaker states as state sets, no `correlation_id` label) on `/metrics` and exported over OTLP/gRPC every
//! interval. See `examples::workflow_orchestrator` and `examples/src/workflow_orchestrator/README.md`.
//!
//! ```text
//! cargo run -p examples --example workflow_orchestrator
//! curl -s http://127.0.0.1:9467/metrics | grep -E '^(tasker_|api_|ffi_|channel_)'
//! ```
//!
//! With no collector on `localhost:4317` each export fails and says so; `TASKER_OTLP=false` turns it off, the
//! `OTEL_*` variables configure it. Every variable is listed on `examples::workflow_orchestrator::Settings`.
//! `--emit-catalog DIR` writes its catalog (metrics reference, Prometheus rules and their promtool tests, the four
//! Grafana dashboards) under `DIR` and exits.

use examples::workflow_orchestrator::{Settings, run};

fn main() {
    // `--emit-catalog DIR` writes the reference, the rules and their tests and the dashboards, then stops.
    match metrics_catalog::cli::handle_args(|| {
        examples::workflow_orchestrator::catalog::catalog(metrics_catalog::Settings::default())
    }) {
        Ok(true) => return,
        Ok(false) => {}
        Err(error) => {
            eprintln!("workflow orchestrator: {error}");
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
        eprintln!("workflow orchestrator: {error}");
        std::process::exit(1);
    }
}
