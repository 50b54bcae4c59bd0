//! Interoperation with [prometheus-client](https://docs.rs/prometheus-client), in both directions, so a codebase
//! can move to typed families one module at a time.
//!
//! prometheus-client is the Rust ecosystem's metric vocabulary. This module lets the two live in one process and
//! one `/metrics` answer, whichever of them serves it:
//!
//! - **our families inside a prometheus-client registry**: [`PrometheusClientCollector`] implements
//!   `prometheus_client::collector::Collector`, so a program whose endpoint encodes a prometheus-client registry
//!   exposes our families too;
//! - **a prometheus-client registry beside our families**: [`PrometheusClientSource`] implements
//!   [`ExternalSource`](crate::ExternalSource), so our [`Registry`](crate::Registry) (and `metrics-http`) serves
//!   an existing registry after its own families, in Prometheus text 0.0.4 or OpenMetrics as negotiated, through
//!   [`transcode_openmetrics`].
//!
//! # Our families into a prometheus-client registry
//!
//! ```
//! use metrics_core::interop::PrometheusClientCollector;
//! use metrics_core::{LabelValue, metrics};
//!
//! #[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
//! #[metrics(rename_all = "snake_case")]
//! pub enum Queue { Email, Report }
//!
//! metrics! {
//!     namespace = "interop_doc";
//!     /// Jobs claimed from a queue.
//!     pub counter claims_total { queue: Queue }
//!     /// Time to run a job.
//!     pub histogram run_seconds { buckets = [0.5, 1.0] }
//! }
//!
//! CLAIMS_TOTAL.labels(Queue::Email).inc();
//! RUN_SECONDS.observe(0.7);
//!
//! // The program's existing registry, served by its existing endpoint.
//! let mut registry = prometheus_client::registry::Registry::default();
//! registry.register_collector(Box::new(PrometheusClientCollector::from_families([
//!     &CLAIMS_TOTAL as _,
//!     &RUN_SECONDS as _,
//! ])));
//! // Or every family declared anywhere in the binary:
//! // registry.register_collector(Box::new(PrometheusClientCollector::new(metrics_core::Registry::global()?)));
//!
//! let mut text = String::new();
//! prometheus_client::encoding::text::encode(&mut text, &registry).unwrap();
//! assert!(text.contains("interop_doc_claims_total{queue=\"email\"} 1\n"));
//! assert!(text.contains("interop_doc_claims_total{queue=\"report\"} 0\n"));
//! assert!(text.contains("# UNIT interop_doc_run_seconds seconds\n"));
//! assert!(text.contains("interop_doc_run_seconds_bucket{le=\"1.0\"} 1\n"));
//! ```
//!
//! # A prometheus-client registry beside our families
//!
//! ```
//! use std::sync::Arc;
//!
//! use metrics_core::interop::PrometheusClientSource;
//! use metrics_core::{Format, Registry, metrics};
//! use prometheus_client::metrics::{counter::Counter, family::Family};
//!
//! metrics! {
//!     /// Jobs done.
//!     pub counter interop_doc_jobs_total;
//! }
//!
//! let mut legacy = prometheus_client::registry::Registry::default();
//! let requests = Family::<Vec<(String, String)>, Counter>::default();
//! legacy.register("legacy_http_requests", "HTTP requests", requests.clone());
//! requests.get_or_create(&vec![("method".to_owned(), "GET".to_owned())]).inc();
//!
//! let registry = Registry::builder()
//!     .register(&INTEROP_DOC_JOBS_TOTAL)
//!     .external(PrometheusClientSource::new(Arc::new(legacy)))
//!     .build()
//!     .unwrap();
//!
//! let text = registry.encode_to_string(Format::Text004).unwrap();
//! assert!(text.contains("# TYPE interop_doc_jobs_total counter\ninterop_doc_jobs_total 0\n"));
//! assert!(text.contains("# TYPE legacy_http_requests_total counter\nlegacy_http_requests_total{method=\"GET\"} 1\n"));
//!
//! let om = registry.encode_to_string(Format::OpenMetrics).unwrap();
//! assert!(om.contains("# TYPE legacy_http_requests counter\n"));
//! assert!(om.ends_with("legacy_http_requests_total{method=\"GET\"} 1\n# EOF\n"), "one `# EOF`, at the end");
//! ```
//!
//! # Migrating one module at a time
//!
//! A program served by prometheus-client declares the families of one module with `metrics!`, deletes that
//! module's prometheus-client registrations, and registers a [`PrometheusClientCollector::from_families`] of
//! the new families instead: the endpoint, its names and its dashboards stay as they were. Module after module
//! moves the same way. When most of the metrics are typed, the endpoint changes sides: our registry (or
//! `metrics-http`) serves, and the modules still on prometheus-client are served beside it through
//! [`PrometheusClientSource`], now with correct 0.0.4 for scrapers that do not ask for OpenMetrics. When the
//! last module moves, the source goes. A family must be exposed by one side only: registering it both ways
//! would expose it twice.
//!
//! The collector writes through prometheus-client's encoder, so that side inherits its formatting choices (see
//! [`PrometheusClientCollector`]); the source re-encodes, so what it serves follows this crate's rules.

mod collector;
mod line;
mod source;
mod transcode;

pub use collector::PrometheusClientCollector;
pub use source::PrometheusClientSource;
pub use transcode::transcode_openmetrics;

/// The prometheus-client version these types implement and accept, re-exported so that a program names the
/// same one.
pub use prometheus_client;
