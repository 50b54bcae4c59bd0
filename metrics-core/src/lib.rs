//! Declarative, compile-time-checked Prometheus metrics.
//!
//! Declare a schema once with [`metrics!`]; label values are enums ([`LabelValue`]) or capped strings
//! ([`BoundedStr`]), so a wrong label is a compile error and cardinality is known before the program runs. Every
//! family registers itself into [`Registry::global`], which encodes Prometheus text 0.0.4 and OpenMetrics 1.0
//! exactly as the formats' specifications require (`docs/exposition.md` states every rule).
//!
//! ```
//! use metrics_core::{Format, LabelValue, Registry, metrics};
//!
//! #[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
//! #[metrics(rename_all = "snake_case")]
//! pub enum JobType { Email, Report }
//!
//! #[derive(Clone, Copy, Debug, PartialEq, Eq, LabelValue)]
//! #[metrics(rename_all = "snake_case")]
//! pub enum Phase { Queue, Run }
//!
//! metrics! {
//!     namespace = "tour";
//!
//!     /// Jobs claimed by a worker.
//!     pub counter claims_total { job_type: JobType }
//!
//!     /// Time a job spends in each phase.
//!     pub histogram job_latency_seconds { job_type: JobType, phase: Phase, buckets = latency }
//!
//!     /// Jobs running now.
//!     pub gauge jobs_in_flight;
//! }
//!
//! CLAIMS_TOTAL.labels(JobType::Email).inc();
//! JOB_LATENCY_SECONDS.with(JobLatencySecondsLabels { job_type: JobType::Report, phase: Phase::Run }).observe(0.42);
//! {
//!     let _running = JOBS_IN_FLIGHT.track_inflight();
//! }
//!
//! let text = Registry::global().unwrap().encode_to_string(Format::OpenMetrics).unwrap();
//! assert!(text.contains("tour_claims_total{job_type=\"email\"} 1\n"));
//! assert!(text.contains("tour_claims_total{job_type=\"report\"} 0\n"), "every enum series exists from the start");
//! assert!(text.contains("tour_job_latency_seconds_bucket{job_type=\"report\",phase=\"run\",le=\"0.5\"} 1\n"));
//! assert!(text.ends_with("# EOF\n"));
//! ```
//!
//! # Cargo features
//!
//! - `linkme` (default): families register themselves into [`Registry::global`]; see below.
//! - `prometheus-client` (off): the `interop` module, which puts our families inside a prometheus-client registry
//!   and serves a prometheus-client registry beside ours. Off by default so that prometheus-client and its
//!   dependencies are compiled only by programs that mix the two.
//! - `tracing` (off): families declared with `exemplars = true` take the current `tracing` span's OpenTelemetry
//!   `trace_id` and `span_id` as the exemplar of each observation, and the instrumentation attributes attach the
//!   run's trace to its duration bucket. Needs `tracing-opentelemetry`'s layer in the subscriber.
//!
//! # Supported Rust versions
//!
//! The workspace's one `rust-version` record (1.95) is the toolchain CI builds with. Raising it is a minor-version
//! change, logged in `CHANGELOG.md`.
//!
//! # `#![forbid(unsafe_code)]` crates
//!
//! They declare families as they are, with nothing to allow. With the default `linkme` feature each family links
//! itself into the registry with a `#[link_section]` static, which the `unsafe_code` lint would count in your own
//! code; but that static is expanded from a `metrics-core` macro, and rustc does not apply `unsafe_code` to code
//! from another crate's macros. The lint applies only inside `metrics-core`, to its declarations of the slices
//! (families, instrumented functions and their targets), which allow it. (Pinned by `ui-tests/tests/ui/metrics/pass/forbid_unsafe.rs`.) Turning the feature off removes the
//! statics altogether: register each family with [`RegistryBuilder::register`] then.
#![deny(missing_docs)]

pub mod buckets;
mod declared;
pub mod encode;
mod family;
pub mod instrument;
#[cfg(feature = "prometheus-client")]
pub mod interop;
mod label;
mod metric;
mod registry;
mod series;
pub mod testing;

#[cfg(test)]
mod layering;

#[doc(hidden)]
pub mod __private;

/// The README's tour, compiled and run as a doctest so it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeTour;

pub use declared::DeclaredFamily;
pub use encode::Format;
pub use family::{
    BoundedFamily, DenseFamily, Descriptor, Family, Good, InfoFamily, LabelDescriptor, LabelValues,
    MAX_LABELS, MetricKind, Objective, ObservableFamily, ObservedValue, Observer, Problem,
    RemovableFamily, Rule, Severity, SourceLocation,
};
pub use instrument::{ErrorReason, LlmUsage, RunOutcome};
pub use label::{
    BoundedStr, Direction, EnumLabels, HttpMethod, Interner, LabelValue, OVERFLOW_VALUE, Outcome,
    StatusClass,
};
pub use metric::{
    Counter, CounterAmount, ExemplarCounter, ExemplarFloatCounter, ExemplarHistogram,
    ExemplarScratch, FloatCounter, FloatGauge, Gauge, GaugeAmount, Histogram, HistogramTimer,
    InflightGuard, Metric, SampleScratch, StateSet,
};
/// The bound of the exemplar methods of cells without exemplars (a compile error that says what to declare).
#[doc(hidden)]
pub use metric::{ExemplarsDeclared, NoExemplars};
pub use registry::{EncodeError, ExternalSource, Registry, RegistryBuilder, RegistryError};
pub use series::{Exemplar, ExemplarLabels, Exemplars, Number, Sample, Series, SeriesSink};

pub use metrics_macros::{ErrorReason, instrument_job, instrument_llm, instrument_tool, measure};
pub use metrics_macros::{LabelValue, metrics};
