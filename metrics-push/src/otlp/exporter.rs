//! The periodic exporter: encode the registry as it is now, send it with retries inside the interval, and once
//! more on shutdown.
//!
//! Memory stays bounded while the collector is down because nothing is queued: with cumulative temporality every
//! export carries every total, so a failed one is simply superseded by the next.

use std::fmt;
use std::time::{Duration, SystemTime};

use metrics_core::Registry;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::config::{ConfigError, OtlpConfig};
use super::encode::RequestEncoder;
use super::retry::{self, MAX_ATTEMPTS};
use super::self_metrics::{
    EXPORT_DURATION_SECONDS, EXPORT_FAILURES_TOTAL, EXPORTS_TOTAL, ExportFailure, ExportOutcome,
    REJECTED_DATA_POINTS_TOTAL,
};
use super::transport::Transport;

/// An export the collector accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    /// Attempts it took (1 when the first succeeded).
    pub attempts: u32,
    /// Data points the collector refused (partial success); 0 when it took everything.
    pub rejected_data_points: i64,
    /// The collector's explanation of a partial success.
    pub message: String,
}

/// An export that was not delivered; the next one carries the same totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportError {
    /// Why the last attempt failed.
    pub reason: ExportFailure,
    /// Attempts made.
    pub attempts: u32,
    /// What the last attempt saw.
    pub message: String,
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "OTLP export failed after {} attempt(s) ({:?}): {}",
            self.attempts, self.reason, self.message
        )
    }
}

impl std::error::Error for ExportError {}

/// Sends a registry to an OTLP collector: once with [`OtlpExporter::export`], or every interval from a tokio
/// task with [`OtlpExporter::spawn`].
#[derive(Debug)]
pub struct OtlpExporter {
    registry: &'static Registry,
    transport: Transport,
    encoder: RequestEncoder,
    interval: Duration,
    shutdown_timeout: Duration,
}

impl OtlpExporter {
    /// An exporter of `registry` as `config` describes.
    ///
    /// # Errors
    ///
    /// When the configured protocol's feature is not built, or the endpoint cannot take the gRPC path.
    pub fn new(registry: &'static Registry, config: &OtlpConfig) -> Result<Self, ConfigError> {
        Ok(Self {
            registry,
            transport: Transport::new(config)?,
            encoder: RequestEncoder::new(config.resource.clone(), config.start_time),
            interval: config.interval,
            shutdown_timeout: config.shutdown_timeout,
        })
    }

    /// Exports the registry as it is now, retrying retryable failures within one interval.
    ///
    /// # Errors
    ///
    /// When no attempt succeeded; the failure is also counted in `metrics_push_otlp_export_failures_total`.
    pub async fn export(&mut self) -> Result<ExportReport, ExportError> {
        let deadline = Instant::now() + self.interval;
        self.export_until(deadline).await
    }

    async fn export_until(&mut self, deadline: Instant) -> Result<ExportReport, ExportError> {
        let started = Instant::now();
        let result = self.attempts(deadline).await;
        EXPORT_DURATION_SECONDS.observe_duration(started.elapsed());
        let outcome = match &result {
            Ok(report) => {
                if report.rejected_data_points > 0 {
                    REJECTED_DATA_POINTS_TOTAL.inc_by(report.rejected_data_points.unsigned_abs());
                    eprintln!(
                        "metrics-push: the OTLP collector rejected {} data point(s): {}",
                        report.rejected_data_points, report.message
                    );
                }
                ExportOutcome::Success
            }
            Err(_) => ExportOutcome::Failure,
        };
        EXPORTS_TOTAL.labels(outcome).inc();
        result
    }

    async fn attempts(&mut self, deadline: Instant) -> Result<ExportReport, ExportError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            // Each attempt sends the registry as it is now: a retry never repeats stale totals.
            let request = self.encoder.encode(self.registry, SystemTime::now());
            let sent = tokio::time::timeout_at(deadline, self.transport.send(request)).await;
            let failure = match sent {
                Ok(Ok(accepted)) => {
                    return Ok(ExportReport {
                        attempts: attempt,
                        rejected_data_points: accepted.rejected,
                        message: accepted.message,
                    });
                }
                Ok(Err(failure)) => failure,
                Err(_) => super::transport::Failure {
                    reason: ExportFailure::Timeout,
                    retryable: false,
                    retry_after: None,
                    message: "the export's time was up".into(),
                },
            };
            EXPORT_FAILURES_TOTAL.labels(failure.reason).inc();
            let give_up = |failure: super::transport::Failure| ExportError {
                reason: failure.reason,
                attempts: attempt,
                message: failure.message,
            };
            if !failure.retryable || attempt >= MAX_ATTEMPTS {
                return Err(give_up(failure));
            }
            let delay = retry::delay(attempt - 1, failure.retry_after);
            if Instant::now() + delay >= deadline {
                return Err(give_up(failure));
            }
            tokio::time::sleep(delay).await;
        }
    }

    /// Exports every interval from a task on the current tokio runtime, until [`ExporterHandle::shutdown`] (or
    /// the handle is dropped), then once more within the shutdown timeout.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    pub fn spawn(mut self) -> ExporterHandle {
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let interval = self.interval;
            let mut ticker = tokio::time::interval_at(Instant::now() + interval, interval);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = ticker.tick() => {}
                    _ = stopped.changed() => break,
                }
                let deadline = Instant::now() + interval;
                tokio::select! {
                    result = self.export_until(deadline) => log(&result),
                    _ = stopped.changed() => break,
                }
            }
            let deadline = Instant::now() + self.shutdown_timeout;
            let result = self.export_until(deadline).await;
            log(&result);
            result
        });
        ExporterHandle { stop, task }
    }
}

fn log(result: &Result<ExportReport, ExportError>) {
    if let Err(error) = result {
        eprintln!("metrics-push: {error}");
    }
}

/// The running exporter task: stop it with [`ExporterHandle::shutdown`], which makes one last export.
#[derive(Debug)]
pub struct ExporterHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<Result<ExportReport, ExportError>>,
}

impl ExporterHandle {
    /// Stops the periodic exports (an export in progress is abandoned) and makes a final one, which takes at
    /// most the shutdown timeout.
    ///
    /// # Errors
    ///
    /// When the final export failed.
    pub async fn shutdown(self) -> Result<ExportReport, ExportError> {
        let _ = self.stop.send(true);
        self.task.await.unwrap_or_else(|error| {
            Err(ExportError {
                reason: ExportFailure::Protocol,
                attempts: 0,
                message: format!("the exporter task ended abnormally: {error}"),
            })
        })
    }
}
