//! Push exporters for [`metrics_core`] registries, for the pipelines that do not scrape:
//!
//! - [`otlp`]: the OTLP metrics exporter, sending the registry to an OpenTelemetry collector every interval over
//!   HTTP/protobuf (feature `otlp-http`) or gRPC (feature `otlp-grpc`), configured by the standard `OTEL_*`
//!   environment variables.
//! - [`pushgateway`]: the Prometheus Pushgateway client, for batch jobs that end before a scrape (feature
//!   `pushgateway`).
//!
//! Both read the registry through its public families, as any scraper does; a program that only serves
//! `/metrics` does not depend on this crate.

#[cfg(feature = "otlp")]
pub mod otlp;
#[cfg(feature = "otlp")]
mod proto;
#[cfg(feature = "pushgateway")]
pub mod pushgateway;
