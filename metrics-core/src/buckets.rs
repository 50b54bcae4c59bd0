//! Histogram bucket presets and const builders.
//!
//! In `metrics!`, `buckets = prometheus_default | latency | tokens | [..] | exponential(start, factor, count) |
//! linear(start, width, count)` is evaluated and checked by the macro; `buckets = SOME_CONST` names one of these
//! (or your own) and is checked at compile time by [`check`].

/// Prometheus' default buckets (`client_golang`'s `DefBuckets`), in seconds.
pub const PROMETHEUS_DEFAULT: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Job, tool and model-call latency in seconds, as background-job and LLM services see it: 50 ms to 20 s.
pub const LATENCY: [f64; 9] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0];

/// Token counts per call: powers of two from 64 to 8192.
pub const TOKENS: [f64; 8] = [64.0, 128.0, 256.0, 512.0, 1024.0, 2048.0, 4096.0, 8192.0];

/// `N` bounds `start, start*factor, start*factor^2, ...`.
///
/// ```
/// const B: [f64; 4] = metrics_core::buckets::exponential(1.0, 2.0);
/// assert_eq!(B, [1.0, 2.0, 4.0, 8.0]);
/// ```
pub const fn exponential<const N: usize>(start: f64, factor: f64) -> [f64; N] {
    let mut out = [0.0; N];
    let mut value = start;
    let mut i = 0;
    while i < N {
        out[i] = value;
        value *= factor;
        i += 1;
    }
    out
}

/// `N` bounds `start, start+width, start+2*width, ...`.
///
/// ```
/// const B: [f64; 3] = metrics_core::buckets::linear(0.5, 0.5);
/// assert_eq!(B, [0.5, 1.0, 1.5]);
/// ```
pub const fn linear<const N: usize>(start: f64, width: f64) -> [f64; N] {
    let mut out = [0.0; N];
    let mut i = 0;
    while i < N {
        out[i] = start + width * i as f64;
        i += 1;
    }
    out
}

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
    if bounds.is_empty() {
        return Err("a histogram needs at least one finite bucket bound");
    }
    let mut i = 0;
    while i < bounds.len() {
        if !bounds[i].is_finite() {
            return Err("bucket bounds must be finite: `+Inf` is always added, NaN is never valid");
        }
        if i > 0 && bounds[i] <= bounds[i - 1] {
            return Err("bucket bounds must be strictly increasing");
        }
        i += 1;
    }
    Ok(())
}
