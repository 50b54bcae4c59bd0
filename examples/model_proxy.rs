//! The model proxy example: RED metrics by route template, method, status family and model, the worker
//! supervisor's restart/backoff state, active streams, tool-buffer counters and a maintenance flag, with
//! `/metrics` switched by `PROXY_ENABLE_METRICS` and guarded by loopback or a bearer token. See
//! `examples::model_proxy` and `examples/src/model_proxy/README.md`.
//!
//! ```text
//! cargo run -p examples --example model_proxy
//! curl -s http://127.0.0.1:9465/metrics | grep '^codex_'
//! PROXY_METRICS_TOKEN=s3cret cargo run -p examples --example model_proxy   # then: curl -H 'Authorization: Bearer s3cret' ...
//! ```
//!
//! Every variable is listed on `examples::model_proxy::Settings`.
//!
//! `--emit-catalog DIR` writes its catalog (metrics reference, Prometheus rules and their promtool tests, Grafana
//! dashboards) under `DIR` and exits.

use examples::model_proxy::{Settings, run};

fn main() {
    // `--emit-catalog DIR` writes the reference, the rules and their tests and the dashboards, then stops.
    match metrics_catalog::cli::handle_args(|| {
        examples::model_proxy::catalog::catalog(metrics_catalog::Settings::default())
    }) {
        Ok(true) => return,
        Ok(false) => {}
        Err(error) => {
            eprintln!("model proxy: {error}");
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
        eprintln!("model proxy: {error}");
        std::process::exit(1);
    }
}
