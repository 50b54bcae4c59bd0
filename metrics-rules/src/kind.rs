//! The table of metric kinds: each kind's keyword, the suffix its name carries, and the sample names it writes.

use core::fmt;

/// What kind of metric a family is.
///
/// The one list of kinds: the `metrics!` keyword, the OpenMetrics type name, the name suffix and the sample-name
/// suffixes all come from here.
///
/// ```
/// use metrics_rules::MetricKind;
///
/// assert_eq!(MetricKind::Counter.as_str(), "counter");
/// assert_eq!(MetricKind::from_keyword("stateset"), Some(MetricKind::StateSet));
/// assert_eq!(MetricKind::Counter.family_name("jobs_total"), "jobs");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetricKind {
    /// Only goes up; name ends in `_total`.
    Counter,
    /// Goes up and down.
    Gauge,
    /// Observations counted into buckets.
    Histogram,
    /// Constant 1 with informative labels; name ends in `_info`.
    Info,
    /// One of a closed set of states.
    StateSet,
}

impl MetricKind {
    /// Every kind, in the order the DSL documents them.
    pub const ALL: [Self; 5] = [
        Self::Counter,
        Self::Gauge,
        Self::Histogram,
        Self::Info,
        Self::StateSet,
    ];

    /// The OpenMetrics type name, which is also the `metrics!` keyword.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Counter => "counter",
            Self::Gauge => "gauge",
            Self::Histogram => "histogram",
            Self::Info => "info",
            Self::StateSet => "stateset",
        }
    }

    /// The Rust variant's name, for code generators that write `MetricKind::Counter`.
    pub const fn variant_name(self) -> &'static str {
        match self {
            Self::Counter => "Counter",
            Self::Gauge => "Gauge",
            Self::Histogram => "Histogram",
            Self::Info => "Info",
            Self::StateSet => "StateSet",
        }
    }

    /// The kind a `metrics!` keyword (its [`as_str`](Self::as_str)) names.
    pub fn from_keyword(keyword: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == keyword)
    }

    /// The suffix a family's name must end in, as it is queried: `_total` for counters, `_info` for info families.
    pub const fn name_suffix(self) -> Option<&'static str> {
        match self {
            Self::Counter => Some("_total"),
            Self::Info => Some("_info"),
            Self::Gauge | Self::Histogram | Self::StateSet => None,
        }
    }

    /// The suffixes appended to the family name (see [`family_name`](Self::family_name)) for the sample names a
    /// family of this kind writes or reserves; `""` is the family name itself. No two families may share one.
    ///
    /// OpenMetrics reserves a counter's `_created` sample even while it is not written (it is opt-in): parsers
    /// refuse another family of that name beside it.
    pub const fn sample_suffixes(self) -> &'static [&'static str] {
        match self {
            Self::Counter => &["_total", "", "_created"],
            Self::Info => &["_info", ""],
            Self::Histogram => &["", "_bucket", "_sum", "_count", "_created"],
            Self::Gauge | Self::StateSet => &[""],
        }
    }

    /// The first sample name that a family of this kind named `name` and a family of kind `other` named
    /// `other_name` would both write or reserve (see [`sample_suffixes`](Self::sample_suffixes)), as the family
    /// name and suffix that spell it; `None` when they can share an exposition.
    ///
    /// ```
    /// use metrics_rules::MetricKind;
    ///
    /// let shared = MetricKind::Counter.shared_sample("jobs_total", MetricKind::Gauge, "jobs");
    /// assert_eq!(shared, Some(("jobs", "")));
    /// let shared = MetricKind::Histogram.shared_sample("x", MetricKind::Gauge, "x_count");
    /// assert_eq!(shared, Some(("x", "_count")));
    /// assert_eq!(MetricKind::Gauge.shared_sample("jobs", MetricKind::Gauge, "jobs_running"), None);
    /// ```
    pub fn shared_sample<'a>(
        self,
        name: &'a str,
        other: Self,
        other_name: &str,
    ) -> Option<(&'a str, &'static str)> {
        let (family, other_family) = (self.family_name(name), other.family_name(other_name));
        self.sample_suffixes().iter().find_map(|&suffix| {
            let same = other.sample_suffixes().iter().any(|other_suffix| {
                family.len() + suffix.len() == other_family.len() + other_suffix.len()
                    && (family.as_bytes().iter().chain(suffix.as_bytes())).eq(other_family
                        .as_bytes()
                        .iter()
                        .chain(other_suffix.as_bytes()))
            });
            same.then_some((family, suffix))
        })
    }

    /// Whether a family of this kind measures in a unit: info and state-set values are not quantities.
    pub const fn takes_unit(self) -> bool {
        match self {
            Self::Counter | Self::Gauge | Self::Histogram => true,
            Self::Info | Self::StateSet => false,
        }
    }

    /// The OpenMetrics family name: `name` without a counter's `_total` or an info's `_info`.
    pub fn family_name(self, name: &str) -> &str {
        match self.name_suffix() {
            Some(suffix) => name.strip_suffix(suffix).unwrap_or(name),
            None => name,
        }
    }

    /// The name carries this kind's suffix (`_total`, `_info`), and only a counter's name ends in `_total`.
    ///
    /// # Errors
    ///
    /// The suffix missing, or `_total` on another kind.
    pub fn check_name_suffix(self, name: &str) -> Result<(), KindNameError<'_>> {
        let total = Self::Counter.name_suffix().unwrap_or_default();
        match self.name_suffix() {
            Some(suffix) if !name.ends_with(suffix) => {
                Err(KindNameError::MissingSuffix { kind: self, name })
            }
            None if name.ends_with(total) => Err(KindNameError::TotalOnNonCounter { name }),
            _ => Ok(()),
        }
    }

    /// The name does not end in a suffix a histogram writes for its samples, which would clash with one. Counters
    /// are exempt (`_total` follows any such word); other kinds may still end in `_count` and `_sum`, which read
    /// naturally on a gauge, but never in `_bucket` or `_created`.
    ///
    /// # Errors
    ///
    /// The reserved suffix the name ends in.
    pub fn check_reserved_suffix(self, name: &str) -> Result<(), KindNameError<'_>> {
        if self == Self::Counter {
            return Ok(());
        }
        let reserved = Self::Histogram.sample_suffixes().iter().find(|suffix| {
            !suffix.is_empty()
                && name.ends_with(**suffix)
                && (self == Self::Histogram || matches!(**suffix, "_bucket" | "_created"))
        });
        match reserved {
            Some(suffix) => Err(KindNameError::ReservedSuffix { suffix }),
            None => Ok(()),
        }
    }
}

