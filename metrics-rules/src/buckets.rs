//! Histogram bucket presets, builders and checks.
//!
//! All `const`: a user's bucket constant is built and checked at compile time, and the macro evaluates the same
//! functions on the literals it reads.

use core::fmt;

/// Prometheus' default buckets (`client_golang`'s `DefBuckets`), in seconds.
pub const PROMETHEUS_DEFAULT: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Job, tool and model-call latency in seconds: 50 ms to 20 s.
pub const LATENCY: [f64; 9] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0];

/// Token counts per call: powers of two from 64 to 8192.
pub const TOKENS: [f64; 8] = [64.0, 128.0, 256.0, 512.0, 1024.0, 2048.0, 4096.0, 8192.0];

/// A named bucket preset, as `buckets = <keyword>` names it in `metrics!`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// [`PROMETHEUS_DEFAULT`]: the buckets of a histogram that declares none.
    PrometheusDefault,
    /// [`LATENCY`].
    Latency,
    /// [`TOKENS`].
    Tokens,
}

impl Preset {
    /// The buckets of a histogram that declares none.
    pub const DEFAULT: Self = Self::PrometheusDefault;

    /// Every preset, in the order messages list them.
    pub const ALL: [Self; 3] = [Self::PrometheusDefault, Self::Latency, Self::Tokens];

    /// The keyword `metrics!` names it by.
    pub const fn keyword(self) -> &'static str {
        match self {
            Self::PrometheusDefault => "prometheus_default",
            Self::Latency => "latency",
            Self::Tokens => "tokens",
        }
    }

    /// The preset a keyword names.
    ///
    /// ```
    /// use metrics_rules::buckets::{LATENCY, Preset};
    ///
    /// assert_eq!(Preset::from_keyword("latency").map(Preset::bounds), Some(&LATENCY[..]));
    /// ```
    pub fn from_keyword(keyword: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|preset| preset.keyword() == keyword)
    }

    /// Its bounds.
    pub const fn bounds(self) -> &'static [f64] {
        match self {
            Self::PrometheusDefault => &PROMETHEUS_DEFAULT,
            Self::Latency => &LATENCY,
            Self::Tokens => &TOKENS,
        }
    }
}

/// The most bounds a builder may produce in `metrics!`.
pub const MAX_BUILDER_COUNT: usize = 256;

/// A bucket builder: `exponential(start, factor, count)` or `linear(start, width, count)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builder {
    /// `start, start*factor, start*factor^2, ...`
    Exponential,
    /// `start, start+width, start+2*width, ...`
    Linear,
}

impl Builder {
    /// Both builders.
    pub const ALL: [Self; 2] = [Self::Exponential, Self::Linear];

    /// Its name in `metrics!`.
    pub const fn keyword(self) -> &'static str {
        match self {
            Self::Exponential => "exponential",
            Self::Linear => "linear",
        }
    }

    /// How it is called, with its parameters' names: `exponential(start, factor, count)`.
    pub const fn signature(self) -> &'static str {
        match self {
            Self::Exponential => "exponential(start, factor, count)",
            Self::Linear => "linear(start, width, count)",
        }
    }

    /// The builder a name names.
    pub fn from_keyword(keyword: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|builder| builder.keyword() == keyword)
    }

    /// Fills `out` with bounds from `start`, stepping by `step` (the factor, or the width).
    ///
    /// Exponential bounds multiply the previous bound by the factor, so they match what a hand-written loop gives.
    pub const fn fill(self, start: f64, step: f64, out: &mut [f64]) {
        let mut value = start;
        let mut i = 0;
        while i < out.len() {
            out[i] = match self {
                Self::Exponential => value,
                Self::Linear => start + step * i as f64,
            };
            value *= step;
            i += 1;
        }
    }

    /// Fills `out` as [`fill`](Self::fill) does, then [checks](check) the bounds.
    ///
    /// # Errors
    ///
    /// [`BucketError::Builder`] when the arguments give bounds that are not finite and strictly increasing.
    pub const fn build(self, start: f64, step: f64, out: &mut [f64]) -> Result<(), BucketError> {
        self.fill(start, step, out);
        match check(out) {
            Ok(()) => Ok(()),
            Err(_) => Err(BucketError::Builder(self)),
        }
    }
}

/// `N` bounds `start, start*factor, start*factor^2, ...`.
///
/// ```
/// const B: [f64; 4] = metrics_rules::buckets::exponential(1.0, 2.0);
/// assert_eq!(B, [1.0, 2.0, 4.0, 8.0]);
/// ```
pub const fn exponential<const N: usize>(start: f64, factor: f64) -> [f64; N] {
    let mut out = [0.0; N];
    Builder::Exponential.fill(start, factor, &mut out);
    out
}

