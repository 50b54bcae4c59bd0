//! The job scheduler example: workers, leases, tools, an LLM router and synthetic failures, with the fifteen
//! `cogo_` metrics of its metrics plan on `/metrics`. See `examples::job_scheduler` for what it records and why.
//!
//! ```text
//! cargo run -p examples --example job_scheduler
//! curl -s http://127.0.0.1:9464/metrics | grep '^cogo_'
//! curl -s 'http://127.0.0.1:9464/api/metrics/summary?from=-1m'
//! curl -s 'http://127.0.0.1:9464/api/metrics/routing?service=chat'
//! ```
//!
//! `--emit-catalog DIR` writes its catalog (metrics reference, Prometheus rules and their promtool tests, Grafana
//! dashboards) under `DIR` and exits.
//!
//! `SCHEDULER_FAILURE_RATE` (default 0.1; 0 disables), `SCHEDULER_RUN_SECONDS`, `METRICS_LABEL_TENANT`,
//! `ROUTER_SCORE_V2`, `METRICS_ADDR` and the rest are listed on `examples::job_scheduler::Settings`.

use examples::job_scheduler::{Settings, run};

fn main() {
    // `--emit-catalog DIR` writes the reference, the rules and their tests and the dashboards, then stops.
    match metrics_catalog::cli::handle_args(|| {
        examples::job_scheduler::catalog::catalog(metrics_catalog::Settings::default())
    }) {
        Ok(true) => return,
        Ok(false) => {}
        Err(error) => {
            eprintln!("job scheduler: {error}");
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
        eprintln!("job scheduler: {error}");
        std::process::exit(1);
    }
}
