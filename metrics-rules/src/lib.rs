//! Every rule of `metrics-core` that both compile time and run time check, written once.
//!
//! `metrics-macros` cannot depend on `metrics-core` (the core re-exports the macros), so the rules the two share
//! live here, in a crate with no dependencies and no allocation: metric and label name rules, reserved labels,
//! the exemplar label-set limit, units, label value text, histogram bucket presets, builders and checks, the label
//! limit, and the table of metric kinds. The macros turn a rule's error into a compile error at the offending
//! token; the registry wraps the same error into its run-time `Problem`. Each error's `Display` is the message the
//! user reads.
//!
//! Use it through `metrics-core`; this crate is its implementation detail and follows its version.
//!
//! ```
//! use metrics_rules::{MetricKind, name};
//!
//! assert_eq!(MetricKind::from_keyword("counter"), Some(MetricKind::Counter));
//! assert!(name::check_metric_name("jobs_total").is_ok());
//! let error = name::check_declared_metric_name("jobsTotal", name::Subject::Metric).unwrap_err();
//! assert_eq!(error.to_string(), "metric name `jobsTotal` must be snake_case: use `jobs_total`");
//! ```

#![no_std]
#![forbid(unsafe_code)]

pub mod buckets;
mod case;
pub mod exemplar;
mod kind;
pub mod label;
pub mod name;
pub mod unit;

pub use case::Snake;
pub use kind::{KindNameError, MetricKind};
pub use label::MAX_LABELS;
