//! Traced work with exemplars: requests handled inside `tracing` spans, their latency in a histogram whose
//! buckets carry the trace of their latest request, served on `/metrics`.
//!
//! Run it with `cargo run -p examples --example traced_work`, then, while it runs:
//!
//! ```text
//! curl -s -H 'Accept: application/openmetrics-text' http://127.0.0.1:9464/metrics | grep traced_
//! ```
//!
//! Each `traced_request_duration_seconds_bucket` line ends in ` # {trace_id="…",span_id="…"} value timestamp`;
//! a Prometheus started with `--enable-feature=exemplar-storage` serves them from `/api/v1/query_exemplars`.
//! `METRICS_ADDR` picks another address; `TRACED_ROUNDS=N` stops after N rounds.

use std::time::Duration;

use examples::traced::{handle_request, subscriber};

fn main() {
    let rounds: Option<u64> = std::env::var("TRACED_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok());
    let (subscriber, _provider) = subscriber();
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
    // The server would answer 500 with the same message; a schema mistake is better caught before serving.
    if let Err(error) = metrics_core::Registry::global() {
        eprintln!("{error}");
        std::process::exit(1);
    }
    let server = match metrics_http::Config::from_env()
        .map_err(metrics_http::ServeError::from)
        .and_then(metrics_http::spawn)
    {
        Ok(server) => server,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    };
    println!(
        "serving http://{}/metrics (Ctrl-C to stop)",
        server.local_addr()
    );
    let mut round = 0u64;
    loop {
        for seconds in [0.02, 0.3, 1.7] {
            let trace = handle_request(seconds * (1.0 + (round % 3) as f64 / 10.0));
            println!("request of {seconds} s in trace {trace}");
        }
        round += 1;
        if rounds.is_some_and(|limit| round >= limit) {
            break;
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    server.shutdown();
}