impl fmt::Display for MetricKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that does not fit its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindNameError<'a> {
    /// A counter not ending in `_total`, or an info family not ending in `_info`.
    MissingSuffix {
        /// The family's kind.
        kind: MetricKind,
        /// The name as declared.
        name: &'a str,
    },
    /// A name ending in `_total` on a kind other than a counter.
    TotalOnNonCounter {
        /// The name as declared.
        name: &'a str,
    },
    /// A name ending in a suffix histograms write for their samples.
    ReservedSuffix {
        /// The suffix.
        suffix: &'static str,
    },
}

impl fmt::Display for KindNameError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::MissingSuffix { kind, name } => {
                let suffix = kind.name_suffix().unwrap_or_default();
                write!(
                    f,
                    "{kind} names end in `{suffix}` (OpenMetrics): rename it `{name}{suffix}`"
                )
            }
            Self::TotalOnNonCounter { name } => {
                let total = MetricKind::Counter.name_suffix().unwrap_or_default();
                write!(
                    f,
                    "only counters end in `{total}`: rename it `{}` or declare a `counter`",
                    name.trim_end_matches(total)
                )
            }
            Self::ReservedSuffix { suffix } => {
                let what = if suffix == "_created" {
                    "the creation time of counters and histograms"
                } else {
                    "histogram samples"
                };
                write!(
                    f,
                    "metric names must not end in `{suffix}`: OpenMetrics writes that suffix for {what}; rename it"
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::string::ToString as _;

    use super::{KindNameError, MetricKind};

    #[test]
    fn keywords_round_trip() {
        for kind in MetricKind::ALL {
            assert_eq!(MetricKind::from_keyword(kind.as_str()), Some(kind));
            assert_eq!(kind.variant_name().to_ascii_lowercase(), kind.as_str());
        }
        assert_eq!(MetricKind::from_keyword("summary"), None);
        assert_eq!(MetricKind::from_keyword("Counter"), None);
    }

    #[test]
    fn family_names() {
        for (kind, name, family) in [
            (MetricKind::Counter, "jobs_total", "jobs"),
            (MetricKind::Counter, "jobs", "jobs"),
            (MetricKind::Info, "build_info", "build"),
            (MetricKind::Gauge, "queue_total", "queue_total"),
            (MetricKind::Histogram, "latency_seconds", "latency_seconds"),
        ] {
            assert_eq!(kind.family_name(name), family, "{kind} {name}");
        }
    }

    #[test]
    fn name_suffixes() {
        let ok = [
            (MetricKind::Counter, "jobs_total"),
            (MetricKind::Info, "build_info"),
            (MetricKind::Gauge, "depth"),
            (MetricKind::StateSet, "state"),
        ];
        for (kind, name) in ok {
            assert_eq!(kind.check_name_suffix(name), Ok(()), "{kind} {name}");
        }
        let bad = [
            (
                MetricKind::Counter,
                "jobs",
                "counter names end in `_total` (OpenMetrics): rename it `jobs_total`",
            ),
            (
                MetricKind::Info,
                "build",
                "info names end in `_info` (OpenMetrics): rename it `build_info`",
            ),
            (
                MetricKind::Gauge,
                "depth_total",
                "only counters end in `_total`: rename it `depth` or declare a `counter`",
            ),
        ];
        for (kind, name, message) in bad {
            let error = kind.check_name_suffix(name).unwrap_err();
            assert_eq!(error.to_string(), message, "{kind} {name}");
        }
    }

    #[test]
    fn reserved_suffixes() {
        for (kind, name, reserved) in [
            (MetricKind::Counter, "jobs_bucket_total", None),
            (MetricKind::Counter, "jobs_created", None),
            (MetricKind::Gauge, "queue_bucket", Some("_bucket")),
            (MetricKind::Gauge, "queue_created", Some("_created")),
            (MetricKind::Gauge, "queue_count", None),
            (MetricKind::Gauge, "queue_sum", None),
            (MetricKind::Histogram, "wait_sum", Some("_sum")),
            (MetricKind::Histogram, "wait_count", Some("_count")),
            (MetricKind::Histogram, "wait_seconds", None),
            (MetricKind::Info, "build_bucket", Some("_bucket")),
        ] {
            let got = kind.check_reserved_suffix(name).err();
            assert_eq!(
                got,
                reserved.map(|suffix| KindNameError::ReservedSuffix { suffix }),
                "{kind} {name}"
            );
        }
    }

    #[test]
    fn sample_suffixes_start_from_the_family_name() {
        for kind in MetricKind::ALL {
            let suffixes = kind.sample_suffixes();
            assert!(suffixes.contains(&""), "{kind}");
            if let Some(suffix) = kind.name_suffix() {
                assert!(suffixes.contains(&suffix), "{kind}");
            }
        }
    }
}
