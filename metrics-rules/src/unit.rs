//! Units: Prometheus records base units, and a declared unit ends the family name.

use core::fmt;

use crate::MetricKind;

/// Units that are not Prometheus base units, with the base unit to record instead.
const NON_BASE_UNITS: &[(&str, &str)] = &[
    ("milliseconds", "seconds"),
    ("millis", "seconds"),
    ("ms", "seconds"),
    ("microseconds", "seconds"),
    ("us", "seconds"),
    ("nanoseconds", "seconds"),
    ("ns", "seconds"),
    ("minutes", "seconds"),
    ("hours", "seconds"),
    ("days", "seconds"),
    ("kilobytes", "bytes"),
    ("kb", "bytes"),
    ("kib", "bytes"),
    ("megabytes", "bytes"),
    ("mb", "bytes"),
    ("mib", "bytes"),
    ("gigabytes", "bytes"),
    ("gb", "bytes"),
    ("gib", "bytes"),
    ("bits", "bytes"),
    ("percent", "ratio"),
];

/// Base units recognised from a name's suffix when no unit is declared.
const BASE_UNITS: &[&str] = &[
    "seconds", "bytes", "ratio", "celsius", "volts", "amperes", "joules", "grams", "meters",
];

/// The base unit to record instead of `word`, when `word` is a known non-base unit (`ms` -> `seconds`).
///
/// ```
/// assert_eq!(metrics_rules::unit::base_unit_of("ms"), Some("seconds"));
/// assert_eq!(metrics_rules::unit::base_unit_of("usd"), None);
/// ```
pub fn base_unit_of(word: &str) -> Option<&'static str> {
    NON_BASE_UNITS
        .iter()
        .find(|(bad, _)| *bad == word)
        .map(|(_, base)| *base)
}

/// The name without a counter's `_total`: what a unit must be a suffix of.
fn unit_stem(name: &str) -> &str {
    MetricKind::Counter.family_name(name)
}

/// `stem` without its `_{unit}` suffix, when it ends in one: the name a library that appends the unit itself
/// must be given.
///
/// ```
/// assert_eq!(metrics_rules::unit::strip_unit("latency_seconds", "seconds"), Some("latency"));
/// assert_eq!(metrics_rules::unit::strip_unit("xseconds", "seconds"), None);
/// ```
pub fn strip_unit<'a>(stem: &'a str, unit: &str) -> Option<&'a str> {
    stem.strip_suffix(unit)?.strip_suffix('_')
}

/// Whether `stem` ends in `_{unit}`, as the OpenMetrics `# UNIT` line requires of the family name.
pub fn ends_with_unit(stem: &str, unit: &str) -> bool {
    strip_unit(stem, unit).is_some()
}

/// The unit implied by a name ending in a base unit (`_seconds`, `_bytes_total`), for families that declare none.
///
/// ```
/// assert_eq!(metrics_rules::unit::implied_unit("io_bytes_total"), Some("bytes"));
/// assert_eq!(metrics_rules::unit::implied_unit("jobs_total"), None);
/// ```
pub fn implied_unit(name: &str) -> Option<&'static str> {
    let stem = unit_stem(name);
    BASE_UNITS
        .iter()
        .copied()
        .find(|unit| ends_with_unit(stem, unit))
}

/// A unit rule broken by a name or a declared unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitError<'a> {
    /// A word of the family name is a non-base unit.
    NonBaseInName {
        /// The family name.
        name: &'a str,
        /// The non-base unit word.
        word: &'a str,
        /// The base unit to record instead.
        base: &'static str,
    },
    /// A declared unit is (or holds) a non-base unit.
    NonBaseUnit {
        /// The declared unit.
        unit: &'a str,
        /// The base unit to record instead.
        base: &'static str,
    },
    /// The family name does not end with the declared unit (before a counter's `_total`).
    Mismatch {
        /// The family name.
        name: &'a str,
        /// The declared unit.
        unit: &'a str,
    },
}

impl fmt::Display for UnitError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::NonBaseInName { name, word, base } => {
                write!(
                    f,
                    "`{word}` is not a base unit: Prometheus records {base}; convert the value and name the metric `"
                )?;
                for (i, w) in name.split('_').enumerate() {
                    if i > 0 {
                        f.write_str("_")?;
                    }
                    f.write_str(if w == word { base } else { w })?;
                }
                f.write_str("`")
            }
            Self::NonBaseUnit { unit, base } => write!(
                f,
                "`{unit}` is not a base unit: Prometheus records {base}; convert the value and declare `unit = {base}`"
            ),
            Self::Mismatch { name, unit } => {
                // A name that already ends in another unit measures that unit: renaming it `x_bytes_seconds`
                // would be wrong twice over.
                if let Some(named) = implied_unit(name) {
                    return write!(
                        f,
                        "`{name}` is measured in {named}, not {unit}: declare `unit = {named}` (or leave the unit out, \
                         it is implied by the name), or give the family a name ending in `_{unit}`"
                    );
                }
                let stem = unit_stem(name);
                let total = if stem.len() == name.len() {
                    ""
                } else {
                    MetricKind::Counter.name_suffix().unwrap_or_default()
                };
                write!(
                    f,
                    "unit `{unit}` does not match the metric name `{name}`: OpenMetrics requires the name to end with the unit; rename it `{stem}_{unit}{total}`"
                )
            }
        }
    }
}

