//! A `metrics` 0.24 recorder that records into `metrics-core` families, so every crate instrumented with
//! `metrics::counter!`, `gauge!` and `histogram!` shows up on the same `/metrics` as the families you declared.
//!
//! ```
//! use metrics_core::{Format, Registry};
//!
//! let bridge = metrics_facade::Bridge::builder().check_global_registry(false).build();
//! // In a program: `Bridge::builder().install()`, once, at start-up; here a local recorder.
//! metrics::with_local_recorder(&bridge, || {
//!     metrics::counter!("http.requests", "method" => "GET").increment(3);
//! });
//! let registry = Registry::builder().linked().external(bridge.source()).build().unwrap();
//! let text = registry.encode_to_string(Format::Text004).unwrap();
//! assert!(text.contains("http_requests_total{method=\"GET\"} 3\n"));
//! ```
//!
//! Serve `registry` (a `&'static Registry`, e.g. from a `OnceLock`) with `metrics-http` instead of
//! `Registry::global()`: the facade's names are only known when its macros first run, after the global registry
//! is built, so the bridge is served as an `ExternalSource` whose families are ours (the same encoders, the same
//! validation) rebuilt when a name appears.
//!
//! # What the bridge does with facade input
//!
//! - **Names** are checked with the rules of our own declarations (`metrics_rules`). A metric name with invalid
//!   characters (`http.requests`) is rewritten (`http_requests`); counters get the `_total` suffix they are
//!   queried by; label names likewise; control characters in label values become `_`. Each rewrite is counted in
//!   `metrics_facade_sanitised_total`.
//! - **Refusals** return a no-op handle and are counted in `metrics_facade_refused_total{reason}`: names no rewrite
//!   saves (empty, `__`-prefixed or `le`/`quantile` labels), empty label values, a name registered again as
//!   another kind or with other label names, a name clashing with another family (the facade's, or one of
//!   `Registry::global()`), more than [`DEFAULT_MAX_FAMILIES`] families (configurable), and NaN or negative
//!   histogram observations.
//! - **Cardinality**: each family keeps at most [`DEFAULT_MAX_SERIES`] label sets (configurable); further ones
//!   are recorded under one overflow series whose labels are all `__overflow__`, and counted in
//!   `metrics_facade_overflow_total{family}`, as `BoundedStr` labels do.
//! - **Histograms** use `metrics_core::buckets::LATENCY` unless [`BridgeBuilder::buckets`] or
//!   [`BridgeBuilder::buckets_for`] say otherwise.
//! - **HELP** is the facade's description (`describe_counter!` ...) or a fixed text; units are not exposed.
//! - Counters' `absolute` never lowers a counter; gauges are floats.
#![deny(missing_docs)]

mod bridge;
mod cells;
mod family;
mod names;
mod selfmetrics;

pub use bridge::{
    Bridge, BridgeBuilder, BucketError, DEFAULT_MAX_FAMILIES, DEFAULT_MAX_SERIES, FacadeSource,
};
pub use selfmetrics::Reason;
