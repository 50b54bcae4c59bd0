//! The OTLP metrics exporter: a registry sent to an OpenTelemetry collector every interval, over HTTP/protobuf
//! (feature `otlp-http`) or gRPC (feature `otlp-grpc`).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use metrics_push::otlp::{OtlpConfig, OtlpExporter};
//!
//! let registry = metrics_core::Registry::global()?;
//! let handle = OtlpExporter::new(registry, &OtlpConfig::from_env()?)?.spawn();
//! // ... the program runs; every OTEL_METRIC_EXPORT_INTERVAL the registry is exported ...
//! handle.shutdown().await; // one last export, bounded by the shutdown timeout
//! # Ok(()) }
//! ```

mod config;
mod encode;
mod exporter;
mod resource;
mod retry;
mod self_metrics;
mod transport;

pub use config::{Compression, ConfigError, OtlpConfig, Protocol};
pub use encode::{RequestEncoder, SCOPE_NAME_VALUE};
pub use exporter::{ExportError, ExportReport, ExporterHandle, OtlpExporter};
pub use resource::Resource;
pub use self_metrics::{ExportFailure, ExportOutcome, families};