/// `N` bounds `start, start+width, start+2*width, ...`.
///
/// ```
/// const B: [f64; 3] = metrics_rules::buckets::linear(0.5, 0.5);
/// assert_eq!(B, [0.5, 1.0, 1.5]);
/// ```
pub const fn linear<const N: usize>(start: f64, width: f64) -> [f64; N] {
    let mut out = [0.0; N];
    Builder::Linear.fill(start, width, &mut out);
    out
}

/// A bucket rule broken.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BucketError {
    /// No bounds.
    Empty,
    /// A bound that is infinite or NaN.
    NotFinite,
    /// A bound not above the one before it.
    NotIncreasing {
        /// The bound.
        bound: f64,
        /// The bound before it.
        previous: f64,
    },
    /// A builder's count that is not a whole number from 1 to [`MAX_BUILDER_COUNT`].
    Count,
    /// A builder whose arguments give bounds that are not finite and strictly increasing.
    Builder(Builder),
}

impl BucketError {
    /// The message without the values, for `const` evaluation (which cannot format): a failed bucket constant
    /// reports it as its compile error.
    pub const fn message(&self) -> &'static str {
        match self {
            Self::Empty => "a histogram needs at least one bucket bound",
            Self::NotFinite => "bucket bounds must be finite: `+Inf` is always added for you",
            Self::NotIncreasing { .. } => "bucket bounds must be strictly increasing",
            Self::Count => "the bucket count is a whole number from 1 to 256",
            Self::Builder(_) => {
                "a bucket builder's arguments must give finite, strictly increasing bounds"
            }
        }
    }
}

impl fmt::Display for BucketError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotIncreasing { bound, previous } => write!(
                f,
                "{}: {bound} does not exceed the bound before it ({previous})",
                self.message()
            ),
            Self::Builder(builder) => write!(
                f,
                "`{}` with these arguments does not give finite, strictly increasing bounds: for `exponential` use start > 0 and factor > 1, for `linear` width > 0",
                builder.keyword()
            ),
            Self::Empty | Self::NotFinite | Self::Count => f.write_str(self.message()),
        }
    }
}

/// Bound `i` of `bounds` is finite and above the bound before it. [`check`] is this for every bound; the macro
/// calls it per bound to point at each offending literal.
///
/// # Errors
///
/// The rule bound `i` breaks.
///
/// # Panics
///
/// When `i` is out of range for `bounds`.
pub const fn check_bound(bounds: &[f64], i: usize) -> Result<(), BucketError> {
    let bound = bounds[i];
    if !bound.is_finite() {
        return Err(BucketError::NotFinite);
    }
    if i > 0 && bound <= bounds[i - 1] {
        return Err(BucketError::NotIncreasing {
            bound,
            previous: bounds[i - 1],
        });
    }
    Ok(())
}

/// Checks a bucket list: non-empty, every bound finite, strictly increasing.
///
/// # Errors
///
/// The first rule the list breaks.
///
/// ```
/// use metrics_rules::buckets::check;
///
/// assert!(check(&[0.1, 1.0]).is_ok());
/// assert!(check(&[1.0, 1.0]).is_err());
/// assert!(check(&[f64::NAN]).is_err());
/// ```
pub const fn check(bounds: &[f64]) -> Result<(), BucketError> {
    if bounds.is_empty() {
        return Err(BucketError::Empty);
    }
    let mut i = 0;
    while i < bounds.len() {
        if let Err(error) = check_bound(bounds, i) {
            return Err(error);
        }
        i += 1;
    }
    Ok(())
}

