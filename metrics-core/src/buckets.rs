//! Histogram bucket presets and const builders.
//!
//! In `metrics!`, `buckets = prometheus_default | latency | tokens | [..] | exponential(start, factor, count) |
//! linear(start, width, count)` is evaluated and checked by the macro; `buckets = SOME_CONST` names one of these
//! (or your own) and is checked at compile time by [`check`]. The macro and this module share one definition of
//! each preset, builder and check.
//!
//! ```
//! const B: [f64; 4] = metrics_core::buckets::exponential(1.0, 2.0);
//! assert_eq!(B, [1.0, 2.0, 4.0, 8.0]);
//! const L: [f64; 3] = metrics_core::buckets::linear(0.5, 0.5);
//! assert_eq!(L, [0.5, 1.0, 1.5]);
//! assert_eq!(metrics_core::buckets::LATENCY.len(), 9);
//! ```

pub use metrics_rules::buckets::{LATENCY, PROMETHEUS_DEFAULT, TOKENS, exponential, linear};

/// Checks a bucket list: non-empty, every bound finite, strictly increasing.
///
/// # Errors
///
/// A message saying which rule the list breaks; in a `const` it becomes a compile error.
///
/// ```
/// assert!(metrics_core::buckets::check(&[0.1, 1.0]).is_ok());
/// assert!(metrics_core::buckets::check(&[1.0, 1.0]).is_err());
/// assert!(metrics_core::buckets::check(&[f64::NAN]).is_err());
/// ```
pub const fn check(bounds: &[f64]) -> Result<(), &'static str> {
    match metrics_rules::buckets::check(bounds) {
        Ok(()) => Ok(()),
        Err(error) => Err(error.message()),
    }
}
