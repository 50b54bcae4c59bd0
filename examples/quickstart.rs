//! Quickstart: a few families declared with `metrics!`, updated by a simulated worker, one read at scrape time
//! (`queue_depth`), and the process collector, served on `/metrics`.
//!
//! Run it with `cargo run -p examples --example quickstart`, then, while it runs:
//!
//! ```text
//! curl -s http://127.0.0.1:9464/metrics                                       # Prometheus text 0.0.4
//! curl -s -H 'Accept: application/openmetrics-text' http://127.0.0.1:9464/metrics   # OpenMetrics 1.0
//! curl -s 'http://127.0.0.1:9464/api/metrics/summary?from=-1m'                # what changed over the last minute
//! ```
//!
//! It serves on 127.0.0.1 only; `METRICS_ADDR` picks another address (and the other `METRICS_*` variables of
//! `metrics_http::Config` apply). The worker runs a round of jobs every two seconds; `QUICKSTART_ROUNDS=N` stops
//! it after N rounds. Ctrl-C (SIGINT) or SIGTERM stops it as they stop `metrics_http::serve`: the round in
//! progress ends, open requests are answered (within `METRICS_SHUTDOWN_DRAIN`), and the program exits with 0.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use metrics_core::{BoundedStr, LabelValue, Outcome, Registry, metrics};

/// The kinds of job this worker runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum JobType {
    /// Sends an email.
    Email,
    /// Builds a report.
    Report,
    /// Calls a model.
    Summarize,
}

metrics! {
    namespace = "quickstart";

    /// Jobs finished, by type and outcome.
    pub counter jobs_total { job_type: JobType, outcome: Outcome }

    /// How long a job ran.
    pub histogram job_duration_seconds { job_type: JobType, buckets = latency }

    /// Jobs running now.
    pub gauge jobs_in_flight;

    /// Tokens used per model; at most 16 models are tracked, the rest count as `__overflow__`.
    pub counter tokens_total { model: BoundedStr<16> }

    /// Jobs waiting per type, read from the queue when Prometheus scrapes (not pushed on every change).
    pub gauge queue_depth { job_type: JobType, observe = read_queue_depth }
}

// The process's CPU, memory, file descriptors and threads, under the names client_golang uses, read at scrape time.
metrics_collectors::process_collector!();

/// Called at every scrape: reports each queue's current length. Here the "queue" is the clock, so the values move.
fn read_queue_depth(out: &mut QueueDepthObserver<'_>) {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    for (i, job_type) in JobType::ALL.iter().enumerate() {
        let depth = i64::try_from((seconds + i as u64 * 3) % 10).unwrap_or_default();
        out.observe(
            QueueDepthLabels {
                job_type: *job_type,
            },
            depth,
        );
    }
}

fn main() {
    let rounds: Option<u64> = std::env::var("QUICKSTART_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok());
    // The server would answer 500 with the same message; a schema mistake is better caught before serving.
    if let Err(error) = Registry::global() {
        eprintln!("{error}");
        std::process::exit(1);
    }
    let stop = stop_on_signal();
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
    let models = ["small", "large"];
    let mut round = 0u64;
    loop {
        for (i, job_type) in JobType::ALL.iter().enumerate() {
            let _running = JOBS_IN_FLIGHT.track_inflight();
            let seconds = 0.05 * (round % 7 + i as u64) as f64;
            JOB_DURATION_SECONDS.labels(*job_type).observe(seconds);
            // Every fifth round of reports fails, so both outcomes show up.
            let outcome = if *job_type == JobType::Report && round % 5 == 4 {
                Outcome::Failure
            } else {
                Outcome::Success
            };
            JOBS_TOTAL.labels(*job_type, outcome).inc();
            if *job_type == JobType::Summarize {
                TOKENS_TOTAL
                    .labels(models[(round % 2) as usize])
                    .inc_by(256 + round % 100);
            }
        }
        round += 1;
        if rounds.is_some_and(|limit| round >= limit) {
            break;
        }
        match stop.recv_timeout(Duration::from_secs(2)) {
            Ok(()) => break,
            Err(RecvTimeoutError::Timeout) => {}
            // No signal handlers: keep the pace without them.
            Err(RecvTimeoutError::Disconnected) => std::thread::sleep(Duration::from_secs(2)),
        }
    }
    // Drains: stops accepting, lets open requests finish within the configured bound.
    server.shutdown();
    println!("stopped");
}

/// A channel that receives once at the first SIGINT or SIGTERM, from a thread waiting for them with the same
/// `metrics_http::shutdown_signal` that `Server::run` uses. The handlers are installed before this returns, so a
/// signal sent once the server answers is never lost. If they cannot be installed the channel is closed, and the
/// program runs its rounds as before.
fn stop_on_signal() -> mpsc::Receiver<()> {
    let (stop, stopped) = mpsc::channel();
    let installed = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .and_then(|runtime| {
            let signal = {
                let _entered = runtime.enter();
                metrics_http::shutdown_signal()?
            };
            Ok((runtime, signal))
        });
    let waiting = installed.and_then(|(runtime, signal)| {
        std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                runtime.block_on(signal);
                let _ = stop.send(());
            })
    });
    if let Err(error) = waiting {
        eprintln!("cannot listen for SIGINT/SIGTERM: {error}");
    }
    stopped
}
