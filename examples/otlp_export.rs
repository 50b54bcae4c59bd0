//! OTLP export: a worker's metrics sent to an OpenTelemetry collector every interval, configured by the standard
//! `OTEL_*` environment variables.
//!
//! With a collector listening on the default OTLP/HTTP port (4318), run:
//!
//! ```text
//! OTEL_SERVICE_NAME=otlp-example OTEL_METRIC_EXPORT_INTERVAL=5000 cargo run -p examples --example otlp_export
//! ```
//!
//! For gRPC on 4317 add `OTEL_EXPORTER_OTLP_PROTOCOL=grpc`; for another collector,
//! `OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318`. The worker runs a round of jobs every second;
//! `OTLP_EXAMPLE_ROUNDS=N` stops it after N rounds, and the exporter then makes its final export. A bad variable
//! stops the program at once with an error naming it. The exporter's own metrics
//! (`metrics_push_otlp_exports_total`, ...) are exported with the rest.

use std::process::ExitCode;
use std::time::Duration;

use metrics_core::{LabelValue, Outcome, Registry, metrics};
use metrics_push::otlp::{OtlpConfig, OtlpExporter};

/// The kinds of job this worker runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
#[metrics(rename_all = "snake_case")]
pub enum JobType {
    /// Sends an email.
    Email,
    /// Builds a report.
    Report,
}

metrics! {
    namespace = "otlp_example";

    /// Jobs finished, by type and outcome.
    pub counter jobs_total { job_type: JobType, outcome: Outcome }

    /// How long a job ran.
    pub histogram job_duration_seconds { job_type: JobType, buckets = latency }

    /// Jobs waiting.
    pub gauge queue_depth;
}

#[tokio::main]
async fn main() -> ExitCode {
    let config = match OtlpConfig::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("otlp_export: {error}");
            return ExitCode::FAILURE;
        }
    };
    let registry = match Registry::global() {
        Ok(registry) => registry,
        Err(error) => {
            eprintln!("otlp_export: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "exporting to {} every {:?} ({:?})",
        config.endpoint(),
        config.interval(),
        config.protocol()
    );
    let exporter = match OtlpExporter::new(registry, &config) {
        Ok(exporter) => exporter.spawn(),
        Err(error) => {
            eprintln!("otlp_export: {error}");
            return ExitCode::FAILURE;
        }
    };

    let rounds: Option<u64> = std::env::var("OTLP_EXAMPLE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok());
    let mut round = 0u64;
    while rounds.is_none_or(|n| round < n) {
        round += 1;
        for (i, job_type) in [JobType::Email, JobType::Report].into_iter().enumerate() {
            let seconds = 0.01 * (round % 7 + i as u64) as f64;
            JOB_DURATION_SECONDS.labels(job_type).observe(seconds);
            let outcome = if round.is_multiple_of(5) {
                Outcome::Failure
            } else {
                Outcome::Success
            };
            JOBS_TOTAL.labels(job_type, outcome).inc();
        }
        QUEUE_DEPTH.set((round % 10).cast_signed());
        tokio::time::sleep(Duration::from_secs(1)).await;
    }

    match exporter.shutdown().await {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("otlp_export: final export: {error}");
            ExitCode::FAILURE
        }
    }
}