/// A builder's `count` argument as a number of bounds: a whole number from 1 to [`MAX_BUILDER_COUNT`].
///
/// # Errors
///
/// [`BucketError::Count`] otherwise.
///
/// ```
/// assert_eq!(metrics_rules::buckets::check_count(12.0), Ok(12));
/// assert!(metrics_rules::buckets::check_count(0.5).is_err());
/// ```
pub fn check_count(count: f64) -> Result<usize, BucketError> {
    if !(1.0..=MAX_BUILDER_COUNT as f64).contains(&count) {
        return Err(BucketError::Count);
    }
    // In 1..=256 (so not NaN) just above: the cast truncates, and a whole number survives it unchanged.
    #[allow(clippy::cast_sign_loss)]
    let whole = count as usize;
    if whole as f64 == count {
        Ok(whole)
    } else {
        Err(BucketError::Count)
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::string::ToString as _;
    use std::vec;

    use super::*;

    #[test]
    fn presets_are_valid_and_named_once() {
        for preset in Preset::ALL {
            assert_eq!(check(preset.bounds()), Ok(()), "{preset:?}");
            assert_eq!(Preset::from_keyword(preset.keyword()), Some(preset));
        }
        assert_eq!(Preset::from_keyword("latencies"), None);
        assert_eq!(Preset::PrometheusDefault.bounds()[0], 0.005);
    }

    #[test]
    fn builders() {
        const E: [f64; 4] = exponential(0.5, 2.0);
        const L: [f64; 4] = linear(1.0, 0.5);
        assert_eq!(E, [0.5, 1.0, 2.0, 4.0]);
        assert_eq!(L, [1.0, 1.5, 2.0, 2.5]);
        // The macro's bounds for `exponential(0.005, 2.0, 12)` equal the constant builder's, bit for bit.
        let mut dynamic = vec![0.0; 12];
        Builder::Exponential
            .build(0.005, 2.0, &mut dynamic)
            .unwrap();
        assert_eq!(dynamic, exponential::<12>(0.005, 2.0));
        for builder in Builder::ALL {
            assert_eq!(Builder::from_keyword(builder.keyword()), Some(builder));
            assert!(builder.signature().starts_with(builder.keyword()));
        }
    }

    #[test]
    fn builder_arguments() {
        for (builder, start, step, ok) in [
            (Builder::Exponential, 1.0, 2.0, true),
            (Builder::Exponential, 1.0, 1.0, false),
            (Builder::Exponential, 0.0, 2.0, false),
            (Builder::Exponential, -1.0, 2.0, false),
            (Builder::Exponential, 1e300, 1e10, false),
            (Builder::Linear, 0.0, 1.0, true),
            (Builder::Linear, -1.0, 1.0, true),
            (Builder::Linear, 1.0, 0.0, false),
            (Builder::Linear, 1.0, -1.0, false),
        ] {
            let mut out = [0.0; 5];
            let got = builder.build(start, step, &mut out);
            assert_eq!(got.is_ok(), ok, "{builder:?}({start}, {step})");
            if let Err(error) = got {
                assert_eq!(error, BucketError::Builder(builder));
                assert!(error.to_string().starts_with(&std::format!(
                    "`{}` with these arguments",
                    builder.keyword()
                )));
            }
        }
    }

    #[test]
    fn counts() {
        for (count, expected) in [
            (1.0, Ok(1)),
            (256.0, Ok(256)),
            (0.0, Err(BucketError::Count)),
            (257.0, Err(BucketError::Count)),
            (2.5, Err(BucketError::Count)),
            (-3.0, Err(BucketError::Count)),
            (f64::NAN, Err(BucketError::Count)),
            (f64::INFINITY, Err(BucketError::Count)),
        ] {
            assert_eq!(check_count(count), expected, "{count}");
        }
        let limit = std::format!("to {MAX_BUILDER_COUNT}");
        assert!(BucketError::Count.message().ends_with(&limit));
    }

    #[test]
    fn bound_lists() {
        for (bounds, expected) in [
            (&[0.1, 1.0][..], Ok(())),
            (&[-1.0, 0.0, 1.0][..], Ok(())),
            (&[][..], Err(BucketError::Empty)),
            (&[f64::NAN][..], Err(BucketError::NotFinite)),
            (&[1.0, f64::INFINITY][..], Err(BucketError::NotFinite)),
            (
                &[1.0, 0.5, 2.0][..],
                Err(BucketError::NotIncreasing {
                    bound: 0.5,
                    previous: 1.0,
                }),
            ),
            (
                &[1.0, 1.0][..],
                Err(BucketError::NotIncreasing {
                    bound: 1.0,
                    previous: 1.0,
                }),
            ),
        ] {
            assert_eq!(check(bounds), expected, "{bounds:?}");
        }
    }

    #[test]
    fn messages() {
        for (error, message) in [
            (
                BucketError::Empty,
                "a histogram needs at least one bucket bound",
            ),
            (
                BucketError::NotFinite,
                "bucket bounds must be finite: `+Inf` is always added for you",
            ),
            (
                BucketError::NotIncreasing {
                    bound: 0.5,
                    previous: 1.0,
                },
                "bucket bounds must be strictly increasing: 0.5 does not exceed the bound before it (1)",
            ),
            (
                BucketError::Count,
                "the bucket count is a whole number from 1 to 256",
            ),
        ] {
            assert_eq!(error.to_string(), message);
        }
        assert_eq!(
            BucketError::NotIncreasing {
                bound: 0.5,
                previous: 1.0
            }
            .message(),
            "bucket bounds must be strictly increasing"
        );
    }
}
