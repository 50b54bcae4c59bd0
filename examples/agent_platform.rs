//! The agent platform of seed 003: A2A calls to agents, a response cache, a per-workspace rate limiter and the
//! CCR model router, with the seed's metrics on `/metrics`. See `examples::agent_platform` and
//! `examples/src/agent_platform/README.md`.
//!
//! ```text
//! cargo run -p examples --example agent_platform
//! curl -s http://127.0.0.1:9466/metrics | grep -E '^(a2a|cache|rate_limit|ccr|agentos)'
//! ```
//!
//! `AGENTOS_TIME_SCALE=0.1` runs the simulation ten times faster. Every variable is listed on
//! `examples::agent_platform::Settings`. `--emit-catalog DIR` writes its catalog (metrics reference, Prometheus
//! rules and their promtool tests, the Grafana dashboard) under `DIR` and exits.

use examples::agent_platform::{Settings, run};

fn main() {
    // `--emit-catalog DIR` writes the reference, the rules and their tests and the dashboard, then stops.
    match metrics_catalog::cli::handle_args(|| {
        examples::agent_platform::catalog::catalog(metrics_catalog::Settings::default())
    }) {
        Ok(true) => return,
        Ok(false) => {}
        Err(error) => {
            eprintln!("agent platform: {error}");
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
        eprintln!("agent platform: {error}");
        std::process::exit(1);
    }
}