/// No word of the family name is a non-base unit (`_milliseconds`, `_ms`, `_kb`).
///
/// # Errors
///
/// The first non-base unit word, with the base unit and the fixed name.
///
/// ```
/// let error = metrics_rules::unit::check_name_units("latency_ms").unwrap_err();
/// assert!(error.to_string().ends_with("name the metric `latency_seconds`"));
/// ```
pub fn check_name_units(name: &str) -> Result<(), UnitError<'_>> {
    match name
        .split('_')
        .find_map(|word| base_unit_of(word).map(|base| (word, base)))
    {
        Some((word, base)) => Err(UnitError::NonBaseInName { name, word, base }),
        None => Ok(()),
    }
}

/// A declared `unit` of the family `name`: a base unit, and the name's suffix (before a counter's `_total`), as
/// OpenMetrics requires of the `# UNIT` line. Check the unit's spelling first with
/// [`check_declared_metric_name`](crate::name::check_declared_metric_name).
///
/// # Errors
///
/// A non-base unit, or a name that does not end with the unit.
///
/// ```
/// assert!(metrics_rules::unit::check_unit("cost_usd_total", "usd").is_ok());
/// assert!(metrics_rules::unit::check_unit("latency", "seconds").is_err());
/// ```
pub fn check_unit<'a>(name: &'a str, unit: &'a str) -> Result<(), UnitError<'a>> {
    if let Some(base) = unit.split('_').find_map(base_unit_of) {
        return Err(UnitError::NonBaseUnit { unit, base });
    }
    if ends_with_unit(unit_stem(name), unit) {
        Ok(())
    } else {
        Err(UnitError::Mismatch { name, unit })
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::string::ToString as _;

    use super::*;

    #[test]
    fn base_units() {
        for (word, base) in [
            ("ms", Some("seconds")),
            ("milliseconds", Some("seconds")),
            ("kib", Some("bytes")),
            ("percent", Some("ratio")),
            ("seconds", None),
            ("usd", None),
        ] {
            assert_eq!(base_unit_of(word), base, "{word}");
        }
    }

    #[test]
    fn unit_suffixes() {
        for (stem, unit, base) in [
            ("latency_seconds", "seconds", Some("latency")),
            ("seconds", "seconds", None),
            ("xseconds", "seconds", None),
            ("_seconds", "seconds", Some("")),
            ("cost_usd", "usd", Some("cost")),
        ] {
            assert_eq!(strip_unit(stem, unit), base, "{stem} {unit}");
            assert_eq!(ends_with_unit(stem, unit), base.is_some(), "{stem} {unit}");
        }
    }

    #[test]
    fn implied_units() {
        for (name, unit) in [
            ("io_bytes_total", Some("bytes")),
            ("latency_seconds", Some("seconds")),
            ("jobs_total", None),
            ("seconds", None),
            ("xseconds", None),
            ("load_ratio", Some("ratio")),
        ] {
            assert_eq!(implied_unit(name), unit, "{name}");
        }
    }

    #[test]
    fn units_in_names() {
        for (name, message) in [
            ("latency_seconds", None),
            (
                "latency_milliseconds",
                Some(
                    "`milliseconds` is not a base unit: Prometheus records seconds; convert the value and name the metric `latency_seconds`",
                ),
            ),
            (
                "size_kb_total",
                Some(
                    "`kb` is not a base unit: Prometheus records bytes; convert the value and name the metric `size_bytes_total`",
                ),
            ),
            (
                "ms_ms",
                Some(
                    "`ms` is not a base unit: Prometheus records seconds; convert the value and name the metric `seconds_seconds`",
                ),
            ),
        ] {
            let got = check_name_units(name).err().map(|e| e.to_string());
            assert_eq!(got.as_deref(), message, "{name}");
        }
    }

    #[test]
    fn declared_units() {
        for (name, unit, message) in [
            ("cost_usd_total", "usd", None),
            ("latency_seconds", "seconds", None),
            (
                "latency",
                "seconds",
                Some(
                    "unit `seconds` does not match the metric name `latency`: OpenMetrics requires the name to end with the unit; rename it `latency_seconds`",
                ),
            ),
            (
                "spent_total",
                "seconds",
                Some(
                    "unit `seconds` does not match the metric name `spent_total`: OpenMetrics requires the name to end with the unit; rename it `spent_seconds_total`",
                ),
            ),
            (
                "payload_bytes",
                "seconds",
                Some(
                    "`payload_bytes` is measured in bytes, not seconds: declare `unit = bytes` (or leave the unit out, it is implied by the name), or give the family a name ending in `_seconds`",
                ),
            ),
            (
                "latency_ms",
                "ms",
                Some(
                    "`ms` is not a base unit: Prometheus records seconds; convert the value and declare `unit = seconds`",
                ),
            ),
            (
                "size_total_kb",
                "total_kb",
                Some(
                    "`total_kb` is not a base unit: Prometheus records bytes; convert the value and declare `unit = bytes`",
                ),
            ),
        ] {
            let got = check_unit(name, unit).err().map(|e| e.to_string());
            assert_eq!(got.as_deref(), message, "{name} {unit}");
        }
    }
}
